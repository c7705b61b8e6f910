import { describe, expect, it } from 'vitest';
import { scoreGestures } from '../../src/core/metrics/gestures';

describe('scoreGestures', () => {
  const labels = ['None', 'Closed_Fist', 'Pinch'] as const;
  // 2 fists (1 right, 1 called None), 1 pinch missed (null), 1 None right
  const s = scoreGestures(labels, [
    { truth: 'Closed_Fist', predicted: 'Closed_Fist' },
    { truth: 'Closed_Fist', predicted: 'None' },
    { truth: 'Pinch', predicted: null },
    { truth: 'None', predicted: 'None' },
  ]);
  it('counts rows = truth, columns = prediction, a last column for hands not found', () => {
    expect(s.counts).toEqual([
      [1, 0, 0, 0],
      [1, 1, 0, 0],
      [0, 0, 0, 1],
    ]);
  });
  it('accuracy counts a missed hand wrong; recall per true label', () => {
    expect([s.total, s.correct, s.accuracy]).toEqual([4, 2, 0.5]);
    expect(s.recall).toEqual([1, 0.5, 0]);
    expect(scoreGestures(labels, []).recall.every(Number.isNaN)).toBe(true);
  });
  it('rejects labels outside the set', () => {
    expect(() => scoreGestures(labels, [{ truth: 'Victory', predicted: 'None' }])).toThrow(/outside the set/);
  });
});
