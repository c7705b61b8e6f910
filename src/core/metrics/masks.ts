/**
 * Binary mask metrics (pure). Masks are row-major Uint8Array, width x height, nonzero = hand.
 * IoU is reported two ways: the mean of per-image IoUs, and pooled (all pixels of all images
 * counted together, so large hands weigh more).
 */
import type { Vec2 } from './keypoints2d';

export interface MaskCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** Boundary agreement (boundaryCounts), where the caller knew the image's size. */
  boundary?: BoundaryCounts;
}

export function maskCounts(pred: ArrayLike<number>, gt: ArrayLike<number>): MaskCounts {
  if (pred.length !== gt.length) throw new Error(`maskCounts: masks differ in size (${pred.length} vs ${gt.length} pixels)`);
  const c: MaskCounts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let i = 0; i < gt.length; i++) {
    const p = pred[i] !== 0;
    const g = gt[i] !== 0;
    if (p && g) c.tp++;
    else if (p) c.fp++;
    else if (g) c.fn++;
    else c.tn++;
  }
  return c;
}

/** Intersection over union; two empty masks agree perfectly (1). */
export const maskIoU = (c: MaskCounts) => (c.tp + c.fp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fp + c.fn));
/** Of the predicted hand pixels, the fraction that are hand; NaN when nothing was predicted. */
export const maskPrecision = (c: MaskCounts) => (c.tp + c.fp === 0 ? Number.NaN : c.tp / (c.tp + c.fp));
/** Of the true hand pixels, the fraction found; NaN when the ground truth is empty. */
export const maskRecall = (c: MaskCounts) => (c.tp + c.fn === 0 ? Number.NaN : c.tp / (c.tp + c.fn));

export interface MaskSummary {
  images: number;
  /** Mean over images of the per-image IoU. */
  meanIoU: number;
  /** IoU of all pixels pooled. */
  pooledIoU: number;
  /** Pooled precision and recall. */
  precision: number;
  recall: number;
  /** Mean over images of the per-image boundary F (boundaryF; DAVIS's F), NaN unless every image has boundary counts. */
  meanBoundaryF: number;
  /** Boundary precision and recall, pooled over images (boundary pixels matched within the tolerance). */
  boundaryPrecision: number;
  boundaryRecall: number;
}

export function summariseMasks(counts: readonly MaskCounts[]): MaskSummary {
  const sum: MaskCounts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const c of counts) {
    sum.tp += c.tp;
    sum.fp += c.fp;
    sum.fn += c.fn;
    sum.tn += c.tn;
  }
  const meanIoU = counts.length ? counts.reduce((a, c) => a + maskIoU(c), 0) / counts.length : Number.NaN;
  const b = counts.every((c) => c.boundary) ? counts.map((c) => c.boundary!) : [];
  const bsum = b.reduce(
    (a, c) => ({ pred: a.pred + c.pred, predMatched: a.predMatched + c.predMatched, gt: a.gt + c.gt, gtMatched: a.gtMatched + c.gtMatched }),
    { pred: 0, predMatched: 0, gt: 0, gtMatched: 0 },
  );
  return {
    images: counts.length,
    meanIoU,
    pooledIoU: counts.length ? maskIoU(sum) : Number.NaN,
    precision: maskPrecision(sum),
    recall: maskRecall(sum),
    meanBoundaryF: b.length ? b.reduce((a, c) => a + boundaryF(c), 0) / b.length : Number.NaN,
    boundaryPrecision: b.length && bsum.pred ? bsum.predMatched / bsum.pred : Number.NaN,
    boundaryRecall: b.length && bsum.gt ? bsum.gtMatched / bsum.gt : Number.NaN,
  };
}

/**
 * Cuts a mask at the wrist: keeps the pixels on the fingers' side of the line through `wrist`
 * perpendicular to wrist -> `middleMcp`, moved `offset` x |wrist -> middleMcp| towards the forearm
 * (0 = through the wrist keypoint). Removes bare forearm that a "skin" ground truth includes.
 * Pixel (x, y) is tested at its centre (x + 0.5, y + 0.5), the keypoints' area convention.
 */
