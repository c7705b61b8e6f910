import { describe, expect, it } from 'vitest';
import { applySimilarity, det3, mul3, similarityTransform, svd3, transpose3, type Mat3, type Vec3 } from '../../src/core/metrics/procrustes';
import { axisAngleMatrix } from '../../src/core/handModel/math';
import { procrustesErrors } from '../../src/core/metrics/keypoints3d';

/** Rotation about an axis (any length) by angle: core's Rodrigues on the normalised axis. */
function rotation(axis: [number, number, number], angle: number): Mat3 {
  const n = Math.hypot(...axis);
  return axisAngleMatrix([axis[0] / n, axis[1] / n, axis[2] / n], angle);
}

const apply = (r: Mat3, s: number, t: number[], pts: Vec3[]): Vec3[] =>
  pts.map((p) => [0, 1, 2].map((k) => s * (r[3 * k] * p[0] + r[3 * k + 1] * p[1] + r[3 * k + 2] * p[2]) + t[k]) as unknown as Vec3);

// A deterministic, non-planar 21-joint "hand" (mm).
const HAND: Vec3[] = Array.from({ length: 21 }, (_, i) => [Math.sin(i * 1.7) * 40 + i, Math.cos(i * 0.9) * 60 - 2 * i, Math.sin(i * 0.5) * 20 + 0.5 * i * i]);

const expectMatClose = (a: Mat3, b: Mat3, tol = 1e-9) => a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(tol));

describe('svd3', () => {
  it('reconstructs A = U S V^T with orthonormal U, V and descending singular values', () => {
    const a: Mat3 = [4, 1, -2, 0.5, 3, 1, -1, 2, 5];
    const { u, s, v } = svd3(a);
    expect(s[0]).toBeGreaterThanOrEqual(s[1]);
    expect(s[1]).toBeGreaterThanOrEqual(s[2]);
    expectMatClose(mul3(mul3(u, [s[0], 0, 0, 0, s[1], 0, 0, 0, s[2]]), transpose3(v)), a);
    expectMatClose(mul3(transpose3(u), u), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expectMatClose(mul3(transpose3(v), v), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });
  it('diagonal matrix: singular values are the absolute diagonal, sorted', () => {
    expect(svd3([2, 0, 0, 0, -5, 0, 0, 0, 1]).s).toEqual([5, 2, 1]);
  });
  it('rank-deficient input still gives an orthonormal U', () => {
    const a: Mat3 = [1, 2, 3, 2, 4, 6, 1, 1, 1]; // row 2 = 2 x row 1: rank 2
    const { u, s, v } = svd3(a);
    expect(s[2]).toBeLessThan(1e-9);
    expectMatClose(mul3(transpose3(u), u), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expectMatClose(mul3(mul3(u, [s[0], 0, 0, 0, s[1], 0, 0, 0, s[2]]), transpose3(v)), a);
  });
});

describe('similarityTransform (Procrustes with scale)', () => {
  it('recovers rotation, scale and translation: a moved copy aligns to ~0 error', () => {
    const r = rotation([0.3, -1, 0.5], 2.1);
    const target = apply(r, 2.5, [100, -40, 700], HAND);
    const t = similarityTransform(HAND, target);
    expect(t.scale).toBeCloseTo(2.5, 10);
    expectMatClose(t.rotation, r);
    expect(t.translation.map((v) => Math.round(v * 1e6) / 1e6)).toEqual([100, -40, 700]);
    for (const e of procrustesErrors(HAND, target)) expect(e).toBeLessThan(1e-9);
  });

  it('metres vs millimetres: the scale absorbs units', () => {
    const metres = HAND.map((p) => p.map((v) => v / 1000) as unknown as Vec3);
    expect(similarityTransform(metres, HAND).scale).toBeCloseTo(1000, 6);
  });

  it('never reflects: a mirrored copy gets a proper rotation (det +1) and a non-zero error', () => {
    const mirrored = HAND.map(([x, y, z]) => [-x, y, z] as Vec3);
    const t = similarityTransform(HAND, mirrored);
    expect(det3(t.rotation)).toBeCloseTo(1, 10);
    const errs = procrustesErrors(HAND, mirrored);
    expect(errs.reduce((a, b) => a + b, 0) / errs.length).toBeGreaterThan(1);
  });

  it('planar points (a flat hand) still align exactly with a proper rotation', () => {
    const flat = HAND.map(([x, y]) => [x, y, 0] as Vec3);
    const r = rotation([1, 1, 0], 0.7);
    const target = apply(r, 0.5, [1, 2, 3], flat);
    const t = similarityTransform(flat, target);
    expect(det3(t.rotation)).toBeCloseTo(1, 10);
    for (const e of procrustesErrors(flat, target)) expect(e).toBeLessThan(1e-9);
  });

  it('hand-computed case: two points, 90 degrees about z, scale 2', () => {
    // source (1,0,0), (-1,0,0) -> target (0,2,0), (0,-2,0): s = 2 and x -> y; the 3x3 cross-covariance has rank 1
    const t = similarityTransform(
      [
        [1, 0, 0],
        [-1, 0, 0],
      ],
      [
        [0, 2, 0],
        [0, -2, 0],
      ],
    );
    expect(t.scale).toBeCloseTo(2, 12);
    const mapped = applySimilarity(t, [[1, 0, 0]])[0];
    expect(mapped[0]).toBeCloseTo(0, 12);
    expect(mapped[1]).toBeCloseTo(2, 12);
    expect(det3(t.rotation)).toBeCloseTo(1, 12);
  });

  it('ignores invalid joints', () => {
    const target = apply(rotation([0, 0, 1], 0.4), 1.2, [5, 5, 5], HAND);
    const broken = target.map((p, i) => (i === 7 ? ([1e4, 1e4, 1e4] as Vec3) : p));
    const valid = HAND.map((_, i) => i !== 7);
    const errs = procrustesErrors(HAND, broken, valid);
    expect(errs[7]).toBeNaN();
    for (const e of errs.filter((_, i) => i !== 7)) expect(e).toBeLessThan(1e-9);
  });
});
