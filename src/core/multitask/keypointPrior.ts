import * as tf from '@tensorflow/tfjs-core';
import { NUM_KEYPOINTS, SKELETON } from '../keypoints';

/**
 * The heads' keypoint prior (training/hiu/model.py prior_maps): the landmark network's own 21
 * keypoints drawn on the decoders' 28 x 28 grid, so the heads know WHICH hand of the crop they
 * describe (other hands or a face in the crop drew the mask onto them). 22 channels: a Gaussian at
 * each keypoint, then the skeleton (per cell, the largest Gaussian of the distance to a bone).
 */
export const PRIOR_RES = 28;
export const PRIOR_SIGMA_PX = 8; // one cell of the 224 px crop
export const PRIOR_CHANNELS = NUM_KEYPOINTS + 1;

const BONE_FROM = SKELETON.map(([a]) => a);
const BONE_TO = SKELETON.map(([, b]) => b);

/** Keypoints [B, 63] (x, y, z per keypoint, crop px) -> prior maps NHWC [B, 28, 28, 22]. */
export function keypointPrior(keypoints: tf.Tensor, crop = 224): tf.Tensor4D {
  return tf.tidy(() => {
    const b = keypoints.shape[0];
    const kp = tf.reshape(keypoints, [b, NUM_KEYPOINTS, 3]);
    const coord = (k: number) => tf.reshape(tf.slice(kp, [0, 0, k], [-1, -1, 1]), [b, 1, 1, NUM_KEYPOINTS]);
    const x = coord(0);
    const y = coord(1);
    const centres = tf.mul(tf.add(tf.range(0, PRIOR_RES, 1, 'float32'), 0.5), crop / PRIOR_RES);
    const gx = tf.reshape(centres, [1, 1, PRIOR_RES, 1]);
    const gy = tf.reshape(centres, [1, PRIOR_RES, 1, 1]);
    const k = -0.5 / PRIOR_SIGMA_PX ** 2;
    const gauss = (dx: tf.Tensor, dy: tf.Tensor) => tf.exp(tf.mul(tf.add(tf.square(dx), tf.square(dy)), k));
    const joints = gauss(tf.sub(gx, x), tf.sub(gy, y)); // [B, 28, 28, 21]
    const from = tf.tensor1d(BONE_FROM, 'int32');
    const to = tf.tensor1d(BONE_TO, 'int32');
    const [ax, ay, bx, by] = [tf.gather(x, from, 3), tf.gather(y, from, 3), tf.gather(x, to, 3), tf.gather(y, to, 3)];
    const [dx, dy] = [tf.sub(bx, ax), tf.sub(by, ay)];
    const [px, py] = [tf.sub(gx, ax), tf.sub(gy, ay)];
    const len2 = tf.add(tf.add(tf.square(dx), tf.square(dy)), 1e-6);
    const t = tf.clipByValue(tf.div(tf.add(tf.mul(px, dx), tf.mul(py, dy)), len2), 0, 1);
    const bones = gauss(tf.sub(px, tf.mul(t, dx)), tf.sub(py, tf.mul(t, dy)));
    return tf.concat([joints, tf.max(bones, 3, true)], 3) as tf.Tensor4D;
  });
}
