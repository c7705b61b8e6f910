import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { cropToImage, transformMatrix, type CropMapping } from '../geometry/cropTransform';
import type { Point2, RotatedRect } from '../geometry/rect';
import { NUM_KEYPOINTS } from '../keypoints';
import type { HeadsNeeds, MultiTaskHeads } from '../multitask/headsModel';
import { guidedUpsample } from '../multitask/refineMask';

export const LANDMARK_INPUT = 224;

/** Output node names of the MediaPipe hand landmark network in TF.js (handlandmark-full/-lite). */
const OUT_LANDMARKS = 'Identity'; // 21 x (x, y, z) in crop pixels
const OUT_PRESENCE = 'Identity_1'; // probability
const OUT_HANDEDNESS = 'Identity_2'; // probability of a physically RIGHT hand (un-mirrored image)
const OUT_WORLD = 'Identity_3'; // 21 x 3 metres, crop-aligned axes

/** Raw outputs of the multi-task heads for one crop (HWC, 56 x 56). */
export interface HeadsRaw {
  heatmaps: Float32Array;
  maskLogits: Float32Array;
  /** The POF (63 channels), when asked for (HeadsNeeds). */
  pof?: Float32Array;
  /** The mesh regressor's parameter vector (multitask/regressedParams.ts), when the weights have one. */
  params?: Float32Array;
  /** The mask refined on the picture (HeadsNeeds.maskRefine): probability 0..1, size x size over the same crop. */
  maskRefined?: { size: number; data: Float32Array };
}

export interface LandmarkOutput {
  /** 21 keypoints in source-image pixels. */
  keypoints: Point2[];
  /** 21 x 3 world landmarks in metres, rotated back to image axes, NOT root-relative. */
  world: Float32Array;
  presence: number;
  /** Probability that this is a right hand. */
  rightProbability: number;
  /** The multi-task heads' outputs on the same crop, when they ran. */
  heads?: HeadsRaw;
}

/**
 * The MediaPipe hand landmark network on one rotated ROI: crop + resize + rotate in one GPU op
 * (`tf.image.transform`), keypoints mapped back to the source image.
 */
export class LandmarkModel {
  private readonly outputs = [OUT_LANDMARKS, OUT_PRESENCE, OUT_HANDEDNESS, OUT_WORLD];

  constructor(readonly model: GraphModel) {}

  /**
   * `image` is [1, H, W, 3] float in 0..255. With `heads`, the same network call also returns the
   * encoder's feature taps, and the multi-task heads run on them (one encoder pass for both).
   */
  async run(image: tf.Tensor4D, roi: RotatedRect, heads?: MultiTaskHeads, needs?: HeadsNeeds): Promise<LandmarkOutput> {
    const mapping: CropMapping = { rect: roi, outWidth: LANDMARK_INPUT, outHeight: LANDMARK_INPUT };
    const taps = heads ? heads.tapNodes : undefined;
    const outs = tf.tidy(() => {
      const crop = tf.image.transform(image, tf.tensor2d([transformMatrix(mapping)]), 'bilinear', 'constant', 0, [LANDMARK_INPUT, LANDMARK_INPUT]);
      const names = taps ? [...this.outputs, taps[56], taps[28], taps[14], taps[7]] : this.outputs;
      const input = tf.div(crop, 255) as tf.Tensor4D;
      const all = this.model.execute(input, names) as tf.Tensor[];
      if (!heads) return { base: all, heads: {} };
      const [t56, t28, t14, t7] = all.slice(4) as tf.Tensor4D[];
      // only the outputs the heads computed (HeadsNeeds) come back
      // all[0]: the keypoints, which heads with the prior read (which hand of the crop they describe)
      const h = heads.run({ 56: t56, 28: t28, 14: t14, 7: t7 }, needs, all[0]) as Record<string, tf.Tensor>;
      const refine = needs?.maskRefine;
      if (refine && h.mask) {
        // the guide: this crop (224 px) or the same ROI cropped again at the refined size
        const { size } = refine;
        const guide =
          size === LANDMARK_INPUT
            ? input
            : tf.div(
                tf.image.transform(image, tf.tensor2d([transformMatrix({ rect: roi, outWidth: size, outHeight: size })]), 'bilinear', 'constant', 0, [
                  size,
                  size,
                ]),
                255,
              );
        h.maskRefined = guidedUpsample(guide as tf.Tensor4D, tf.sigmoid(h.mask) as tf.Tensor4D, refine);
      }
      return { base: all.slice(0, 4), heads: h };
    });
    const headNames = Object.keys(outs.heads);
    const tensors = [...outs.base, ...headNames.map((n) => outs.heads[n])];
    const data = (await Promise.all(tensors.map((t) => t.data()))) as Float32Array[];
    tf.dispose(tensors);
    const [lm, presence, handed, world] = data;
    const out = decodeLandmarks(lm, presence[0], handed[0], world, mapping);
    if (heads) {
      const h: Record<string, Float32Array> = Object.fromEntries(headNames.map((n, i) => [n, data[4 + i]]));
      out.heads = { heatmaps: h.heatmaps, maskLogits: h.mask, ...(h.pof ? { pof: h.pof } : {}), ...(h.params ? { params: h.params } : {}) };
      if (h.maskRefined) out.heads.maskRefined = { size: needs!.maskRefine!.size, data: h.maskRefined };
    }
    return out;
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** Maps the network's crop-space outputs to the source image (pure; unit-tested). */
export function decodeLandmarks(lm: Float32Array, presence: number, rightProbability: number, worldCrop: Float32Array, mapping: CropMapping): LandmarkOutput {
  const keypoints: Point2[] = [];
  for (let i = 0; i < NUM_KEYPOINTS; i++) keypoints.push(cropToImage(mapping, lm[3 * i], lm[3 * i + 1]));
  const c = Math.cos(mapping.rect.rotation);
  const s = Math.sin(mapping.rect.rotation);
  const world = new Float32Array(NUM_KEYPOINTS * 3);
  for (let i = 0; i < NUM_KEYPOINTS; i++) {
    const x = worldCrop[3 * i];
    const y = worldCrop[3 * i + 1];
    world[3 * i] = x * c - y * s;
    world[3 * i + 1] = x * s + y * c;
    world[3 * i + 2] = worldCrop[3 * i + 2];
  }
  return { keypoints, world, presence, rightProbability };
}
