import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { DetectorConfig } from '../config';
import { transformMatrix } from '../geometry/cropTransform';
import { generateAnchors, PALM_ANCHORS } from './anchors';
import { weightedNms } from './nms';
import { decodePalms, letterboxFor, type PalmDetection } from './palmDecoder';

const INPUT = PALM_ANCHORS.inputSize;
/** Raw logits are clipped to +-100 before the sigmoid (MediaPipe's score_clipping_thresh). */
const SCORE_CLIP = 100;

/**
 * MediaPipe's palm detector (TF.js graph `handdetect`): the frame padded to a square (black) and
 * resized to 256 x 256 in one GPU op, scaled to [-1, 1]; SSD decode with MediaPipe's anchors;
 * weighted NMS. Returns palms in source-image pixels.
 */
export class PalmDetector {
  private readonly anchors = generateAnchors(PALM_ANCHORS);

  constructor(private readonly model: GraphModel) {}

  /**
   * `image` is [1, H, W, 3] float in 0..255. `zoom` > 1 pads the square further (black), so a
   * hand that fills the frame shrinks to a size the detector was trained on.
   */
  async detect(image: tf.Tensor4D, cfg: DetectorConfig, maxDetections: number, zoom = 1): Promise<PalmDetection[]> {
    const [, height, width] = image.shape;
    const lb = letterboxFor(width, height, zoom);
    const raw = tf.tidy(() => {
      const m = transformMatrix({ rect: { cx: lb.centreX, cy: lb.centreY, width: lb.side, height: lb.side, rotation: 0 }, outWidth: INPUT, outHeight: INPUT });
      const input = tf.image.transform(image, tf.tensor2d([m]), 'bilinear', 'constant', 0, [INPUT, INPUT]);
      const normalised = tf.sub(tf.div(input, 127.5), 1);
      return this.model.execute(normalised) as tf.Tensor;
    });
    const values = (await raw.data()) as Float32Array;
    raw.dispose();
    const palms = decodePalms(values, this.anchors, lb, { inputSize: INPUT, minScore: cfg.minScore, scoreClip: SCORE_CLIP });
    return weightedNms(palms, cfg.nmsIoU, maxDetections);
  }

  dispose(): void {
    this.model.dispose();
  }
}
