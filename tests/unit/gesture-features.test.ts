import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyGesture } from '../../src/core/gesture/classify';
import { FEATURE_INDEX, handFeatures, NUM_FEATURES, type GestureInput } from '../../src/core/gesture/features';
import { parseGestureModel } from '../../src/core/gesture/mlp';
import type { GestureLabel } from '../../src/core/gesture/types';

// Noise-free right hands from the synthetic engine, one per canned gesture (+ None poses), upright:
// made by `cd training && /usr/bin/python3 -m gesture.fixtures` (training/gesture/fixtures.py).
const ROOT = new URL('../../', import.meta.url).pathname;
const fixture = JSON.parse(readFileSync(`${ROOT}training/gesture/test-hands.json`, 'utf8')) as {
  hands: (GestureInput & { name: string; label: GestureLabel; image: [number, number] })[];
};
const model = parseGestureModel(JSON.parse(readFileSync(`${ROOT}models/gesture-classifier.json`, 'utf8')));
const DIRECTIONAL: GestureLabel[] = ['Pointing_Up', 'Thumb_Up', 'Thumb_Down'];

/** The same scene seen in a mirror: the other hand, image x flipped, 3D x flipped. */
function mirrored(h: GestureInput & { image: [number, number] }): GestureInput {
  return {
    handedness: h.handedness === 'left' ? 'right' : 'left',
    keypoints2d: Array.from(h.keypoints2d, (p) => ({ x: h.image[0] - p.x, y: p.y })),
    keypoints3d: Array.from(h.keypoints3d, (p) => ({ x: -p.x, y: p.y, z: p.z })),
  };
}

/** The hand turned in the image plane by `deg` (about the camera's axis through the wrist), and scaled. */
function rotated(h: GestureInput, deg: number, scale = 1): GestureInput {
  const c = Math.cos((deg * Math.PI) / 180);
  const s = Math.sin((deg * Math.PI) / 180);
  const w = h.keypoints2d[0];
  return {
    handedness: h.handedness,
    keypoints2d: Array.from(h.keypoints2d, (p) => ({
      x: w.x + scale * (c * (p.x - w.x) - s * (p.y - w.y)),
      y: w.y + scale * (s * (p.x - w.x) + c * (p.y - w.y)),
    })),
    keypoints3d: Array.from(h.keypoints3d, (p) => ({ x: scale * (c * p.x - s * p.y), y: scale * (s * p.x + c * p.y), z: scale * p.z })),
  };
}

/** A straight index finger along -y from the wrist, its PIP bent by `pipDeg` towards +z; other keypoints on a flat palm. */
function stickHand(pipDeg: number): GestureInput {
  const k3 = Array.from({ length: 21 }, (_, i) => ({ x: 0.01 * ((i % 5) - 2), y: -0.05 - 0.002 * i, z: 0.001 * i }));
  k3[0] = { x: 0, y: 0, z: 0 };
  k3[5] = { x: 0, y: -0.09, z: 0 };
  k3[6] = { x: 0, y: -0.135, z: 0 };
  const a = (pipDeg * Math.PI) / 180;
  k3[7] = { x: 0, y: -0.135 - 0.025 * Math.cos(a), z: 0.025 * Math.sin(a) };
  k3[8] = { x: 0, y: k3[7].y - 0.02 * Math.cos(a * 1.7), z: k3[7].z + 0.02 * Math.sin(a * 1.7) };
  return { handedness: 'right', keypoints3d: k3, keypoints2d: k3.map((p) => ({ x: 640 + 2000 * p.x, y: 360 + 2000 * p.y })) };
}

