import { FEATURE_INDEX as F } from './features';
import { GESTURE_LABELS, type GestureLabel } from './types';

/**
 * Geometric rules over the features: the classifier without a model file (classifyGesture's
 * fallback) and the baseline the learned one is measured against (training/gesture/README.md).
 *
 * Each condition is a soft step (a logistic of its margin), each gesture the minimum of its
 * conditions (fuzzy AND: a product of five 0.9s would fall under classifyGesture's 0.5), 'None' what is left: scores are probability-like, so the tracker's hysteresis works
 * the same on both classifiers. Thresholds come from the feature distributions of the synthetic
 * training split (training/gesture/features-cli.ts prints them), midway between the classes they split.
 */
export const GESTURE_RULES = {
  /**
   * Finger extended below this curl, curled above `curledCurl` (softness `curlSoftness`): between noisy
   * straight fingers' q90 (0.53-0.63) and fist fingers' q10 (0.73-0.78).
   */
  extendedCurl: 0.6,
  curledCurl: 0.68,
  curlSoftness: 0.05,
  /** Thumb out when its tip is this many palm widths from the middle finger's PIP (tucked/over: q90 0.75-1.16; out: q10 1.23-1.64). */
  thumbOutDistance: 1.15,
  thumbOutSoftness: 0.1,
  /** Pinch when the 3D thumb-index tip distance (palm widths) is below this (touching: median 0.31 with noise). */
  pinchDistance: 0.5,
  pinchSoftness: 0.07,
  /** A finger points up (down) when its image direction is within this many degrees of up (down). */
  directionConeDeg: 50,
  directionSoftness: 0.06,
};

const sig = (m: number, s: number): number => 1 / (1 + Math.exp(-m / s));

const IDX = Object.fromEntries(GESTURE_LABELS.map((l, i) => [l, i])) as Record<GestureLabel, number>;

/** Rule scores (GESTURE_LABELS order, sum 1) of one feature vector, written into `out`. */
export function ruleScores(x: ArrayLike<number>, out: number[] = new Array(GESTURE_LABELS.length), r = GESTURE_RULES): number[] {
  const ext = (f: number): number => sig(r.extendedCurl - x[f], r.curlSoftness);
  const cur = (f: number): number => sig(x[f] - r.curledCurl, r.curlSoftness);
  const cone = Math.cos((r.directionConeDeg * Math.PI) / 180);
  const up = (u: number): number => sig(u - cone, r.directionSoftness);
  const down = (u: number): number => sig(-u - cone, r.directionSoftness);
  const [i, m, rg, p] = [F.index_curl, F.middle_curl, F.ring_curl, F.pinky_curl];
  const thumbOut = sig(x[F.thumb_middle_pip] - r.thumbOutDistance, r.thumbOutSoftness);
  const pinch = sig(r.pinchDistance - x[F.thumb_index_tip], r.pinchSoftness);
  const fist4 = Math.min(cur(i), cur(m), cur(rg), cur(p));
  const notPinch = 1 - pinch;
  out.fill(0);
  const and = Math.min;
  out[IDX.Pinch] = pinch;
  out[IDX.Closed_Fist] = and(notPinch, fist4, 1 - thumbOut);
  out[IDX.Thumb_Up] = and(notPinch, fist4, thumbOut, up(x[F.thumb_up_2d]));
  out[IDX.Thumb_Down] = and(notPinch, fist4, thumbOut, down(x[F.thumb_up_2d]));
  out[IDX.Open_Palm] = and(notPinch, ext(i), ext(m), ext(rg), ext(p), thumbOut);
  out[IDX.Pointing_Up] = and(notPinch, ext(i), cur(m), cur(rg), cur(p), 1 - thumbOut, up(x[F.index_up_2d]));
  out[IDX.Victory] = and(notPinch, ext(i), ext(m), cur(rg), cur(p));
  out[IDX.ILoveYou] = and(notPinch, ext(i), cur(m), cur(rg), ext(p), thumbOut);
  let sum = 0;
  for (let k = 1; k < out.length; k++) sum += out[k];
  // None takes what the gestures leave; when they overlap (sum > 1) all are renormalised
  out[IDX.None] = Math.max(0, 1 - sum);
  const total = Math.max(sum + out[IDX.None], 1e-9);
  for (let k = 0; k < out.length; k++) out[k] /= total;
  return out;
}
