import { frameMask } from '../../core/multitask/frameMask';
import type { FrameResult } from '../../core/types';

/**
 * The image-size hand mask (core's frameMask, as the CLI's --mask file) as a PNG (grey: 255 = hand,
 * 0 = not; opaque), encoded on the page's main thread.
 */
export async function maskPng(result: FrameResult): Promise<Blob> {
  const { width, height } = result;
  const mask = frameMask(result);
  const pixels = new ImageData(width, height);
  const rgba = pixels.data;
  for (let i = 0, o = 0; i < mask.length; i++, o += 4) {
    rgba[o] = rgba[o + 1] = rgba[o + 2] = mask[i];
    rgba[o + 3] = 255;
  }
  const canvas = new OffscreenCanvas(width, height);
  canvas.getContext('2d')!.putImageData(pixels, 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}
