import type { GestureEvent } from './types';
import type { HandResult } from '../types';

/** A stroke point, in source-image pixels (like every layer: the view mirrors, the data never does). */
export type StrokePoint = readonly [number, number];

export interface Stroke {
  handId: number;
  handedness: HandResult['handedness'];
  points: StrokePoint[];
}

/** Most points kept over all strokes (the strokes layer's buffer is sized from it); the oldest strokes go first. */
export const MAX_STROKE_POINTS = 4096;
/** A new point only once the pen moved this far (source pixels): keypoint jitter adds no points. */
const MIN_STEP_PX = 3;

/** Where the pen is: halfway between the thumb tip and the index tip (keypoints 4 and 8). */
function penOf(hand: HandResult): StrokePoint {
  const a = hand.keypoints2d[4];
  const b = hand.keypoints2d[8];
  return [(a.x + b.x) / 2, (a.y + b.y) / 2];
}

/**
 * Air drawing on video: a pinch (GestureTracker's pinch-down) puts the pen down at the pinch, the
 * pinched hand draws while it stays pinched, pinch-up (or the hand leaving) lifts it, and an open
 * palm held (gesture-start Open_Palm) clears the picture. Driven only by the pipeline's events
 * and keypoints, in image pixels, so it is the same with the selfie mirror on or off.
 */
export class AirDrawing {
  readonly strokes: Stroke[] = [];
  private readonly drawing = new Map<number, Stroke>();
  private points = 0;

  /** Applies one frame; true when the strokes changed (redraw). */
  update(hands: readonly HandResult[], events: readonly GestureEvent[]): boolean {
    let changed = false;
    for (const e of events) {
      if (e.type === 'gesture-start' && e.gesture === 'Open_Palm' && this.strokes.length > 0) {
        this.clear();
        changed = true;
      } else if (e.type === 'pinch-down') {
        const hand = hands.find((h) => h.id === e.handId);
        if (!hand) continue;
        const stroke: Stroke = { handId: hand.id, handedness: hand.handedness, points: [penOf(hand)] };
        this.strokes.push(stroke);
        this.drawing.set(hand.id, stroke);
        this.points++;
        changed = true;
      } else if (e.type === 'pinch-up') {
        this.drawing.delete(e.handId);
      }
    }
    for (const [id, stroke] of this.drawing) {
      const hand = hands.find((h) => h.id === id);
      if (!hand) {
        this.drawing.delete(id); // the hand left: the pen lifts
        continue;
      }
      const p = penOf(hand);
      const last = stroke.points[stroke.points.length - 1];
      if (Math.hypot(p[0] - last[0], p[1] - last[1]) < MIN_STEP_PX) continue;
      stroke.points.push(p);
      this.points++;
      changed = true;
    }
    while (this.points > MAX_STROKE_POINTS && this.strokes.length > 1) {
      const old = this.strokes.shift()!;
      this.points -= old.points.length;
      if (this.drawing.get(old.handId) === old) this.drawing.delete(old.handId);
    }
    return changed;
  }

  /** Hands whose pen is down now. */
  get activeHands(): number[] {
    return [...this.drawing.keys()];
  }

  clear(): void {
    this.strokes.length = 0;
    this.drawing.clear();
    this.points = 0;
  }
}
