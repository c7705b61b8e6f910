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
  return { images: counts.length, meanIoU, pooledIoU: counts.length ? maskIoU(sum) : Number.NaN, precision: maskPrecision(sum), recall: maskRecall(sum) };
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

/**
 * A predicted mask scored twice: against the raw GT, and "hand only" with both masks cut at the
 * wrist line of the given keypoints (removes forearm that a skin GT includes and a hand model need
 * not predict).
 */
export function maskCountsRawAndHandOnly(pred: ArrayLike<number>, gt: ArrayLike<number>, width: number, height: number, wrist: Vec2, middleMcp: Vec2, offset = 0): { raw: MaskCounts; handOnly: MaskCounts } {
  return {
    raw: maskCounts(pred, gt),
    handOnly: maskCounts(cutMaskAtWrist(pred, width, height, wrist, middleMcp, offset), cutMaskAtWrist(gt, width, height, wrist, middleMcp, offset)),
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
