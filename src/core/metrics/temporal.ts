/**
 * Frame-to-frame stability of what a user sees on video (issue 14 item 5): how much the mask and
 * the mesh change between consecutive frames, measured where the hand itself holds still (the
 * reference keypoints move less than a threshold), so that change there is flicker, not motion.
 */

/** A probability mask (0..255) as a binary one (nonzero = hand, >= 128), for maskCounts. */
export function thresholdMask(mask: Uint8Array): Uint8Array {
  return mask.map((v) => (v >= 128 ? 1 : 0));
}

/**
 * Mean distance (same unit as the input) between corresponding points of two point sets
 * [N * 3], each taken relative to its own point `origin` (e.g. the wrist): the shape's change, not
 * its travel.
 */
export function meanRelativeDisplacement(
  a: Float32Array,
  b: Float32Array,
  origin: readonly [number, number, number],
  originB: readonly [number, number, number],
): number {
  const n = a.length / 3;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const dx = a[3 * i] - origin[0] - (b[3 * i] - originB[0]);
    const dy = a[3 * i + 1] - origin[1] - (b[3 * i + 1] - originB[1]);
    const dz = a[3 * i + 2] - origin[2] - (b[3 * i + 2] - originB[2]);
    sum += Math.hypot(dx, dy, dz);
  }
  return sum / n;
}

/** Mean 2D distance (px) between two keypoint lists [[x, y], ...]. */
export function meanKeypointMotion(a: ReadonlyArray<readonly number[]>, b: ReadonlyArray<readonly number[]>): number {
  return a.reduce((s, p, i) => s + Math.hypot(p[0] - b[i][0], p[1] - b[i][1]), 0) / a.length;
}

/** Indices t (>= 1) where the reference hand moved less than `maxMotionPx` since frame t - 1. */
export function steadyFrames(reference: ReadonlyArray<ReadonlyArray<readonly number[]> | null>, maxMotionPx: number): number[] {
  const out: number[] = [];
  for (let t = 1; t < reference.length; t++) {
    const a = reference[t - 1];
    const b = reference[t];
    if (a?.length && b?.length && meanKeypointMotion(a, b) < maxMotionPx) out.push(t);
  }
  return out;
}
