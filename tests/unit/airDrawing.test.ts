import { describe, expect, it } from 'vitest';
import { AirDrawing, MAX_STROKE_POINTS } from '../../src/core/gesture/airDrawing';
import { gestureDisplayName } from '../../src/core/gesture/names';
import type { GestureEvent } from '../../src/core/gesture/types';
import { KEYPOINT_NAMES } from '../../src/core/keypoints';
import type { HandResult } from '../../src/core/types';

/** A hand whose thumb tip (4) and index tip (8) sit at (x - 2, y) and (x + 2, y): the pen is at (x, y). */
function hand(id: number, x: number, y: number): HandResult {
  const keypoints2d = KEYPOINT_NAMES.map((name, i) => ({ name, x: i === 4 ? x - 2 : i === 8 ? x + 2 : 0, y: i === 4 || i === 8 ? y : 0 }));
  return { id, handedness: 'right', keypoints2d } as unknown as HandResult;
}
const down = (handId: number): GestureEvent => ({ type: 'pinch-down', handId, timeMs: 0, strength: 1 });
const up = (handId: number): GestureEvent => ({ type: 'pinch-up', handId, timeMs: 0, strength: 0 });
const palm = (handId: number): GestureEvent => ({ type: 'gesture-start', handId, gesture: 'Open_Palm', timeMs: 0 });

describe('AirDrawing', () => {
  it('a pinch puts the pen down at the pinch, the hand draws while pinched, pinch-up lifts it', () => {
    const d = new AirDrawing();
    expect(d.update([hand(1, 100, 50)], [])).toBe(false); // no pinch: nothing drawn
    expect(d.update([hand(1, 100, 50)], [down(1)])).toBe(true);
    expect(d.strokes).toHaveLength(1);
    expect(d.strokes[0].points).toEqual([[100, 50]]);
    d.update([hand(1, 110, 50)], []);
    d.update([hand(1, 111, 50)], []); // 1 px: jitter, no new point
    d.update([hand(1, 120, 60)], [up(1)]); // lifted on this frame: not drawn
    d.update([hand(1, 200, 60)], []);
    expect(d.strokes[0].points).toEqual([
      [100, 50],
      [110, 50],
    ]);
    expect(d.activeHands).toEqual([]);
  });

  it('two hands draw two strokes; a hand that leaves lifts its pen; an open palm clears', () => {
    const d = new AirDrawing();
    d.update([hand(1, 0, 0), hand(2, 300, 0)], [down(1), down(2)]);
    d.update([hand(1, 10, 0), hand(2, 310, 0)], []);
    expect(d.strokes.map((s) => s.points.length)).toEqual([2, 2]);
    d.update([hand(2, 320, 0)], []); // hand 1 gone
    expect(d.activeHands).toEqual([2]);
    expect(d.update([hand(2, 320, 0)], [palm(2)])).toBe(true);
    expect(d.strokes).toEqual([]);
    expect(d.activeHands).toEqual([]);
  });

  it('keeps at most MAX_STROKE_POINTS points, dropping the oldest strokes first', () => {
    const d = new AirDrawing();
    for (let s = 0; s < 3; s++) {
      d.update([hand(1, 0, s * 1000)], [down(1)]);
      for (let i = 1; i < MAX_STROKE_POINTS / 2; i++) d.update([hand(1, i * 4, s * 1000)], []);
      d.update([hand(1, 0, 0)], [up(1)]);
    }
    const total = d.strokes.reduce((a, s) => a + s.points.length, 0);
    expect(total).toBeLessThanOrEqual(MAX_STROKE_POINTS);
    expect(d.strokes[d.strokes.length - 1].points[0]).toEqual([0, 2000]); // the newest kept
  });
});

describe('gestureDisplayName', () => {
  it('reads like words', () => {
    expect(gestureDisplayName('Thumb_Up')).toBe('Thumb up');
    expect(gestureDisplayName('Closed_Fist')).toBe('Closed fist');
    expect(gestureDisplayName('ILoveYou')).toBe('I love you');
    expect(gestureDisplayName('None')).toBe('None');
  });
});
