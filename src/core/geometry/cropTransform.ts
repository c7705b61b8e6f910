import type { Point2, RotatedRect } from './rect';

/**
 * The affine map between a rotated ROI in the source image and an N x M crop of it.
 *
 * Coordinates are "area" coordinates: pixel i covers [i, i + 1), so the crop's full extent is
 * [0, N) and a keypoint at crop x = N/2 sits at the ROI centre. This is the convention of the
 * landmark model's outputs.
 */
export interface CropMapping {
  rect: RotatedRect;
  outWidth: number;
  outHeight: number;
}

/** Crop coordinates (area convention) -> source-image pixels. */
export function cropToImage(m: CropMapping, u: number, v: number, out: Point2 = { x: 0, y: 0 }): Point2 {
  const { rect } = m;
  const ax = (u / m.outWidth - 0.5) * rect.width;
  const ay = (v / m.outHeight - 0.5) * rect.height;
  const c = Math.cos(rect.rotation);
  const s = Math.sin(rect.rotation);
  out.x = rect.cx + ax * c - ay * s;
  out.y = rect.cy + ax * s + ay * c;
  return out;
}

/** Source-image pixels -> crop coordinates (inverse of cropToImage). */
export function imageToCrop(m: CropMapping, x: number, y: number, out: Point2 = { x: 0, y: 0 }): Point2 {
  const { rect } = m;
  const dx = x - rect.cx;
  const dy = y - rect.cy;
  const c = Math.cos(rect.rotation);
  const s = Math.sin(rect.rotation);
  const ax = dx * c + dy * s;
  const ay = -dx * s + dy * c;
  out.x = (ax / rect.width + 0.5) * m.outWidth;
  out.y = (ay / rect.height + 0.5) * m.outHeight;
  return out;
}

/**
 * The 8 numbers `tf.image.transform` wants: for each output pixel INDEX (u, v) it samples the input
 * at index (a0 u + a1 v + a2, b0 u + b1 v + b2). Index i has its centre at area coordinate i + 0.5,
 * hence the half-pixel terms.
 */
export function transformMatrix(m: CropMapping): [number, number, number, number, number, number, number, number] {
  const { rect } = m;
  const c = Math.cos(rect.rotation);
  const s = Math.sin(rect.rotation);
  const sx = rect.width / m.outWidth;
  const sy = rect.height / m.outHeight;
  // area coord of output index u is u + 0.5 -> ax = (u + 0.5) * sx - width / 2
  const ax0 = 0.5 * sx - rect.width / 2;
  const ay0 = 0.5 * sy - rect.height / 2;
  const a0 = sx * c;
  const a1 = -sy * s;
  const a2 = rect.cx + ax0 * c - ay0 * s - 0.5;
  const b0 = sx * s;
  const b1 = sy * c;
  const b2 = rect.cy + ax0 * s + ay0 * c - 0.5;
  return [a0, a1, a2, b0, b1, b2, 0, 0];
}
