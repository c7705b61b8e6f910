import { describe, expect, it } from 'vitest';
import { finiteMean, finiteMedian, linspace, normalisedAuc, pckCurve } from '../../src/core/metrics/stats';
import { jointErrors2d, meanOffset2d, pointsBox, type Vec2 } from '../../src/core/metrics/keypoints2d';
import { jointErrors3d, procrustesErrors, rootRelative, rootRelativeErrors } from '../../src/core/metrics/keypoints3d';
import { detectionRate, greedyMatch } from '../../src/core/metrics/detection';
import { summariseKeypoints, type HandRecord } from '../../src/core/metrics/summary';
import type { Vec3 } from '../../src/core/metrics/procrustes';

// Every expected value below is worked out by hand in the comment next to it.

describe('stats', () => {
  it('mean and median skip NaN and Infinity', () => {
    expect(finiteMean([1, 2, 6, Number.NaN, Infinity])).toBe(3);
    expect(finiteMedian([5, 1, 3])).toBe(3);
    expect(finiteMedian([4, 1, 3, 2])).toBe(2.5); // (2 + 3) / 2
    expect(finiteMean([])).toBeNaN();
    expect(finiteMedian([Number.NaN])).toBeNaN();
  });

  it('linspace includes both ends', () => {
    expect(linspace(0, 0.2, 4)).toEqual([0, 0.05, 0.1, 0.15000000000000002, 0.2]);
  });

  it('pckCurve: fraction at or below each threshold; NaN ignored, Infinity a miss', () => {
    // valid errors: 1, 2, 3, Inf (4 of them)
    expect(pckCurve([1, 2, 3, Infinity, Number.NaN], [0.5, 1, 2.5, 10])).toEqual([0, 0.25, 0.5, 0.75]);
    expect(pckCurve([Number.NaN], [1])[0]).toBeNaN();
  });

  it('normalisedAuc: trapezoids over the x range', () => {
    expect(normalisedAuc([0, 1], [1, 1])).toBe(1);
    expect(normalisedAuc([0, 1, 2], [0, 1, 1])).toBe(0.75); // (0.5 + 1) / 2
    expect(normalisedAuc([20, 50], [0, 1])).toBe(0.5);
  });
});

describe('2D keypoint errors', () => {
  const gt: Vec2[] = [
    [0, 0],
    [10, 0],
    [0, 10],
  ];
  const pred: Vec2[] = [
    [3, 4], // 5 px
    [10, 2], // 2 px
    [100, 100], // not annotated
  ];
  it('per-joint error with visibility', () => {
    const e = jointErrors2d(pred, gt, [true, true, false]);
    expect(e.slice(0, 2)).toEqual([5, 2]);
    expect(e[2]).toBeNaN();
  });
  it('mean offset (bias) and box of the visible points', () => {
    expect(meanOffset2d(pred, gt, [true, true, false])).toEqual([1.5, 3]); // dx (3 + 0) / 2, dy (4 + 2) / 2
    expect(pointsBox(gt, [true, true, false])).toEqual([0, 0, 10, 0]);
  });
});

describe('3D keypoint errors', () => {
  const gt: Vec3[] = [
    [10, 10, 500],
    [40, 10, 500],
    [10, 50, 500],
  ];
  it('root-relative errors remove the translation', () => {
    expect(rootRelative(gt)).toEqual([
      [0, 0, 0],
      [30, 0, 0],
      [0, 40, 0],
    ]);
    const pred: Vec3[] = [
      [0, 0, 0],
      [30, 0, 4], // 4 mm
      [3, 40, 0], // 3 mm
    ];
    expect(rootRelativeErrors(pred, gt)).toEqual([0, 4, 3]);
    expect(jointErrors3d(pred, gt, [false, true, true])[0]).toBeNaN();
    // root not labelled: no root-relative error at all
    expect(rootRelativeErrors(pred, gt, [false, true, true]).every(Number.isNaN)).toBe(true);
  });
  it('Procrustes errors vanish for a scaled, shifted copy and need 3 valid joints', () => {
    const pred = gt.map(([x, y, z]) => [x * 0.001 + 1, y * 0.001 - 2, z * 0.001] as Vec3);
    for (const e of procrustesErrors(pred, gt)) expect(e).toBeLessThan(1e-9);
    expect(procrustesErrors(pred, gt, [true, true, false]).every(Number.isNaN)).toBe(true);
  });
});

