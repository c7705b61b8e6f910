import { KEYPOINT_NAMES, NUM_KEYPOINTS } from '../keypoints';
import type { Handedness, Keypoint2D, Keypoint3D } from '../types';
import type { LandmarkOutput } from './landmarkModel';

/**
 * The landmark network's keypoints as flat arrays, the form the filter and the heads' decoder
 * take: `xy` [21 * 2] in image pixels, `xyz` [21 * 3] in metres relative to the wrist.
 */
export function keypointArrays(out: LandmarkOutput): { xy: Float64Array; xyz: Float64Array } {
  const xy = new Float64Array(NUM_KEYPOINTS * 2);
  const xyz = new Float64Array(NUM_KEYPOINTS * 3);
  for (let i = 0; i < NUM_KEYPOINTS; i++) {
    xy[2 * i] = out.keypoints[i].x;
    xy[2 * i + 1] = out.keypoints[i].y;
    for (let k = 0; k < 3; k++) xyz[3 * i + k] = out.world[3 * i + k] - out.world[k];
  }
  return { xy, xyz };
}

/** Flat keypoints (keypointArrays' form) as the named keypoints of a result. */
export function namedKeypoints(xy: ArrayLike<number>, xyz: ArrayLike<number>): { keypoints2d: Keypoint2D[]; keypoints3d: Keypoint3D[] } {
  return {
    keypoints2d: KEYPOINT_NAMES.map((name, i) => ({ name, x: xy[2 * i], y: xy[2 * i + 1] })),
    keypoints3d: KEYPOINT_NAMES.map((name, i) => ({ name, x: xyz[3 * i], y: xyz[3 * i + 1], z: xyz[3 * i + 2] })),
  };
}

/** The real hand's side from the network's right-hand probability, with the probability of that side. */
export function handednessOf(out: LandmarkOutput): { handedness: Handedness; handednessScore: number } {
  const right = out.rightProbability >= 0.5;
  return { handedness: right ? 'right' : 'left', handednessScore: right ? out.rightProbability : 1 - out.rightProbability };
}
