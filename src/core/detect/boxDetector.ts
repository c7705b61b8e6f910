import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { decodeHandBoxes, type HandBox } from './boxDecoder';

const INPUT = 320;
const OUT_SCORES = 'StatefulPartitionedCall/Postprocessor/Slice';
const OUT_BOXES = 'StatefulPartitionedCall/Postprocessor/ExpandDims_1';
/** IoU above which two boxes are one hand (Human's setting for this model). */
const NMS_IOU = 0.2;

/**
 * The EgoHands SSD (`handtrack`): whole-hand boxes, no orientation. It finds fists and backs of
 * hands that the palm detector misses (measured: scripts/measure-detectors.ts), so the pipeline
 * uses it as a fallback when the palm detector leaves hands unfound.
 */
export class BoxDetector {
  constructor(private readonly model: GraphModel) {}

  /** `image` is [1, H, W, 3] float in 0..255. */
  async detect(image: tf.Tensor4D, minScore: number, maxBoxes: number): Promise<HandBox[]> {
    const [, height, width] = image.shape;
    // the graph resizes to 320 itself inside a while loop; resizing first is cheaper
    const input = tf.tidy(() => tf.cast(tf.image.resizeBilinear(image, [INPUT, INPUT]), 'int32'));
    let outs: tf.Tensor[];
    try {
      outs = (await this.model.executeAsync(input, [OUT_SCORES, OUT_BOXES])) as tf.Tensor[];
    } finally {
      input.dispose();
    }
    const [scores, boxes] = (await Promise.all(outs.map((t) => t.data()))) as Float32Array[];
    tf.dispose(outs);
    return decodeHandBoxes(scores, boxes, width, height, minScore, NMS_IOU, maxBoxes);
  }

  dispose(): void {
    this.model.dispose();
  }
}