export function cutMaskAtWrist(mask: ArrayLike<number>, width: number, height: number, wrist: Vec2, middleMcp: Vec2, offset = 0): Uint8Array {
  const dx = middleMcp[0] - wrist[0];
  const dy = middleMcp[1] - wrist[1];
  const len = Math.hypot(dx, dy);
  const out = new Uint8Array(width * height);
  if (len === 0) {
    for (let i = 0; i < out.length; i++) out[i] = mask[i] ? 1 : 0;
    return out;
  }
  const ux = dx / len;
  const uy = dy / len;
  const limit = -offset * len;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (mask[i] && (x + 0.5 - wrist[0]) * ux + (y + 0.5 - wrist[1]) * uy >= limit) out[i] = 1;
    }
  }
  return out;
}

/** Fraction of points that fall on a nonzero mask pixel (points outside the image count as off). */
export function fractionOnMask(points: readonly Vec2[], mask: ArrayLike<number>, width: number, height: number): number {
  if (points.length === 0) return Number.NaN;
  let on = 0;
  for (const [x, y] of points) {
    const xi = Math.floor(x);
    const yi = Math.floor(y);
    if (xi >= 0 && yi >= 0 && xi < width && yi < height && mask[yi * width + xi]) on++;
  }
  return on / points.length;
}

/** maskCounts with the boundary counts (boundaryCounts, DAVIS's tolerance) of the width x height masks. */
export function maskCountsWithBoundary(
  pred: ArrayLike<number>,
  gt: ArrayLike<number>,
  width: number,
  height: number,
  ignore?: (x: number, y: number) => boolean,
): MaskCounts {
  return { ...maskCounts(pred, gt), boundary: boundaryCounts(pred, gt, width, height, undefined, ignore) };
}

/**
 * A predicted mask scored twice: against the raw GT, and "hand only" with both masks cut at the
 * wrist line of the given keypoints (removes forearm that a skin GT includes and a hand model need
 * not predict). Both with boundary counts; the hand-only ones leave out the boundary pixels within
 * the tolerance (+1 px) of the cut line, an edge the cut gives both masks. Take the wrist from the
 * ground truth where it has one: a predicted wrist makes the hand-only GT depend on the prediction.
 */
export function maskCountsRawAndHandOnly(
  pred: ArrayLike<number>,
  gt: ArrayLike<number>,
  width: number,
  height: number,
  wrist: Vec2,
  middleMcp: Vec2,
  offset = 0,
): { raw: MaskCounts; handOnly: MaskCounts } {
  const dx = middleMcp[0] - wrist[0];
  const dy = middleMcp[1] - wrist[1];
  const len = Math.hypot(dx, dy);
  const band = boundaryTolerancePx(width, height) + 1;
  const onCut =
    len === 0 ? undefined : (x: number, y: number) => Math.abs(((x + 0.5 - wrist[0]) * dx + (y + 0.5 - wrist[1]) * dy) / len + offset * len) <= band;
  return {
    raw: maskCountsWithBoundary(pred, gt, width, height),
    handOnly: maskCountsWithBoundary(
      cutMaskAtWrist(pred, width, height, wrist, middleMcp, offset),
      cutMaskAtWrist(gt, width, height, wrist, middleMcp, offset),
      width,
      height,
      onCut,
    ),
  };
}

/** The two ends of the wrist cut line across a width x height image (for drawing), or undefined. */
export function wristCutLine(width: number, height: number, wrist: Vec2, middleMcp: Vec2, offset = 0): [Vec2, Vec2] | undefined {
  const dx = middleMcp[0] - wrist[0];
  const dy = middleMcp[1] - wrist[1];
  const len = Math.hypot(dx, dy);
  if (len === 0) return undefined;
  const px = wrist[0] - offset * dx;
  const py = wrist[1] - offset * dy;
  const reach = Math.hypot(width, height);
  // perpendicular direction (-dy, dx)
  return [
    [px - (dy / len) * reach, py + (dx / len) * reach],
    [px + (dy / len) * reach, py - (dx / len) * reach],
  ];
}

/**
 * Boundary agreement of two masks (DAVIS's F, Perazzi et al. 2016): the boundary pixels of each
 * mask (seg2bmap: a pixel whose value differs from its right, lower or lower-right neighbour), a
 * predicted boundary pixel counts as matched when a GT boundary pixel lies within `tolerance` px
 * (Euclidean, a disk as DAVIS's dilation), and the other way round.
 */
export interface BoundaryCounts {
  /** Boundary pixels of the prediction, and how many of them have a GT boundary pixel within the tolerance. */
  pred: number;
  predMatched: number;
  /** Boundary pixels of the GT, and how many have a predicted boundary pixel within the tolerance. */
  gt: number;
  gtMatched: number;
}

