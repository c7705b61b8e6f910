import { FINGER_NAMES, type FingerName, type FingerPose, type FingerState, type PinchState } from './types';

/**
 * Rotation- and scale-invariant features of one hand, from its 21 keypoints (MediaPipe order).
 *
 * Finger shape comes from the 3D keypoints (joint angles do not depend on how the hand is turned);
 * direction comes from the 2D keypoints, because Pointing_Up / Thumb_Up / Thumb_Down are judged
 * against the image's up, as in MediaPipe's GestureRecognizer. Left hands are mirrored (x -> -x) to
 * a canonical right hand first, so one classifier serves both hands and a left hand gives the label
 * of its mirror image. Distances are in palm widths (index MCP to pinky MCP, ~6 cm): hand size and
 * the world landmarks' canonical scale drop out.
 *
 * The same function makes the classifier's training features (training/gesture/features-cli.ts
 * writes them for train.py), so training and the app cannot disagree about a feature.
 */

export interface GesturePoint2 {
  x: number;
  y: number;
}
export interface GesturePoint3 {
  x: number;
  y: number;
  z: number;
}

/** What the classifier needs of a hand: a subset of HandResult (src/core/types.ts). */
export interface GestureInput {
  /** Metres, camera axes (x right, y down, z away), wrist-relative (world landmarks or the fitted mesh). */
  keypoints3d: ArrayLike<GesturePoint3>;
  /** Image pixels, y down. */
  keypoints2d: ArrayLike<GesturePoint2>;
  /** Of the real hand in the un-mirrored image. */
  handedness: 'left' | 'right';
}

/** Keypoint chains per finger: wrist, then the finger's 4 keypoints (thumb: CMC, MCP, IP, tip). */
export const FINGER_CHAINS: Record<FingerName, readonly [number, number, number, number, number]> = {
  thumb: [0, 1, 2, 3, 4],
  index: [0, 5, 6, 7, 8],
  middle: [0, 9, 10, 11, 12],
  ring: [0, 13, 14, 15, 16],
  pinky: [0, 17, 18, 19, 20],
};

/**
 * A finger's flexion at full curl (degrees): curl = (sum of its flexion angles) / range, clamped to 0..1.
 * MCP ~88 + PIP ~102 + DIP ~80 (the hand model's flexion limits, models/hand-model.json, and the
 * synthetic fist prior).
 */
export const CURL_RANGE_DEG: Record<Exclude<FingerName, 'thumb'>, number> = { index: 270, middle: 270, ring: 270, pinky: 270 };

/**
 * The thumb's "curl" is how far it is folded in, not its joint angles: its bones are short and its
 * keypoints the noisiest (~12 mm), so its angles are noise-dominated (synthetic split: an extended
 * and a tucked thumb both read 0.6-0.8 rad per joint). Its tip's distance to the middle finger's PIP,
 * in palm widths, separates them: tucked/over a fist q90 0.75-1.16, out q10 1.23-1.64 (features-cli.ts).
 * curl = (out - d) / (out - folded), clamped to 0..1.
 */
export const THUMB_FOLD_DISTANCE = { folded: 0.6, out: 1.6 };

function thumbFold(): number {
  const d = d3(4, 10) / Math.max(d3(5, 17), 1e-6);
  return Math.min(1, Math.max(0, (THUMB_FOLD_DISTANCE.out - d) / (THUMB_FOLD_DISTANCE.out - THUMB_FOLD_DISTANCE.folded)));
}

/**
 * Curl thresholds of a finger's state: below `extended` is 'extended', above `curled` is 'curled'.
 * From the curl distributions of the synthetic training split (noisy keypoints; printed by
 * training/gesture/features-cli.ts): straight fingers (open palm, victory) have curl q10/q50/q90 =
 * 0.15/0.29/0.53 (noise alone bends a straight finger's joints by ~15 degrees each), fist fingers
 * 0.75/0.87/1.0; half-bent grasps sit at 0.35-0.8.
 */
export const FINGER_STATE_CURL = { extended: 0.5, curled: 0.65 };

/**
 * Pinch strength from the 3D thumb-tip to index-tip distance d (palm widths): 1 at d <= NEAR, 0 at
 * d >= FAR (types.ts: "0 at one palm width"), linear between. NEAR = 0.35: touching tips measure
 * 0.01-0.12 palm widths noise-free (tip keypoints lie on the skin) but ~0.3 median with the thumb's
 * ~12 mm landmark noise (synthetic held-out Pinch samples, README).
 */
export const PINCH_DISTANCE = { near: 0.35, far: 1.0 };

