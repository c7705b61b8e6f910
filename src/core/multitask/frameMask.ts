import type { FrameResult } from '../types';
import { maskToImage } from './maskToImage';

/**
 * All hands' masks on the frame, width x height, 0..255: each hand's crop mask resampled onto the
 * frame (maskToImage), the per-pixel maximum over hands. What the page's and the CLI's mask files hold.
 */
export function frameMask(result: FrameResult): Uint8Array {
  const out = new Uint8Array(result.width * result.height);
  for (const h of result.hands) if (h.mask) maskToImage(h.mask.data, h.mask.size, h.roi, result.width, result.height, out);
  return out;
}