describe('gesture features', () => {
  it('joint angles: a straight finger reads 0, a bent PIP reads its bend', () => {
    const straight = handFeatures(stickHand(0)).values;
    expect(straight[FEATURE_INDEX.index_angle2]).toBeCloseTo(0, 6); // PIP
    expect(straight[FEATURE_INDEX.index_angle3]).toBeCloseTo(0, 6); // DIP
    const bent = handFeatures(stickHand(60)).values;
    expect(bent[FEATURE_INDEX.index_angle2]).toBeCloseTo(Math.PI / 3, 5);
    expect(bent[FEATURE_INDEX.index_angle3]).toBeCloseTo((0.7 * Math.PI) / 3, 5);
    expect(bent[FEATURE_INDEX.index_curl]).toBeGreaterThan(straight[FEATURE_INDEX.index_curl] + 0.3);
    expect(bent[FEATURE_INDEX.index_extension]).toBeLessThan(straight[FEATURE_INDEX.index_extension]);
  });

  it('finger states of engine poses: a fist curls all four fingers, an open palm extends all five', () => {
    const fist = classifyGesture(fixture.hands.find((h) => h.label === 'Closed_Fist') as GestureInput, model);
    const open = classifyGesture(fixture.hands.find((h) => h.label === 'Open_Palm') as GestureInput, model);
    for (const f of ['index', 'middle', 'ring', 'pinky'] as const) {
      expect(fist.fingers[f].state).toBe('curled');
      expect(open.fingers[f].state).toBe('extended');
      expect(fist.fingers[f].curl).toBeGreaterThan(open.fingers[f].curl + 0.4);
    }
    expect(open.fingers.thumb.state).toBe('extended');
  });

  it('pinch: touching tips give strength 1 and a distance under 0.2 palm widths; an open hand strength 0', () => {
    const pinch = classifyGesture(fixture.hands.find((h) => h.name.startsWith('pinch')) as GestureInput, model);
    expect(pinch.pinch.distance).toBeLessThan(0.2);
    expect(pinch.pinch.strength).toBe(1);
    const open = classifyGesture(fixture.hands.find((h) => h.label === 'Open_Palm') as GestureInput, model);
    expect(open.pinch.distance).toBeGreaterThan(1);
    expect(open.pinch.strength).toBe(0);
  });

  it("features are scale-invariant and a mirrored left hand has the right hand's features", () => {
    for (const h of fixture.hands) {
      const a = Array.from(handFeatures(h).values);
      const m = Array.from(handFeatures(mirrored(h)).values);
      const s = Array.from(handFeatures(rotated(h, 0, 1.3)).values);
      expect(a.length).toBe(NUM_FEATURES);
      for (let i = 0; i < NUM_FEATURES; i++) {
        expect(m[i]).toBeCloseTo(a[i], 4);
        expect(s[i]).toBeCloseTo(a[i], 4);
      }
    }
  });

  it('rejects a hand without 21 keypoints', () => {
    const h = fixture.hands[0];
    expect(() => handFeatures({ ...h, keypoints2d: Array.from(h.keypoints2d).slice(0, 20) })).toThrow(/21 keypoints/);
  });
});

for (const [name, m] of [
  ['learned classifier', model],
  ['rules', undefined],
] as const) {
  describe(`classifyGesture (${name})`, () => {
    it('labels each engine pose as its gesture, and its mirror image (a left hand) the same', () => {
      for (const h of fixture.hands) {
        expect(classifyGesture(h, m).label, h.name).toBe(h.label);
        expect(classifyGesture(mirrored(h), m).label, `${h.name} mirrored`).toBe(h.label);
      }
    });

    it('non-directional labels survive any in-plane rotation', () => {
      for (const h of fixture.hands.filter((x) => !DIRECTIONAL.includes(x.label) && x.label !== 'None')) {
        for (const deg of [45, 90, 135, 180, 225, 270, 315]) expect(classifyGesture(rotated(h, deg), m).label, `${h.name} at ${deg} deg`).toBe(h.label);
      }
    });

    it('thumb up vs down by the image direction: turning a thumbs-up by 180 degrees makes it a thumbs-down, by 90 neither', () => {
      const up = fixture.hands.find((h) => h.label === 'Thumb_Up') as GestureInput;
      const down = fixture.hands.find((h) => h.label === 'Thumb_Down') as GestureInput;
      expect(classifyGesture(rotated(up, 180), m).label).toBe('Thumb_Down');
      expect(classifyGesture(rotated(down, 180), m).label).toBe('Thumb_Up');
      for (const deg of [90, -90]) expect(['None', 'Closed_Fist']).toContain(classifyGesture(rotated(up, deg), m).label);
    });

    it('pointing up only while the index points up in the image', () => {
      const point = fixture.hands.find((h) => h.label === 'Pointing_Up') as GestureInput;
      expect(classifyGesture(rotated(point, 20), m).label).toBe('Pointing_Up');
      for (const deg of [90, 180, -90]) expect(classifyGesture(rotated(point, deg), m).label, `${deg} deg`).toBe('None');
    });

    it('scores are a distribution and the label is their argmax', () => {
      for (const h of fixture.hands) {
        const g = classifyGesture(h, m);
        expect(g.scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
        expect(g.score).toBe(Math.max(...g.scores));
      }
    });
  });
}
