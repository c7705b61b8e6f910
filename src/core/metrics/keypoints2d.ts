/** 2D keypoint errors (pure). Points are [x, y] in pixels; `visible[i]` false = not annotated. */

export type Vec2 = readonly [number, number];

/** Per-joint Euclidean error in pixels; NaN where the ground truth joint is not visible. */
export function jointErrors2d(pred: readonly Vec2[], gt: readonly Vec2[], visible?: readonly boolean[]): number[] {
  if (pred.length !== gt.length) throw new Error(`jointErrors2d: ${pred.length} predicted vs ${gt.length} ground-truth joints`);
  return gt.map((g, i) => (visible && !visible[i] ? Number.NaN : Math.hypot(pred[i][0] - g[0], pred[i][1] - g[1])));
}

/** Mean signed offset (pred - gt) over visible joints: a systematic shift points at a coordinate-convention bug. */
export function meanOffset2d(pred: readonly Vec2[], gt: readonly Vec2[], visible?: readonly boolean[]): Vec2 {
  let dx = 0;
  let dy = 0;
  let n = 0;
  gt.forEach((g, i) => {
    if (visible && !visible[i]) return;
    dx += pred[i][0] - g[0];
    dy += pred[i][1] - g[1];
    n++;
  });
  return n ? [dx / n, dy / n] : [Number.NaN, Number.NaN];
}

/** Axis-aligned box of the visible points: [xMin, yMin, xMax, yMax]. */
export function pointsBox(points: readonly Vec2[], visible?: readonly boolean[]): [number, number, number, number] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  points.forEach((p, i) => {
    if (visible && !visible[i]) return;
    x0 = Math.min(x0, p[0]);
    y0 = Math.min(y0, p[1]);
    x1 = Math.max(x1, p[0]);
    y1 = Math.max(y1, p[1]);
  });
  return [x0, y0, x1, y1];
}
