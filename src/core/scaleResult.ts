import type { FrameResult, HandResult } from './types';

/**
 * Maps a result computed on a downscaled copy back to the original image: multiplies every pixel
 * quantity by `s` (original pixels per analysed pixel). 3D keypoints (metres) are unchanged.
 */
export function scaleFrameResult(frame: FrameResult, s: number, width: number, height: number): FrameResult {
  if (s === 1) return { ...frame, width, height };
  const hands: HandResult[] = frame.hands.map((h) => ({
    ...h,
    box: { xMin: h.box.xMin * s, yMin: h.box.yMin * s, xMax: h.box.xMax * s, yMax: h.box.yMax * s },
    roi: { ...h.roi, cx: h.roi.cx * s, cy: h.roi.cy * s, width: h.roi.width * s, height: h.roi.height * s },
    keypoints2d: h.keypoints2d.map((k) => ({ ...k, x: k.x * s, y: k.y * s })),
  }));
  return { ...frame, hands, width, height };
}
