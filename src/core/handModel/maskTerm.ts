import type { RotatedRect } from '../geometry/rect';

/**
 * The fit's silhouette term (HIU-DMTL's self-supervision of the mesh by the predicted mask): every
 * sampled mesh vertex that projects outside the heads' hand mask costs its distance to the mask,
 * and (coverage, two-sided) sampled mask cells cost their distance to the nearest projected vertex.
 * This file prepares the per-hand data: the mask's distance transform on its grid, the coverage
 * points and the affine map from the fit's image pixels to that grid.
 */
export interface MaskTarget {
  /** Grid side (the heads' 56). */
  size: number;
  /** Distance (grid pixels) from each cell to the nearest hand cell, 0 on the hand [size * size]. */
  distance: Float32Array;
  /** Fit-space pixel (u, v) -> grid index coordinates: gx = a[0] u + a[1] v + a[2], gy = a[3] u + a[4] v + a[5]. */
  affine: [number, number, number, number, number, number];
  /** Image pixels per grid cell (turns distances into pixels). */
  pixelsPerCell: number;
  /**
   * The coverage term's points: up to COVERAGE_POINTS hand cells, evenly spread over the mask in
   * scan order, as grid index coordinates [x0, y0, x1, y1, ...]; each costs its distance to the
   * nearest projected mesh vertex (so the mesh cannot shrink away from the mask).
   */
  coverage: Float32Array;
}

/** Number of mask cells the coverage term samples per hand. */
export const COVERAGE_POINTS = 48;

/** Evenly spaced hand cells (probability >= 50 %) in scan order, as [x, y] grid index pairs. */
export function coveragePoints(mask: ArrayLike<number>, size: number, count = COVERAGE_POINTS): Float32Array {
  const cells: number[] = [];
  for (let i = 0; i < size * size; i++) if (mask[i] >= 128) cells.push(i);
  const n = Math.min(count, cells.length);
  const out = new Float32Array(2 * n);
  for (let k = 0; k < n; k++) {
    const i = cells[Math.floor(((k + 0.5) * cells.length) / n)];
    out[2 * k] = i % size;
    out[2 * k + 1] = Math.floor(i / size);
  }
  return out;
}

/**
 * Two-pass chamfer distance (1, sqrt 2) to the cells with probability >= 50 % (`mask` 0..255).
 * Undefined when the mask is empty. Chamfer, not exact Euclidean: within 8 % and cheap (56 x 56).
 */
export function maskDistance(mask: ArrayLike<number>, size: number): Float32Array | undefined {
  const d = new Float32Array(size * size);
  let any = false;
  for (let i = 0; i < d.length; i++) {
    const inside = mask[i] >= 128;
    any ||= inside;
    d[i] = inside ? 0 : 1e9;
  }
  if (!any) return undefined;
  const D = Math.SQRT2;
  const relax = (i: number, j: number, w: number) => {
    if (d[j] + w < d[i]) d[i] = d[j] + w;
  };
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      if (x > 0) relax(i, i - 1, 1);
      if (y > 0) {
        relax(i, i - size, 1);
        if (x > 0) relax(i, i - size - 1, D);
        if (x < size - 1) relax(i, i - size + 1, D);
      }
    }
  }
  for (let y = size - 1; y >= 0; y--) {
    for (let x = size - 1; x >= 0; x--) {
      const i = y * size + x;
      if (x < size - 1) relax(i, i + 1, 1);
      if (y < size - 1) {
        relax(i, i + size, 1);
        if (x < size - 1) relax(i, i + size + 1, D);
        if (x > 0) relax(i, i + size - 1, D);
      }
    }
  }
  return d;
}

/**
 * The mask target of one hand: `roi` is the crop the mask was predicted in (image pixels);
 * `mirrorAboutX` (the fit's principal point x) when the hand is fitted as its mirror image
 * (u -> 2 cx - u), as the fit does for left hands.
 */
export function maskTarget(mask: ArrayLike<number>, size: number, roi: RotatedRect, mirrorAboutX?: number): MaskTarget | undefined {
  const distance = maskDistance(mask, size);
  if (!distance) return undefined;
  const c = Math.cos(roi.rotation);
  const s = Math.sin(roi.rotation);
  const m = mirrorAboutX === undefined ? 1 : -1;
  const tx = mirrorAboutX === undefined ? 0 : 2 * mirrorAboutX;
  const kx = size / roi.width;
  const ky = size / roi.height;
  // image x = m u + tx; then imageToCrop (area coordinates) and - 0.5 for index coordinates
  const affine: MaskTarget['affine'] = [
    kx * c * m,
    kx * s,
    kx * (c * (tx - roi.cx) - s * roi.cy) + size / 2 - 0.5,
    -ky * s * m,
    ky * c,
    ky * (-s * (tx - roi.cx) - c * roi.cy) + size / 2 - 0.5,
  ];
  return { size, distance, affine, pixelsPerCell: roi.width / size, coverage: coveragePoints(mask, size) };
}