describe('detection matching', () => {
  it('greedy: lowest cost first, one prediction per hand, threshold per hand', () => {
    // gt0-pred1 = 1 is taken first; gt1's best (pred1) is gone, so pred0 (4)
    expect(
      greedyMatch(
        [
          [2, 1],
          [4, 3],
        ],
        10,
      ),
    ).toEqual([1, 0]);
    expect(
      greedyMatch(
        [
          [2, 1],
          [4, 3],
        ],
        [10, 3.5],
      ),
    ).toEqual([1, -1]);
    expect(greedyMatch([[Infinity], [5]], 10)).toEqual([-1, 0]);
    expect(detectionRate([1, -1, 0, 2])).toBe(0.75);
  });
});

describe('summariseKeypoints', () => {
  // hand A found: errors 1, 3, 5, NaN (not annotated), normaliser 10 -> 0.1, 0.3, 0.5
  // hand B missed: 2 annotated joints, normaliser 20
  const records: HandRecord[] = [
    { found: true, errors2d: [1, 3, 5, Number.NaN], normaliser: 10, errors3d: [0, 10, 30, Number.NaN], errorsPa: [0, 5, 10, Number.NaN] },
    { found: false, errors2d: [Number.NaN, 7, Number.NaN, 7], normaliser: 20, errors3d: [0, 1, 1, 1], errorsPa: [0, 1, 1, 1] },
  ];
  const s = summariseKeypoints(records);
  it('means and medians over the found hands only', () => {
    expect([s.hands, s.found, s.detectionRate]).toEqual([2, 1, 0.5]);
    expect(s.meanPx).toBe(3); // (1 + 3 + 5) / 3
    expect(s.medianPx).toBe(3);
    expect(s.mpjpeMm).toBeCloseTo(40 / 3, 12); // (0 + 10 + 30) / 3
    expect(s.paMpjpeMm).toBe(5); // (0 + 5 + 10) / 3
    expect(s.hands3d).toBe(2);
  });
  it('per-joint means over the found hands only, NaN joints skipped', () => {
    expect(s.perJointPx.slice(0, 3)).toEqual([1, 3, 5]); // hand B (missed) does not count
    expect(s.perJointPx[3]).toBeNaN(); // annotated only on the missed hand
    expect(s.perJointPaMm.slice(0, 3)).toEqual([0, 5, 10]);
    expect(summariseKeypoints([]).perJointPx).toEqual([]);
  });
  it('PCK over all annotated joints (5), a missed hand wrong everywhere', () => {
    expect(s.pck['0.05']).toBe(0); // no normalised error <= 0.05
    expect(s.pck['0.1']).toBe(0.2); // 0.1 only: 1 of 5
    expect(s.pck['0.2']).toBe(0.2);
    // 3D AUC over 20..50 mm: joints 0, 10 (found) always <= 20 mm, 30 mm from 30 on, the missed hand's 4 joints never:
    // root-relative PCK(t) = 2/7 for t < 30, 3/7 for t >= 30; trapezoids on a 1 mm grid 20..50: 9 mm at 2/7,
    // the 29..30 step at (2/7 + 3/7) / 2, 20 mm at 3/7 -> (18 + 2.5 + 60) / 7 / 30 = 80.5 / 210
    expect(s.auc3d).toBeCloseTo(80.5 / 210, 12);
    expect(s.auc3dPa).toBeCloseTo(3 / 7, 12); // PA errors 0, 5, 10: all within 20 mm; 3 of 7
  });
  it('2D AUC: PCK steps at 0.1, 0.3 (beyond range) -> 0.2 from 0.1 to 0.2', () => {
    // PCK(t) = 0 for t < 0.1, 0.2 for 0.1 <= t <= 0.2; trapezoids on a 0.005 grid: 0.2 x 0.1 over 0.1..0.2,
    // plus the 0.095..0.1 step at (0 + 0.2) / 2 x 0.005 -> (0.02 + 0.0005) / 0.2 = 0.1025
    expect(s.auc2d).toBeCloseTo(0.1025, 12);
  });
});
