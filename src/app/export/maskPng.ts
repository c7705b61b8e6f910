import { maskToImage } from '../../core/multitask/maskToImage';
import type { FrameResult } from '../../core/types';

/**
 * All hands' masks on the image, 0..255 (the per-pixel maximum over hands): core's maskToImage,
 * the CLI's --mask maths (src/cli/denseOutput.ts frameMask), here on the page's main thread.
 */
export function frameMask(result: FrameResult): Uint8Array {
  const out = new Uint8Array(result.width * result.height);
  for (const h of result.hands) if (h.mask) maskToImage(h.mask.data, h.mask.size, h.roi, result.width, result.height, out);
  return out;
}

/** The image-size hand mask as a PNG (grey: 255 = hand, 0 = not; opaque), like the CLI's --mask file. */
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
