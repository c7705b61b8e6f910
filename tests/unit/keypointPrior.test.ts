import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { keypointPrior, PRIOR_CHANNELS, PRIOR_RES, PRIOR_SIGMA_PX } from '../../src/core/multitask/keypointPrior';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The centre of cell `k` of the 28 x 28 grid, in px of the 224 px crop. */
const centre = (k: number) => (k + 0.5) * (224 / PRIOR_RES);

/** A straight "hand" along row `row`: keypoint i at column 2 + i (crop px at the cell centres). */
function lineHand(row: number): tf.Tensor2D {
  const kp = new Float32Array(63);
  for (let i = 0; i < 21; i++) kp.set([centre(2 + i), centre(row), 0], 3 * i);
  return tf.tensor2d(kp, [1, 63]);
}

describe('keypointPrior (the heads keypoint input: a Gaussian per keypoint + the skeleton)', () => {
  it('puts each Gaussian, of the stated sigma, on its own keypoint', async () => {
    const kp = lineHand(10);
    const maps = keypointPrior(kp);
    expect(maps.shape).toEqual([1, PRIOR_RES, PRIOR_RES, PRIOR_CHANNELS]);
    const d = await maps.data();
    const at = (y: number, x: number, c: number) => d[(y * PRIOR_RES + x) * PRIOR_CHANNELS + c];
    for (let i = 0; i < 21; i++) {
      expect(at(10, 2 + i, i)).toBeCloseTo(1, 6);
      // one cell (8 px = sigma) away: exp(-1/2)
      expect(at(11, 2 + i, i)).toBeCloseTo(Math.exp(-0.5 * (8 / PRIOR_SIGMA_PX) ** 2), 5);
    }
    tf.dispose([kp, maps]);
  });

  it('draws the skeleton along the bones and nothing far from them', async () => {
    const kp = lineHand(10);
    const d = await keypointPrior(kp).data();
    const skel = (y: number, x: number) => d[(y * PRIOR_RES + x) * PRIOR_CHANNELS + 21];
    for (let x = 2; x <= 22; x++) expect(skel(10, x)).toBeCloseTo(1, 5); // on the line: distance 0
    expect(skel(12, 12)).toBeCloseTo(Math.exp(-0.5 * (16 / PRIOR_SIGMA_PX) ** 2), 5); // two cells off the line
    expect(skel(25, 12)).toBeLessThan(1e-6);
    // beyond the last keypoint (column 22) the bones end: the distance is to that end point
    expect(skel(10, 26)).toBeCloseTo(Math.exp(-0.5 * (32 / PRIOR_SIGMA_PX) ** 2), 7);
    kp.dispose();
  });
});