/** Names of the feature vector's entries, in order (also stored in models/gesture-classifier.json). */
export const FEATURE_NAMES = [
  // 15 joint angles (radians, 0 = straight): thumb CMC, MCP, IP; fingers MCP, PIP, DIP
  ...FINGER_NAMES.flatMap((f) => [`${f}_angle1`, `${f}_angle2`, `${f}_angle3`]),
  // 5 curls 0..1 (summed angles / CURL_RANGE_DEG; the thumb's: THUMB_FOLD_DISTANCE)
  ...FINGER_NAMES.map((f) => `${f}_curl`),
  // 5 extension ratios: base-to-tip distance / chain length (1 = straight)
  ...FINGER_NAMES.map((f) => `${f}_extension`),
  // 18 palm-frame coordinates (x to the thumb side, y to the fingers, z = x cross y) / palm width:
  // the five tips and the thumb's IP
  ...['thumb_tip', 'index_tip', 'middle_tip', 'ring_tip', 'pinky_tip', 'thumb_ip'].flatMap((k) => [`${k}_px`, `${k}_py`, `${k}_pz`]),
  // 5 thumb-tip distances (palm widths)
  'thumb_index_tip',
  'thumb_index_pip',
  'thumb_index_mcp',
  'thumb_middle_tip',
  'thumb_middle_pip',
  // thumb-index tip distance in the image, in palm widths at the palm's image scale
  'thumb_index_tip_2d',
  // 3 neighbouring fingertip distances (palm widths): V spread
  'index_middle_tip',
  'middle_ring_tip',
  'ring_pinky_tip',
  // 6 "up" components (-y of the unit direction): 2D in the image, 3D in camera axes
  'index_up_2d',
  'thumb_up_2d',
  'thumb_distal_up_2d',
  'hand_up_2d',
  'index_up_3d',
  'thumb_up_3d',
  // 2 foreshortening ratios: image length / 3D length, over the palm's best such ratio (1 = side-on)
  'index_side_on',
  'thumb_side_on',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export const NUM_FEATURES = FEATURE_NAMES.length;
/** Index of each feature by name (for rules and tests). */
export const FEATURE_INDEX = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, i])) as Record<FeatureName, number>;

export interface HandFeatures {
  /** NUM_FEATURES values, FEATURE_NAMES order. */
  values: Float32Array;
  fingers: Record<FingerName, FingerPose>;
  pinch: PinchState;
}

// module-scope scratch: mirrored copies of the keypoints (no allocation per call besides the result)
const P = new Float64Array(63);
const Q = new Float64Array(42);
const TIPS = [4, 8, 12, 16, 20, 3];
/** Palm segments whose image/3D length ratio gives the palm's image scale (pixels per metre side-on). */
const PALM_SEGMENTS: readonly (readonly [number, number])[] = [
  [0, 5],
  [0, 9],
  [0, 13],
  [0, 17],
  [5, 17],
  [1, 5],
];

function d3(a: number, b: number): number {
  return Math.hypot(P[3 * b] - P[3 * a], P[3 * b + 1] - P[3 * a + 1], P[3 * b + 2] - P[3 * a + 2]);
}

function d2(a: number, b: number): number {
  return Math.hypot(Q[2 * b] - Q[2 * a], Q[2 * b + 1] - Q[2 * a + 1]);
}

/** Angle (radians) between segments a->b and b->c at b: 0 when straight. */
function jointAngle(a: number, b: number, c: number): number {
  const ux = P[3 * b] - P[3 * a];
  const uy = P[3 * b + 1] - P[3 * a + 1];
  const uz = P[3 * b + 2] - P[3 * a + 2];
  const vx = P[3 * c] - P[3 * b];
  const vy = P[3 * c + 1] - P[3 * b + 1];
  const vz = P[3 * c + 2] - P[3 * b + 2];
  const n = Math.hypot(ux, uy, uz) * Math.hypot(vx, vy, vz);
  if (n < 1e-12) return 0;
  return Math.acos(Math.min(1, Math.max(-1, (ux * vx + uy * vy + uz * vz) / n)));
}

/** -y of the unit 2D direction a->b: +1 = straight up the image, -1 = down. */
function up2d(a: number, b: number): number {
  const n = d2(a, b);
  return n < 1e-9 ? 0 : -(Q[2 * b + 1] - Q[2 * a + 1]) / n;
}

function up3d(a: number, b: number): number {
  const n = d3(a, b);
  return n < 1e-12 ? 0 : -(P[3 * b + 1] - P[3 * a + 1]) / n;
}

function fingerState(curl: number): FingerState {
  return curl < FINGER_STATE_CURL.extended ? 'extended' : curl > FINGER_STATE_CURL.curled ? 'curled' : 'half';
}

export function pinchStrength(distance: number): number {
  const { near, far } = PINCH_DISTANCE;
  return Math.min(1, Math.max(0, (far - distance) / (far - near)));
}

function checkInput(input: GestureInput): void {
  if (input.keypoints3d.length !== 21 || input.keypoints2d.length !== 21) {
    throw new RangeError(`gesture features need 21 keypoints (2D and 3D); got ${input.keypoints2d.length} 2D and ${input.keypoints3d.length} 3D`);
  }
}

