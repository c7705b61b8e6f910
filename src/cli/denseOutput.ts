import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp from 'sharp';
import { NUM_KEYPOINTS } from '../core/keypoints';
import { frameMask } from '../core/multitask/frameMask';
import { maskToImage } from '../core/multitask/maskToImage';
import type { FrameResult } from '../core/types';

/** Writes the hand mask of every hand as an 8-bit grey PNG the size of the image (255 = hand). */
export async function writeMaskPng(result: FrameResult, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await sharp(Buffer.from(frameMask(result)), { raw: { width: result.width, height: result.height, channels: 1 } })
    .png()
    .toFile(path);
}

/**
 * Writes the heat maps (the maximum over the 21 keypoints' maps of every hand, resampled onto the
 * image) as a "hot" colour overlay on the darkened photo.
 */
export async function writeHeatmapsPng(imagePath: string, result: FrameResult, path: string): Promise<void> {
  const { width, height } = result;
  const heat = new Uint8Array(width * height);
  for (const h of result.hands) {
    if (!h.heatmaps) continue;
    const { size, data } = h.heatmaps;
    const max = new Uint8Array(size * size);
    for (let i = 0; i < size * size; i++) {
      let m = 0;
      for (let k = 0; k < NUM_KEYPOINTS; k++) m = Math.max(m, data[i * NUM_KEYPOINTS + k]);
      max[i] = m;
    }
    maskToImage(max, size, h.roi, width, height, heat);
  }
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const v = heat[i] / 255;
    rgba[4 * i] = 255 * Math.min(1, 3 * v);
    rgba[4 * i + 1] = 255 * Math.min(1, Math.max(0, 3 * v - 1));
    rgba[4 * i + 2] = 255 * Math.min(1, Math.max(0, 3 * v - 2));
    rgba[4 * i + 3] = 255 * Math.min(1, 1.5 * v);
  }
  await mkdir(dirname(path), { recursive: true });
  await sharp(imagePath)
    .rotate()
    .resize(width, height, { fit: 'fill' })
    .modulate({ brightness: 0.45 })
    .composite([{ input: rgba, raw: { width, height, channels: 4 }, top: 0, left: 0 }])
    .png()
    .toFile(path);
}
