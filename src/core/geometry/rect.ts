/**
 * Rotated rectangles in source-image pixels (x right, y down). `rotation` is in radians; the rect's
 * local x axis is (cos r, sin r) and its local y axis (-sin r, cos r), MediaPipe's convention, so a
 * rect with rotation r shows a hand that points along -local y ("up" in the crop).
 */
export interface RotatedRect {
  cx: number;
  cy: number;
  width: number;
  height: number;
  rotation: number;
}

/** Axis-aligned box in pixels. */
export interface Box {
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export interface Point2 {
  x: number;
  y: number;
}

/** Wraps an angle to [-pi, pi). */
export function normalizeRadians(angle: number): number {
  return angle - 2 * Math.PI * Math.floor((angle + Math.PI) / (2 * Math.PI));
}

/**
 * Rotation that turns the direction from `from` to `to` into "up" (the target angle, 90 degrees
 * by default): MediaPipe's rule for hand ROIs (wrist -> middle-finger base).
 */
export function rotationFromPoints(from: Point2, to: Point2, targetAngle = Math.PI / 2): number {
  return normalizeRadians(targetAngle - Math.atan2(-(to.y - from.y), to.x - from.x));
}

export interface RectTransform {
  /** Scale of width and height. */
  scaleX: number;
  scaleY: number;
  /** Shift of the centre in units of the (unscaled) width / height, along the rect's own axes. */
  shiftX: number;
  shiftY: number;
  /** Make the rect square with the longer side. */
  squareLong: boolean;
}

/** MediaPipe's RectTransformationCalculator, in pixels. */
export function transformRect(rect: RotatedRect, t: RectTransform): RotatedRect {
  const c = Math.cos(rect.rotation);
  const s = Math.sin(rect.rotation);
  const dx = rect.width * t.shiftX;
  const dy = rect.height * t.shiftY;
  const cx = rect.cx + dx * c - dy * s;
  const cy = rect.cy + dx * s + dy * c;
  let width = rect.width;
  let height = rect.height;
  if (t.squareLong) {
    const side = Math.max(width, height);
    width = side;
    height = side;
  }
  return { cx, cy, width: width * t.scaleX, height: height * t.scaleY, rotation: rect.rotation };
}

/** The four corners, in order top-left, top-right, bottom-right, bottom-left of the rect's frame. */
export function rectCorners(rect: RotatedRect): Point2[] {
  const c = Math.cos(rect.rotation);
  const s = Math.sin(rect.rotation);
  const hw = rect.width / 2;
  const hh = rect.height / 2;
  return [
    [-hw, -hh],
    [hw, -hh],
    [hw, hh],
    [-hw, hh],
  ].map(([ax, ay]) => ({ x: rect.cx + ax * c - ay * s, y: rect.cy + ax * s + ay * c }));
}

/** Axis-aligned bounds of a set of points. */
export function boundsOf(points: ArrayLike<Point2>): Box {
  let xMin = Infinity;
  let yMin = Infinity;
  let xMax = -Infinity;
  let yMax = -Infinity;
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (p.x < xMin) xMin = p.x;
    if (p.y < yMin) yMin = p.y;
    if (p.x > xMax) xMax = p.x;
    if (p.y > yMax) yMax = p.y;
  }
  return { xMin, yMin, xMax, yMax };
}

export function rectBounds(rect: RotatedRect): Box {
  return boundsOf(rectCorners(rect));
}

export function boxArea(b: Box): number {
  return Math.max(0, b.xMax - b.xMin) * Math.max(0, b.yMax - b.yMin);
}

export function boxIoU(a: Box, b: Box): number {
  const ix = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
  const iy = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin);
  if (ix <= 0 || iy <= 0) return 0;
  const inter = ix * iy;
  const union = boxArea(a) + boxArea(b) - inter;
  return union > 0 ? inter / union : 0;
}

/** Intersection over the smaller box's area: 1 when one box lies inside the other. */
export function boxContainment(a: Box, b: Box): number {
  const ix = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
  const iy = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin);
  if (ix <= 0 || iy <= 0) return 0;
  const smaller = Math.min(boxArea(a), boxArea(b));
  return smaller > 0 ? (ix * iy) / smaller : 0;
}