/** Features of one hand; `out` (NUM_FEATURES floats) is filled and returned as `values` when given. */
export function handFeatures(input: GestureInput, out: Float32Array = new Float32Array(NUM_FEATURES)): HandFeatures {
  checkInput(input);
  if (out.length !== NUM_FEATURES) throw new RangeError(`feature buffer has ${out.length} floats, expected ${NUM_FEATURES}`);
  const sx = input.handedness === 'left' ? -1 : 1;
  for (let i = 0; i < 21; i++) {
    const p = input.keypoints3d[i];
    const q = input.keypoints2d[i];
    P[3 * i] = sx * p.x;
    P[3 * i + 1] = p.y;
    P[3 * i + 2] = p.z;
    Q[2 * i] = sx * q.x;
    Q[2 * i + 1] = q.y;
  }
  let k = 0;
  const fingers = {} as Record<FingerName, FingerPose>;
  const curls: number[] = [];
  for (const f of FINGER_NAMES) {
    const c = FINGER_CHAINS[f];
    let sum = 0;
    for (let j = 1; j <= 3; j++) {
      const a = jointAngle(c[j - 1], c[j], c[j + 1]);
      out[k++] = a;
      sum += a;
    }
    const curl = f === 'thumb' ? thumbFold() : Math.min(1, Math.max(0, sum / ((CURL_RANGE_DEG[f] * Math.PI) / 180)));
    curls.push(curl);
    fingers[f] = { state: fingerState(curl), curl };
  }
  for (const c of curls) out[k++] = c;
  for (const f of FINGER_NAMES) {
    const c = FINGER_CHAINS[f];
    // the thumb's chain starts at its CMC: the wrist-CMC segment barely moves with the thumb
    const base = f === 'thumb' ? 1 : 0;
    let len = 0;
    for (let j = base; j < 4; j++) len += d3(c[j], c[j + 1]);
    out[k++] = len < 1e-12 ? 0 : d3(c[base], c[4]) / len;
  }
  // palm frame
  const pw = Math.max(d3(5, 17), 1e-6);
  let yx = P[27] - P[0];
  let yy = P[28] - P[1];
  let yz = P[29] - P[2];
  const yn = Math.hypot(yx, yy, yz) || 1;
  yx /= yn;
  yy /= yn;
  yz /= yn;
  let xx = P[15] - P[51];
  let xy = P[16] - P[52];
  let xz = P[17] - P[53];
  const dot = xx * yx + xy * yy + xz * yz;
  xx -= dot * yx;
  xy -= dot * yy;
  xz -= dot * yz;
  const xn = Math.hypot(xx, xy, xz) || 1;
  xx /= xn;
  xy /= xn;
  xz /= xn;
  const zx = xy * yz - xz * yy;
  const zy = xz * yx - xx * yz;
  const zz = xx * yy - xy * yx;
  for (const t of TIPS) {
    const vx = P[3 * t] - P[0];
    const vy = P[3 * t + 1] - P[1];
    const vz = P[3 * t + 2] - P[2];
    out[k++] = (vx * xx + vy * xy + vz * xz) / pw;
    out[k++] = (vx * yx + vy * yy + vz * yz) / pw;
    out[k++] = (vx * zx + vy * zy + vz * zz) / pw;
  }
  const pinchDistance = d3(4, 8) / pw;
  out[k++] = pinchDistance;
  out[k++] = d3(4, 6) / pw;
  out[k++] = d3(4, 5) / pw;
  out[k++] = d3(4, 12) / pw;
  out[k++] = d3(4, 10) / pw;
  // the palm's image scale: the best side-on palm segment's pixels per metre
  let pxPerM = 1e-9;
  for (const [a, b] of PALM_SEGMENTS) {
    const l3 = d3(a, b);
    if (l3 > 1e-6) pxPerM = Math.max(pxPerM, d2(a, b) / l3);
  }
  out[k++] = d2(4, 8) / (pxPerM * pw);
  out[k++] = d3(8, 12) / pw;
  out[k++] = d3(12, 16) / pw;
  out[k++] = d3(16, 20) / pw;
  out[k++] = up2d(5, 8);
  out[k++] = up2d(2, 4);
  out[k++] = up2d(3, 4);
  out[k++] = up2d(0, 9);
  out[k++] = up3d(5, 8);
  out[k++] = up3d(2, 4);
  out[k++] = Math.min(2, d2(5, 8) / Math.max(d3(5, 8), 1e-9) / pxPerM);
  out[k++] = Math.min(2, d2(2, 4) / Math.max(d3(2, 4), 1e-9) / pxPerM);
  if (k !== NUM_FEATURES) throw new Error(`internal: wrote ${k} features, expected ${NUM_FEATURES}`);
  return { values: out, fingers, pinch: { distance: pinchDistance, strength: pinchStrength(pinchDistance) } };
}
