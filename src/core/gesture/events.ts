import { GESTURE_LABELS, type GestureEvent, type GestureLabel, type HandGesture } from './types';

/**
 * Per-track gesture and pinch events from per-frame classifications.
 *
 * A gesture starts when one label's probability has stayed >= `enterScore` for `minDurationMs`
 * (the frames in between must all agree), and ends when its probability falls below `exitScore`
 * or the hand disappears. enterScore + exitScore >= 1 keeps one gesture per hand: probabilities sum
 * to 1, so another label at >= enterScore leaves the active one at <= exitScore. 'None' never starts.
 * A pinch goes down at strength >= `pinchDown` and up at <= `pinchUp` (hysteresis, no delay: a pinch is
 * a click, it must feel immediate).
 */
export interface GestureTrackerConfig {
  /** A label's probability must reach this to become a start candidate. */
  enterScore: number;
  /** The active gesture ends when its probability drops below this. */
  exitScore: number;
  /** A candidate must hold this long (ms) before its gesture-start is emitted. */
  minDurationMs: number;
  /** Pinch strength at which pinch-down fires. */
  pinchDown: number;
  /** Pinch strength at or below which pinch-up fires. */
  pinchUp: number;
}

/**
 * Measured on the synthetic sequences (400 held poses, 60 frames at 30 fps, keypoint noise drawn anew
 * every frame: a worst case, real errors are correlated over time and the pipeline's One Euro filter
 * smooths them) with the learned classifier, by `npx tsx training/gesture/eval-sequences.ts`
 * (training/gesture/README.md):
 * - enter 0.7 / exit 0.3: a held clear gesture's per-frame probability is < 0.3 in 1.0 % of frames,
 *   < 0.5 in 1.6 %, < 0.7 in 2.6 %; a single 0.5 threshold ends and restarts on those frames;
 * - 100 ms (3 frames at 30 fps): a spurious label rarely holds 3 frames in a row, and 100 ms is
 *   under the ~150 ms at which a UI response feels late. Both together: 90.1 % of sequences give
 *   exactly the right events and 4.9 spurious starts per minute, against 81.8 % and 28.7 / min
 *   with neither (0.5 / 0.49, 0 ms);
 * - pinch 0.75 / 0.5 (tip distance 0.51 / 0.68 palm widths): touching tips read 0.14-0.64 palm widths
 *   (q10-q90) under the synthetic noise, a fist >= 0.7 (q10). The hysteresis halves spurious
 *   pinch-downs (22 vs 40 per minute) but under per-frame independent noise the 3D tip distance is
 *   too noisy for clean pinch events (12 of 38 pinch sequences give exactly one down): pinch events
 *   want the pipeline's filtered keypoints.
 */
export const DEFAULT_GESTURE_TRACKER_CONFIG: GestureTrackerConfig = {
  enterScore: 0.7,
  exitScore: 0.3,
  minDurationMs: 100,
  pinchDown: 0.75,
  pinchUp: 0.5,
};

interface TrackState {
  active: GestureLabel | null;
  activeSince: number;
  candidate: GestureLabel | null;
  candidateSince: number;
  pinched: boolean;
  seen: boolean;
}

const LABEL_INDEX = Object.fromEntries(GESTURE_LABELS.map((l, i) => [l, i])) as Record<GestureLabel, number>;

export class GestureTracker {
  private readonly tracks = new Map<number, TrackState>();
  private readonly config: GestureTrackerConfig;

  constructor(config: Partial<GestureTrackerConfig> = {}) {
    this.config = { ...DEFAULT_GESTURE_TRACKER_CONFIG, ...config };
    const c = this.config;
    if (!(c.exitScore < c.enterScore) || !(c.pinchUp < c.pinchDown)) {
      throw new RangeError(
        `GestureTracker: hysteresis needs exitScore < enterScore and pinchUp < pinchDown (got ${c.exitScore}/${c.enterScore}, ${c.pinchUp}/${c.pinchDown})`,
      );
    }
  }

  /** The gesture each tracked hand is in now (after hysteresis), by hand id. */
  activeGestures(): Map<number, GestureLabel> {
    const out = new Map<number, GestureLabel>();
    for (const [id, t] of this.tracks) if (t.active) out.set(id, t.active);
    return out;
  }

  /** Feeds one frame (every hand present in it) and returns the events it caused, in order. */
  update(timeMs: number, hands: readonly { id: number; gesture: HandGesture }[]): GestureEvent[] {
    const events: GestureEvent[] = [];
    for (const t of this.tracks.values()) t.seen = false;
    for (const { id, gesture } of hands) {
      let t = this.tracks.get(id);
      if (!t) {
        t = { active: null, activeSince: 0, candidate: null, candidateSince: 0, pinched: false, seen: true };
        this.tracks.set(id, t);
      }
      t.seen = true;
      this.updateGesture(t, id, timeMs, gesture, events);
      this.updatePinch(t, id, timeMs, gesture.pinch.strength, events);
    }
    for (const [id, t] of this.tracks) {
      if (t.seen) continue;
      this.end(t, id, timeMs, events);
      this.tracks.delete(id);
    }
    return events;
  }

  /** Ends every gesture and pinch (the source stopped); returns the events. */
  reset(timeMs: number): GestureEvent[] {
    const events: GestureEvent[] = [];
    for (const [id, t] of this.tracks) this.end(t, id, timeMs, events);
    this.tracks.clear();
    return events;
  }

  private end(t: TrackState, id: number, timeMs: number, events: GestureEvent[]): void {
    if (t.pinched) events.push({ type: 'pinch-up', handId: id, timeMs, strength: 0 });
    if (t.active) events.push({ type: 'gesture-end', handId: id, gesture: t.active, timeMs, durationMs: timeMs - t.activeSince });
    t.pinched = false;
    t.active = null;
  }

  private updateGesture(t: TrackState, id: number, timeMs: number, g: HandGesture, events: GestureEvent[]): void {
    const c = this.config;
    if (t.active && g.scores[LABEL_INDEX[t.active]] < c.exitScore) {
      events.push({ type: 'gesture-end', handId: id, gesture: t.active, timeMs, durationMs: timeMs - t.activeSince });
      t.active = null;
    }
    // the most probable label other than None, as a start candidate
    let best = -1;
    for (let k = 1; k < g.scores.length; k++) if (best < 0 || g.scores[k] > g.scores[best]) best = k;
    const label = best > 0 && g.scores[best] >= c.enterScore ? GESTURE_LABELS[best] : null;
    if (!label || label === t.active) {
      t.candidate = null;
      return;
    }
    if (t.candidate !== label) {
      t.candidate = label;
      t.candidateSince = timeMs;
    }
    if (timeMs - t.candidateSince >= c.minDurationMs) {
      if (t.active) {
        // unreachable while enterScore + exitScore >= 1; kept for configs that break it
        events.push({ type: 'gesture-end', handId: id, gesture: t.active, timeMs, durationMs: timeMs - t.activeSince });
      }
      t.active = label;
      t.activeSince = timeMs;
      t.candidate = null;
      events.push({ type: 'gesture-start', handId: id, gesture: label, timeMs });
    }
  }

  private updatePinch(t: TrackState, id: number, timeMs: number, strength: number, events: GestureEvent[]): void {
    if (!t.pinched && strength >= this.config.pinchDown) {
      t.pinched = true;
      events.push({ type: 'pinch-down', handId: id, timeMs, strength });
    } else if (t.pinched && strength <= this.config.pinchUp) {
      t.pinched = false;
      events.push({ type: 'pinch-up', handId: id, timeMs, strength });
    }
  }
}
