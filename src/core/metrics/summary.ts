/**
 * Per-method keypoint summary over a data set (pure): what `hands eval` prints and writes.
 * Means and medians are over the hands the method found; PCK and AUC are over ALL ground-truth
 * hands, a hand not found counting as wrong on every joint (so a method cannot win by skipping).
 */
import { finiteMean, finiteMedian, linspace, normalisedAuc, pckCurve } from './stats';

export interface HandRecord {
  /** Did the method produce this hand. */
  found: boolean;
  /** Per ground-truth joint 2D error in pixels; NaN = joint not annotated (ignored when !found). */
  errors2d: readonly number[];
  /** Pixels that PCK thresholds are a fraction of (crop side, or the ground-truth box's longer side). */
  normaliser: number;
  /** Root-relative 3D errors (mm) per joint, NaN = no valid 3D label; absent = no 3D ground truth. */
  errors3d?: readonly number[];
  /** The same after Procrustes alignment with scale (mm). */
  errorsPa?: readonly number[];
}

export const PCK_2D_AT = [0.05, 0.1, 0.2] as const;
/** 2D PCK curve: thresholds 0..0.2 of the normaliser (AUC over this range). */
export const PCK_2D_CURVE = linspace(0, 0.2, 40);
/** 3D PCK curve for plots, 0..50 mm; the AUC is taken over 20..50 mm (the hand-pose literature's range). */
export const PCK_3D_CURVE_MM = linspace(0, 50, 50);
export const AUC_3D_RANGE_MM = linspace(20, 50, 30);

export interface KeypointSummary {
  hands: number;
  found: number;
  detectionRate: number;
  /** Over the joints of found hands, pixels. */
  meanPx: number;
  medianPx: number;
  /** Mean 2D error of each joint (MediaPipe order) over the found hands that annotate it, pixels. */
  perJointPx: number[];
  /** Mean PA-aligned 3D error of each joint, mm (empty without 3D ground truth). */
  perJointPaMm: number[];
  /** Over all annotated joints of all hands (misses count as wrong). */
  pck: Record<string, number>;
  auc2d: number;
  curve2d: { thresholds: number[]; values: number[] };
  /** Hands with 3D ground truth (0 = none). */
  hands3d: number;
  mpjpeMm: number;
  paMpjpeMm: number;
  medianPaMm: number;
  /** 3D PCK AUC over 20..50 mm, root-relative and Procrustes-aligned (misses count as wrong). */
  auc3d: number;
  auc3dPa: number;
  curve3d?: { thresholdsMm: number[]; rootRelative: number[]; procrustes: number[] };
}

/** Column means of per-hand joint errors (NaN entries skipped); [] when there are no rows. */
function perJoint(rows: readonly (readonly number[])[]): number[] {
  if (rows.length === 0) return [];
  return rows[0].map((_, j) => finiteMean(rows.map((r) => r[j])));
}

const missed = (errors: readonly number[]) => errors.map((e) => (Number.isNaN(e) ? e : Number.POSITIVE_INFINITY));

export function summariseKeypoints(records: readonly HandRecord[]): KeypointSummary {
  const found = records.filter((r) => r.found);
  const px = found.flatMap((r) => r.errors2d);
  const norm = records.flatMap((r) => (r.found ? r.errors2d.map((e) => e / r.normaliser) : missed(r.errors2d)));
  const values = pckCurve(norm, PCK_2D_CURVE);
  const pck: Record<string, number> = {};
  for (const t of PCK_2D_AT) pck[String(t)] = pckCurve(norm, [t])[0];
  const with3d = records.filter((r) => r.errors3d);
  const rr = with3d.flatMap((r) => (r.found ? r.errors3d! : missed(r.errors3d!)));
  const pa = with3d.flatMap((r) => (r.found ? r.errorsPa! : missed(r.errorsPa!)));
  const found3d = with3d.filter((r) => r.found);
  const auc = (errs: number[]) => (errs.some((e) => !Number.isNaN(e)) ? normalisedAuc(AUC_3D_RANGE_MM, pckCurve(errs, AUC_3D_RANGE_MM)) : Number.NaN);
  return {
    hands: records.length,
    found: found.length,
    detectionRate: records.length ? found.length / records.length : Number.NaN,
    meanPx: finiteMean(px),
    medianPx: finiteMedian(px),
    perJointPx: perJoint(found.map((r) => r.errors2d)),
    perJointPaMm: perJoint(found3d.map((r) => r.errorsPa!)),
    pck,
    auc2d: values.some((v) => !Number.isNaN(v)) ? normalisedAuc(PCK_2D_CURVE, values) : Number.NaN,
    curve2d: { thresholds: PCK_2D_CURVE, values },
    hands3d: with3d.length,
    mpjpeMm: finiteMean(found3d.flatMap((r) => r.errors3d!)),
    paMpjpeMm: finiteMean(found3d.flatMap((r) => r.errorsPa!)),
    medianPaMm: finiteMedian(found3d.flatMap((r) => r.errorsPa!)),
    auc3d: auc(rr),
    auc3dPa: auc(pa),
    curve3d: with3d.length
      ? { thresholdsMm: PCK_3D_CURVE_MM, rootRelative: pckCurve(rr, PCK_3D_CURVE_MM), procrustes: pckCurve(pa, PCK_3D_CURVE_MM) }
      : undefined,
  };
}
