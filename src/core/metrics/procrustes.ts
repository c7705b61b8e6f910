/**
 * Similarity (Procrustes with scale) alignment of 3D point sets, for PA-MPJPE. Umeyama's method on
 * a 3x3 cross-covariance, with our own 3x3 SVD (one-sided Jacobi); the rotation is kept proper
 * (det +1): a mirrored prediction is not "fixed" by a reflection. Pure; matrices are row-major [9].
 */

export type Vec3 = readonly [number, number, number];
export type Mat3 = number[];

export interface Svd3 {
  /** Left singular vectors (columns), orthonormal, det may be -1. */
  u: Mat3;
  /** Singular values, descending, >= 0. */
  s: [number, number, number];
  /** Right singular vectors (columns), orthonormal. */
  v: Mat3;
}

const at = (m: Mat3, r: number, c: number) => m[3 * r + c];

export function det3(m: Mat3): number {
  return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
}

export function mul3(a: Mat3, b: Mat3): Mat3 {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) out[3 * r + c] += at(a, r, k) * at(b, k, c);
  return out;
}

export function transpose3(m: Mat3): Mat3 {
  return [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]];
}

const cross = (a: number[], b: number[]) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const norm = (a: number[]) => Math.hypot(a[0], a[1], a[2]);

/** A = U diag(s) V^T for a 3x3 matrix (one-sided Jacobi rotations on the columns of A). */
export function svd3(a: Mat3): Svd3 {
  // columns of the working copy of A, and of V
  const w = [0, 1, 2].map((c) => [at(a, 0, c), at(a, 1, c), at(a, 2, c)]);
  const v = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < 2; p++) {
      for (let q = p + 1; q < 3; q++) {
        const alpha = w[p][0] ** 2 + w[p][1] ** 2 + w[p][2] ** 2;
        const beta = w[q][0] ** 2 + w[q][1] ** 2 + w[q][2] ** 2;
        const gamma = w[p][0] * w[q][0] + w[p][1] * w[q][1] + w[p][2] * w[q][2];
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (const m of [w, v]) {
          for (let k = 0; k < 3; k++) {
            const xp = m[p][k];
            const xq = m[q][k];
            m[p][k] = c * xp - s * xq;
            m[q][k] = s * xp + c * xq;
          }
        }
      }
    }
    if (!rotated) break;
  }
  const order = [0, 1, 2].sort((i, j) => norm(w[j]) - norm(w[i]));
  const sv = order.map((i) => norm(w[i])) as [number, number, number];
  const vCols = order.map((i) => v[i]);
  const uCols: number[][] = [];
  const tiny = Math.max(sv[0], 1e-300) * 1e-12;
  for (let j = 0; j < 3; j++) {
    if (sv[j] > tiny) uCols.push(w[order[j]].map((x) => x / sv[j]));
    else if (j === 0) uCols.push([1, 0, 0]);
    else if (j === 1) {
      // any unit vector orthogonal to the first column
      const u0 = uCols[0];
      const e = Math.abs(u0[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
      const c = cross(u0, e);
      const n = norm(c);
      uCols.push(c.map((x) => x / n));
    } else uCols.push(cross(uCols[0], uCols[1]));
    if (sv[j] <= tiny) sv[j] = 0;
  }
  const fromCols = (cols: number[][]): Mat3 => [cols[0][0], cols[1][0], cols[2][0], cols[0][1], cols[1][1], cols[2][1], cols[0][2], cols[1][2], cols[2][2]];
  return { u: fromCols(uCols), s: sv, v: fromCols(vCols) };
}

export interface Similarity {
  scale: number;
  /** Proper rotation (det +1), row-major. */
  rotation: Mat3;
  translation: [number, number, number];
}

/**
 * The similarity s R x + t that best maps `source` onto `target` in the least-squares sense
 * (Umeyama 1991), using only joints with `valid[i]` true (default all).
 */
export function similarityTransform(source: readonly Vec3[], target: readonly Vec3[], valid?: readonly boolean[]): Similarity {
  if (source.length !== target.length) throw new Error(`similarityTransform: ${source.length} vs ${target.length} points`);
  const idx = source.map((_, i) => i).filter((i) => !valid || valid[i]);
  const n = idx.length;
  if (n === 0) throw new Error('similarityTransform: no valid points');
  const mx = [0, 0, 0];
  const my = [0, 0, 0];
  for (const i of idx)
    for (let k = 0; k < 3; k++) {
      mx[k] += source[i][k] / n;
      my[k] += target[i][k] / n;
    }
  const cov = new Array<number>(9).fill(0); // (1/n) sum (y - my)(x - mx)^T
  let varX = 0;
  for (const i of idx) {
    const xc = [0, 1, 2].map((k) => source[i][k] - mx[k]);
    const yc = [0, 1, 2].map((k) => target[i][k] - my[k]);
    varX += (xc[0] ** 2 + xc[1] ** 2 + xc[2] ** 2) / n;
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) cov[3 * r + c] += (yc[r] * xc[c]) / n;
  }
  const { u, s, v } = svd3(cov);
  const d = det3(u) * det3(v) < 0 ? -1 : 1;
  const sMat = [1, 0, 0, 0, 1, 0, 0, 0, d];
  const rotation = mul3(mul3(u, sMat), transpose3(v));
  const scale = varX > 0 ? (s[0] + s[1] + d * s[2]) / varX : 0;
  const rmx = [0, 1, 2].map((r) => rotation[3 * r] * mx[0] + rotation[3 * r + 1] * mx[1] + rotation[3 * r + 2] * mx[2]);
  const translation: [number, number, number] = [my[0] - scale * rmx[0], my[1] - scale * rmx[1], my[2] - scale * rmx[2]];
  return { scale, rotation, translation };
}

export function applySimilarity(t: Similarity, points: readonly Vec3[]): Vec3[] {
  const r = t.rotation;
  return points.map((p) => [
    t.scale * (r[0] * p[0] + r[1] * p[1] + r[2] * p[2]) + t.translation[0],
    t.scale * (r[3] * p[0] + r[4] * p[1] + r[5] * p[2]) + t.translation[1],
    t.scale * (r[6] * p[0] + r[7] * p[1] + r[8] * p[2]) + t.translation[2],
  ]);
}
