/** 3D joint errors (pure): root-relative MPJPE and Procrustes-aligned (PA) MPJPE. Units are the caller's (mm here). */
import { applySimilarity, similarityTransform, type Vec3 } from './procrustes';

export type { Vec3 } from './procrustes';

/** Points minus the root joint (the wrist, index 0, by default). */
export function rootRelative(points: readonly Vec3[], root = 0): Vec3[] {
  const r = points[root];
  return points.map((p) => [p[0] - r[0], p[1] - r[1], p[2] - r[2]]);
}

/** Per-joint Euclidean error; NaN where `valid[i]` is false. */
export function jointErrors3d(pred: readonly Vec3[], gt: readonly Vec3[], valid?: readonly boolean[]): number[] {
  if (pred.length !== gt.length) throw new Error(`jointErrors3d: ${pred.length} predicted vs ${gt.length} ground-truth joints`);
  return gt.map((g, i) => (valid && !valid[i] ? Number.NaN : Math.hypot(pred[i][0] - g[0], pred[i][1] - g[1], pred[i][2] - g[2])));
}

/** Root-relative per-joint errors: both sets relative to their own root first (root must be valid). */
export function rootRelativeErrors(pred: readonly Vec3[], gt: readonly Vec3[], valid?: readonly boolean[], root = 0): number[] {
  if (valid && !valid[root]) return gt.map(() => Number.NaN);
  return jointErrors3d(rootRelative(pred, root), rootRelative(gt, root), valid);
}

/** Per-joint errors after aligning `pred` to `gt` with the best similarity (rotation, scale, translation). */
export function procrustesErrors(pred: readonly Vec3[], gt: readonly Vec3[], valid?: readonly boolean[]): number[] {
  const n = gt.filter((_, i) => !valid || valid[i]).length;
  if (n < 3) return gt.map(() => Number.NaN);
  const aligned = applySimilarity(similarityTransform(pred, gt, valid), pred);
  return jointErrors3d(aligned, gt, valid);
}
