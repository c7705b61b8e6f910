import { describe, expect, it } from 'vitest';
import { GestureTracker } from '../../src/core/gesture/events';
import { GESTURE_LABELS, type GestureEvent, type GestureLabel, type HandGesture } from '../../src/core/gesture/types';

/** A classification with probability p on `label` and the rest on None. */
function gesture(label: GestureLabel, p: number, pinchStrength = 0): HandGesture {
  const scores = GESTURE_LABELS.map(() => 0);
  scores[GESTURE_LABELS.indexOf(label)] += p;
  scores[0] += 1 - p;
  const finger = { state: 'extended' as const, curl: 0 };
  return {
    label: p >= 0.5 ? label : 'None',
    score: Math.max(p, 1 - p),
    scores,
    pinch: { strength: pinchStrength, distance: 1 - 0.65 * pinchStrength },
    fingers: { thumb: finger, index: finger, middle: finger, ring: finger, pinky: finger },
  };
}

/** Deterministic jitter in [-1, 1] (a LCG), so the tests are reproducible. */
function jitter(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

const FRAME = 1000 / 30;
const types = (ev: GestureEvent[]): string[] => ev.map((e) => e.type + ('gesture' in e ? `:${e.gesture}` : ''));

describe('GestureTracker', () => {
  it('a held pose emits exactly one start, after the minimum duration, and one end when released', () => {
    const tr = new GestureTracker({ minDurationMs: 100 });
    const ev: GestureEvent[] = [];
    for (let k = 0; k < 60; k++) ev.push(...tr.update(k * FRAME, [{ id: 7, gesture: gesture('Victory', 0.95) }]));
    expect(types(ev)).toEqual(['gesture-start:Victory']);
    expect(ev[0].timeMs).toBeGreaterThanOrEqual(100);
    expect(ev[0].timeMs).toBeLessThan(100 + FRAME);
    expect(tr.activeGestures().get(7)).toBe('Victory');
    const end = tr.update(60 * FRAME, [{ id: 7, gesture: gesture('Victory', 0.1) }]);
    expect(types(end)).toEqual(['gesture-end:Victory']);
    expect(end[0].type === 'gesture-end' && end[0].durationMs).toBeCloseTo(60 * FRAME - ev[0].timeMs, 6);
  });

  it('no flicker: a probability jittering around 0.5 (between exit and enter) neither ends an active gesture nor starts one', () => {
    const rnd = jitter(1);
    const tr = new GestureTracker({ enterScore: 0.7, exitScore: 0.3 });
    let ev: GestureEvent[] = [];
    for (let k = 0; k < 10; k++) ev.push(...tr.update(k * FRAME, [{ id: 1, gesture: gesture('Thumb_Up', 0.9) }]));
    expect(types(ev)).toEqual(['gesture-start:Thumb_Up']);
    ev = [];
    for (let k = 10; k < 300; k++) ev.push(...tr.update(k * FRAME, [{ id: 1, gesture: gesture('Thumb_Up', 0.5 + 0.19 * rnd()) }]));
    expect(ev).toEqual([]);
    // a fresh track with the same jitter never starts
    const tr2 = new GestureTracker({ enterScore: 0.7, exitScore: 0.3 });
    for (let k = 0; k < 300; k++) expect(tr2.update(k * FRAME, [{ id: 2, gesture: gesture('Thumb_Up', 0.5 + 0.19 * rnd()) }])).toEqual([]);
  });

  it('without hysteresis the same jitter flickers (the test above can fail)', () => {
    const rnd = jitter(1);
    const tr = new GestureTracker({ enterScore: 0.5, exitScore: 0.49, minDurationMs: 0 });
    const ev: GestureEvent[] = [];
    for (let k = 0; k < 300; k++) ev.push(...tr.update(k * FRAME, [{ id: 1, gesture: gesture('Thumb_Up', 0.5 + 0.19 * rnd()) }]));
    expect(ev.filter((e) => e.type === 'gesture-start').length).toBeGreaterThan(10);
  });

  it('minimum duration: isolated frames above the enter threshold start nothing', () => {
    const tr = new GestureTracker({ minDurationMs: 100 });
    for (let k = 0; k < 120; k++) {
      // every 4th frame (one frame in a row) says Pinch at 0.95
      const p = k % 4 === 0 ? 0.95 : 0.2;
      expect(tr.update(k * FRAME, [{ id: 3, gesture: gesture('Pinch', p) }])).toEqual([]);
    }
  });

  it("'None' never starts an event", () => {
    const tr = new GestureTracker();
    for (let k = 0; k < 60; k++) expect(tr.update(k * FRAME, [{ id: 1, gesture: gesture('None', 1) }])).toEqual([]);
  });

  it('changing gesture ends the old one before starting the new one', () => {
    const tr = new GestureTracker({ minDurationMs: 60 });
    const ev: GestureEvent[] = [];
    for (let k = 0; k < 20; k++) ev.push(...tr.update(k * FRAME, [{ id: 1, gesture: gesture('Open_Palm', 0.9) }]));
    for (let k = 20; k < 40; k++) ev.push(...tr.update(k * FRAME, [{ id: 1, gesture: gesture('Closed_Fist', 0.9) }]));
    expect(types(ev)).toEqual(['gesture-start:Open_Palm', 'gesture-end:Open_Palm', 'gesture-start:Closed_Fist']);
  });

  it('pinch down/up with hysteresis on strength: jitter between the thresholds emits nothing', () => {
    const rnd = jitter(5);
    const tr = new GestureTracker({ pinchDown: 0.75, pinchUp: 0.5 });
    const ev: GestureEvent[] = [];
    const s = [0, 0.3, 0.6, 0.8, 0.9, 1];
    s.forEach((v, k) => ev.push(...tr.update(k * FRAME, [{ id: 4, gesture: gesture('None', 1, v) }])));
    expect(types(ev)).toEqual(['pinch-down']);
    expect(ev[0].type === 'pinch-down' && ev[0].strength).toBe(0.8);
    for (let k = 6; k < 200; k++) ev.push(...tr.update(k * FRAME, [{ id: 4, gesture: gesture('None', 1, 0.625 + 0.12 * rnd()) }]));
    expect(types(ev)).toEqual(['pinch-down']);
    ev.push(...tr.update(200 * FRAME, [{ id: 4, gesture: gesture('None', 1, 0.4) }]));
    expect(types(ev)).toEqual(['pinch-down', 'pinch-up']);
  });

  it('a hand that disappears ends its gesture and its pinch; other hands are untouched', () => {
    const tr = new GestureTracker({ minDurationMs: 0 });
    const both = [
      { id: 1, gesture: gesture('Pinch', 0.95, 1) },
      { id: 2, gesture: gesture('Open_Palm', 0.95) },
    ];
    const start = tr.update(0, both);
    expect(types(start).sort()).toEqual(['gesture-start:Open_Palm', 'gesture-start:Pinch', 'pinch-down']);
    const gone = tr.update(FRAME, [both[1]]);
    expect(gone.map((e) => [e.type, e.handId])).toEqual([
      ['pinch-up', 1],
      ['gesture-end', 1],
    ]);
    expect(tr.activeGestures()).toEqual(new Map([[2, 'Open_Palm']]));
    // the same id coming back is a new track: it starts again
    expect(types(tr.update(2 * FRAME, both))).toEqual(['gesture-start:Pinch', 'pinch-down']);
    expect(types(tr.reset(3 * FRAME)).sort()).toEqual(['gesture-end:Open_Palm', 'gesture-end:Pinch', 'pinch-up']);
  });

  it('rejects a config without hysteresis', () => {
    expect(() => new GestureTracker({ enterScore: 0.4, exitScore: 0.6 })).toThrow(/hysteresis/);
    expect(() => new GestureTracker({ pinchDown: 0.5, pinchUp: 0.5 })).toThrow(/hysteresis/);
  });
});
