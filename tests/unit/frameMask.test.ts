import { describe, expect, it } from 'vitest';
import { frameMask } from '../../src/core/multitask/frameMask';
import { maskToImage } from '../../src/core/multitask/maskToImage';
import type { FrameResult, HandResult } from '../../src/core/types';

/** A hand with only what frameMask reads: its ROI and (optionally) a uniform size x size mask. */
function hand(cx: number, cy: number, side: number, value?: number): HandResult {
  const size = 8;
  return {
    roi: { cx, cy, width: side, height: side, rotation: 0.3 },
    mask: value === undefined ? undefined : { size, data: new Uint8Array(size * size).fill(value) },
  } as HandResult;
}

const frame = (hands: HandResult[]) => ({ width: 40, height: 30, hands }) as FrameResult;

describe('frameMask', () => {
  it('is one hand mask resampled onto the frame (maskToImage)', () => {
    const h = hand(15, 12, 14, 200);
    expect(frameMask(frame([h]))).toEqual(maskToImage(h.mask!.data, h.mask!.size, h.roi, 40, 30));
  });

  it('keeps the per-pixel maximum over hands and skips hands without a mask', () => {
    const a = hand(15, 12, 14, 200);
    const b = hand(20, 15, 14, 90);
    const m = frameMask(frame([a, hand(5, 5, 6), b]));
    const ma = frameMask(frame([a]));
    const mb = frameMask(frame([b]));
    expect(m).toHaveLength(40 * 30);
    for (let i = 0; i < m.length; i++) expect(m[i]).toBe(Math.max(ma[i], mb[i]));
    expect(m.some((v) => v === 200) && m.some((v) => v === 90)).toBe(true);
  });

  it('is all zero without masks', () => {
    expect(frameMask(frame([hand(5, 5, 6)])).every((v) => v === 0)).toBe(true);
  });
});
