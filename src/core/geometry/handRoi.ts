import type { PalmDetection } from '../detect/palmDecoder';
import { rectCorners, rotationFromPoints, transformRect, type Point2, type RectTransform, type RotatedRect } from './rect';

/** MediaPipe's detection -> landmark-crop rule: shift half a palm towards the fingers, side 2.6 x. */
export const DETECTION_TO_ROI: RectTransform = { scaleX: 2.6, scaleY: 2.6, shiftX: 0, shiftY: -0.5, squareLong: true };

/** MediaPipe's landmarks -> next-frame crop rule (tracking). */
export const LANDMARKS_TO_ROI: RectTransform = { scaleX: 2.0, scaleY: 2.0, shiftX: 0, shiftY: -0.1, squareLong: true };

/** Palm keypoints that give the ROI rotation: wrist -> middle-finger base. */
const PALM_WRIST = 0;
const PALM_MIDDLE_BASE = 2;

export function roiFromDetection(d: PalmDetection, t: RectTransform = DETECTION_TO_ROI): RotatedRect {
  const rotation = rotationFromPoints(d.keypoints[PALM_WRIST], d.keypoints[PALM_MIDDLE_BASE]);
  return transformRect({ cx: d.cx, cy: d.cy, width: d.width, height: d.height, rotation }, t);
}

/** Keypoints of the palm and the finger bases: stable under finger motion, so they anchor the ROI. */
const PARTIAL = [0, 1, 2, 3, 5, 6, 9, 10, 13, 14, 17, 18];

/**
 * MediaPipe's HandLandmarksToRectCalculator: rotation from the wrist to a blend of the index, middle
 * and ring MCPs; box = the partial landmarks' extent in the rotated frame; then LANDMARKS_TO_ROI.
 */
export function roiFromLandmarks(kp: ArrayLike<Point2>, t: RectTransform = LANDMARKS_TO_ROI): RotatedRect {
  const wrist = kp[0];
  const mx = ((kp[5].x + kp[13].x) / 2 + kp[9].x) / 2;
  const my = ((kp[5].y + kp[13].y) / 2 + kp[9].y) / 2;
  const rotation = rotationFromPoints(wrist, { x: mx, y: my });
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const i of PARTIAL) {
    xMin = Math.min(xMin, kp[i].x);
    xMax = Math.max(xMax, kp[i].x);
    yMin = Math.min(yMin, kp[i].y);
    yMax = Math.max(yMax, kp[i].y);
  }
  const ax = (xMin + xMax) / 2;
  const ay = (yMin + yMax) / 2;
  const c = Math.cos(rotation);
  const s = Math.sin(rotation);
  // extent in the rect's own frame (rotate by -rotation around the axis-aligned centre)
  let uMin = Infinity;
  let uMax = -Infinity;
  let vMin = Infinity;
  let vMax = -Infinity;
  for (const i of PARTIAL) {
    const dx = kp[i].x - ax;
    const dy = kp[i].y - ay;
    const u = dx * c + dy * s;
    const v = -dx * s + dy * c;
    uMin = Math.min(uMin, u);
    uMax = Math.max(uMax, u);
    vMin = Math.min(vMin, v);
    vMax = Math.max(vMax, v);
  }
  const uc = (uMin + uMax) / 2;
  const vc = (vMin + vMax) / 2;
  const rect: RotatedRect = {
    cx: ax + uc * c - vc * s,
    cy: ay + uc * s + vc * c,
    width: uMax - uMin,
    height: vMax - vMin,
    rotation,
  };
  return transformRect(rect, t);
}

/** A whole-hand box gives no orientation: an upright square 2x its longer side (refined later; the
 * detector's boxes are tight, and 2x gave the landmark network the whole hand on fists). */
export const BOX_TO_ROI_SCALE = 2;

export function roiFromBox(b: { xMin: number; yMin: number; xMax: number; yMax: number }, scale = BOX_TO_ROI_SCALE): RotatedRect {
  const side = Math.max(b.xMax - b.xMin, b.yMax - b.yMin) * scale;
  return { cx: (b.xMin + b.xMax) / 2, cy: (b.yMin + b.yMax) / 2, width: side, height: side, rotation: 0 };
}

/**
 * How far a crop moved: the mean distance between corresponding corners of two ROIs, as a fraction
 * of the first one's side. 0 = the same crop; it folds centre, size and angle changes into one
 * number (still-image refinement stops when the crop from the keypoints stops moving).
 */
export function roiChange(a: RotatedRect, b: RotatedRect): number {
  const ca = rectCorners(a);
  const cb = rectCorners(b);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += Math.hypot(ca[i].x - cb[i].x, ca[i].y - cb[i].y);
  return sum / 4 / Math.max(a.width, a.height);
}
