import { describe, expect, it } from 'vitest';
import { meanKeypointMotion, meanRelativeDisplacement, steadyFrames, thresholdMask } from '../../src/core/metrics/temporal';

describe('temporal metrics', () => {
  it('thresholdMask: >= 128 is hand', () => {
    expect(Array.from(thresholdMask(new Uint8Array([0, 127, 128, 255])))).toEqual([0, 0, 1, 1]);
  });

  it('meanRelativeDisplacement ignores travel of the whole set, counts change of shape', () => {
    const a = new Float32Array([0, 0, 0, 1, 0, 0]);
    const moved = new Float32Array([5, 5, 5, 6, 5, 5]);
    expect(meanRelativeDisplacement(moved, a, [5, 5, 5], [0, 0, 0])).toBeCloseTo(0, 6);
    const bent = new Float32Array([0, 0, 0, 1, 1, 0]);
    // the second point moved by 1, the first (the origin) by 0: mean 0.5
    expect(meanRelativeDisplacement(bent, a, [0, 0, 0], [0, 0, 0])).toBeCloseTo(0.5, 6);
  });

  it('steadyFrames keeps the frames whose reference moved less than the threshold', () => {
    const at = (x: number) => [
      [x, 0],
      [x + 10, 0],
    ];
    expect(meanKeypointMotion(at(0), at(3))).toBeCloseTo(3, 9);
    expect(steadyFrames([at(0), at(1), at(5), at(5.5), [], at(6)], 2)).toEqual([1, 3]);
  });
});
