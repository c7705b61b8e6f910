/**
 * What a hand is doing: the contract between the gesture classifier (classify.ts), the per-track
 * event tracker (events.ts), the pipeline (HandResult.gesture), the worker protocol, the page and the CLI.
 * Plain data: survives postMessage and JSON.
 */

/**
 * MediaPipe GestureRecognizer's canned gestures (same names, so users can switch) + 'Pinch'
 * (thumb tip on index tip, whatever the other fingers do; MediaPipe has no such class).
 * Direction matters as in MediaPipe: Pointing_Up / Thumb_Up / Thumb_Down are judged against the
 * image's up, everything else is rotation-invariant.
 */
export const GESTURE_LABELS = ['None', 'Closed_Fist', 'Open_Palm', 'Pointing_Up', 'Thumb_Down', 'Thumb_Up', 'Victory', 'ILoveYou', 'Pinch'] as const;
export type GestureLabel = (typeof GESTURE_LABELS)[number];

export const FINGER_NAMES = ['thumb', 'index', 'middle', 'ring', 'pinky'] as const;
export type FingerName = (typeof FINGER_NAMES)[number];

/** A finger's state from its joint angles: straight, half bent, or curled into the palm. */
export type FingerState = 'extended' | 'half' | 'curled';

export interface FingerPose {
  state: FingerState;
  /** 0 = straight .. 1 = fully curled: summed flexion of the finger's joints over its full range. */
  curl: number;
}

export interface PinchState {
  /** 0 (tips far apart, >= one palm width) .. 1 (tips touching); continuous, for gauges and zoom. */
  strength: number;
  /** Thumb tip to index tip, in palm widths (index MCP to pinky MCP), 3D. */
  distance: number;
}

export interface HandGesture {
  /** The most likely label (after the classifier's own threshold: 'None' when nothing is sure). */
  label: GestureLabel;
  /** Probability of `label`, 0..1. */
  score: number;
  /** Per-label probabilities, GESTURE_LABELS order, sum 1. */
  scores: number[];
  pinch: PinchState;
  fingers: Record<FingerName, FingerPose>;
}

/** Events of one tracked hand, from GestureTracker (events.ts). */
export type GestureEvent =
  | { type: 'gesture-start'; handId: number; gesture: GestureLabel; timeMs: number }
  | { type: 'gesture-end'; handId: number; gesture: GestureLabel; timeMs: number; durationMs: number }
  | { type: 'pinch-down'; handId: number; timeMs: number; strength: number }
  | { type: 'pinch-up'; handId: number; timeMs: number; strength: number };
