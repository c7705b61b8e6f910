import { imageToCrop } from '../geometry/cropTransform';
import type { RotatedRect } from '../geometry/rect';

/**
 * A hand mask predicted in its crop (size x size, 0..255, covering `roi`) resampled onto the
 * source image (width x height, 0..255, bilinear, 0 outside the crop). Several hands: call once
 * per hand with the same `out` to keep the maximum.
 */
export function maskToImage(
  mask: ArrayLike<number>,
  size: number,
  roi: RotatedRect,
  width: number,
  height: number,
  out = new Uint8Array(width * height),
): Uint8Array {
  const m = { rect: roi, outWidth: size, outHeight: size };
  // only pixels inside the ROI's bounds can be non-zero
  const r = Math.hypot(roi.width, roi.height) / 2;
  const x0 = Math.max(0, Math.floor(roi.cx - r));
  const x1 = Math.min(width - 1, Math.ceil(roi.cx + r));
  const y0 = Math.max(0, Math.floor(roi.cy - r));
  const y1 = Math.min(height - 1, Math.ceil(roi.cy + r));
  const p = { x: 0, y: 0 };
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      imageToCrop(m, x + 0.5, y + 0.5, p);
      // crop area coordinates -> sample positions (pixel centres at i + 0.5)
      const u = p.x - 0.5;
      const v = p.y - 0.5;
      if (u < -0.5 || v < -0.5 || u > size - 0.5 || v > size - 0.5) continue;
      const ui = Math.floor(u);
      const vi = Math.floor(v);
      const fu = u - ui;
      const fv = v - vi;
      const at = (i: number, j: number) => mask[Math.min(size - 1, Math.max(0, j)) * size + Math.min(size - 1, Math.max(0, i))];
      const val = (1 - fv) * ((1 - fu) * at(ui, vi) + fu * at(ui + 1, vi)) + fv * ((1 - fu) * at(ui, vi + 1) + fu * at(ui + 1, vi + 1));
      const o = y * width + x;
      if (val > out[o]) out[o] = val;
    }
  }
  return out;
}