/** DAVIS's tolerance: 0.8 % of the image diagonal, rounded up to whole pixels. */
export const BOUNDARY_TOLERANCE = 0.008;
export const boundaryTolerancePx = (width: number, height: number) => Math.ceil(BOUNDARY_TOLERANCE * Math.hypot(width, height));

/** DAVIS's seg2bmap on a width x height 0/nonzero mask: 1 where a pixel differs from its right, lower or lower-right neighbour. */
export function boundaryMap(mask: ArrayLike<number>, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const v = mask[i] !== 0;
      const r = x + 1 < width && (mask[i + 1] !== 0) !== v;
      const d = y + 1 < height && (mask[i + width] !== 0) !== v;
      const rd = x + 1 < width && y + 1 < height && (mask[i + width + 1] !== 0) !== v;
      if (r || d || rd) out[i] = 1;
    }
  }
  return out;
}

/**
 * Squared Euclidean distance from every pixel to the nearest nonzero pixel of `on` (Felzenszwalb
 * and Huttenlocher's exact two-pass transform); Infinity everywhere when `on` is empty.
 */
export function squaredDistanceTransform(on: ArrayLike<number>, width: number, height: number): Float64Array {
  const d = new Float64Array(width * height);
  for (let i = 0; i < d.length; i++) d[i] = on[i] ? 0 : Number.POSITIVE_INFINITY;
  const n = Math.max(width, height);
  const f = new Float64Array(n);
  const out = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  const pass = (len: number) => {
    // 1D lower envelope of parabolas over f[0..len)
    let k = -1;
    for (let q = 0; q < len; q++) {
      if (f[q] === Number.POSITIVE_INFINITY) continue;
      let s = 0;
      while (k >= 0) {
        s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
        if (s > z[k]) break;
        k--;
      }
      k++;
      v[k] = q;
      z[k] = k === 0 ? Number.NEGATIVE_INFINITY : s;
      z[k + 1] = Number.POSITIVE_INFINITY;
    }
    if (k < 0) {
      out.fill(Number.POSITIVE_INFINITY, 0, len);
      return;
    }
    let j = 0;
    for (let q = 0; q < len; q++) {
      while (z[j + 1] < q) j++;
      out[q] = (q - v[j]) * (q - v[j]) + f[v[j]];
    }
  };
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) f[y] = d[y * width + x];
    pass(height);
    for (let y = 0; y < height; y++) d[y * width + x] = out[y];
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) f[x] = d[y * width + x];
    pass(width);
    for (let x = 0; x < width; x++) d[y * width + x] = out[x];
  }
  return d;
}

/**
 * Boundary pixels of `pred` and `gt` and how many of each lie within `tolerance` px of the
 * other's boundary (default: boundaryTolerancePx). `ignore(x, y)`: boundary pixels left out of
 * both counts (e.g. an artificial edge both masks share).
 */
export function boundaryCounts(
  pred: ArrayLike<number>,
  gt: ArrayLike<number>,
  width: number,
  height: number,
  tolerance = boundaryTolerancePx(width, height),
  ignore?: (x: number, y: number) => boolean,
): BoundaryCounts {
  if (pred.length !== gt.length || pred.length !== width * height)
    throw new Error(`boundaryCounts: masks differ in size (${pred.length} vs ${gt.length} pixels, ${width}x${height})`);
  const bp = boundaryMap(pred, width, height);
  const bg = boundaryMap(gt, width, height);
  if (ignore) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if ((bp[i] || bg[i]) && ignore(x, y)) bp[i] = bg[i] = 0;
      }
    }
  }
  const dp = squaredDistanceTransform(bp, width, height);
  const dg = squaredDistanceTransform(bg, width, height);
  const t2 = tolerance * tolerance;
  const c: BoundaryCounts = { pred: 0, predMatched: 0, gt: 0, gtMatched: 0 };
  for (let i = 0; i < bp.length; i++) {
    if (bp[i]) {
      c.pred++;
      if (dg[i] <= t2) c.predMatched++;
    }
    if (bg[i]) {
      c.gt++;
      if (dp[i] <= t2) c.gtMatched++;
    }
  }
  return c;
}

/**
 * The boundary F-measure 2PR / (P + R) of one image, DAVIS's conventions: both boundaries empty
 * -> 1; one of them empty -> 0.
 */
export function boundaryF(c: BoundaryCounts): number {
  if (c.pred === 0 && c.gt === 0) return 1;
  if (c.pred === 0 || c.gt === 0) return 0;
  const p = c.predMatched / c.pred;
  const r = c.gtMatched / c.gt;
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}
