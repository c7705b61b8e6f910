import { describe, expect, it } from 'vitest';
import { generateAnchors, PALM_2021_ANCHORS, PALM_V1_ANCHORS } from '../../src/core/detect/anchors';
import { weightedNms } from '../../src/core/detect/nms';
import { decodePalms, letterboxFor, type PalmDetection } from '../../src/core/detect/palmDecoder';

describe('SSD anchors for the palm detectors', () => {
  const a = generateAnchors(PALM_V1_ANCHORS);
  it('v1: has 32x32x2 + 16x16x2 + 8x8x6 = 2944 anchors, rows outer, columns inner', () => {
    expect(a.length / 2).toBe(2944);
    // first grid: stride 8 -> 32 cells, 2 anchors per cell
    expect([a[0], a[1], a[2], a[3]]).toEqual([0.5 / 32, 0.5 / 32, 0.5 / 32, 0.5 / 32]);
    expect(a[4]).toBeCloseTo(1.5 / 32, 7);
    // second grid starts at 2048
    expect(a[2 * 2048]).toBeCloseTo(0.5 / 16, 7);
    // last grid: stride 32 merged three times -> 6 per cell; the last anchor is the bottom-right cell
    expect(a[2 * 2943]).toBeCloseTo(7.5 / 8, 7);
    expect(a[2 * 2943 + 1]).toBeCloseTo(7.5 / 8, 7);
    expect(a[2 * (2944 - 6)]).toBeCloseTo(7.5 / 8, 7);
  });

  it('2021 full (192 px): 24x24x2 + 12x12x6 = 2016 anchors, as many as the model has output rows', () => {
    const b = generateAnchors(PALM_2021_ANCHORS);
    expect(b.length / 2).toBe(2016);
    expect([b[0], b[1], b[2], b[3]]).toEqual(new Array(4).fill(Math.fround(0.5 / 24)));
    // second grid (stride 16, three layers merged: 6 per cell) starts at 24 * 24 * 2 = 1152
    expect(b[2 * 1152]).toBeCloseTo(0.5 / 12, 7);
    expect(b[2 * 1157]).toBeCloseTo(0.5 / 12, 7);
    expect(b[2 * 1158]).toBeCloseTo(1.5 / 12, 7);
    expect(b[2 * 2015 + 1]).toBeCloseTo(11.5 / 12, 7);
  });
});

describe('palm decoder', () => {
  const anchors = new Float32Array([0.25, 0.25, 0.75, 0.5]);
  const row = (logit: number, box: number[], kps: number[]) => [logit, ...box, ...kps];

  it('decodes score (sigmoid of column 0), box and keypoints relative to the anchor, into letterboxed image pixels', () => {
    // image 400 wide x 200 high -> padded square side 400, centred: y offset -100
    const raw = new Float32Array([
      ...row(-5, [0, 0, 10, 10], new Array(14).fill(0)), // score 0.0067: dropped
      ...row(2, [25.6, -12.8, 51.2, 25.6], [0, 0, 25.6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ]);
    const lb = letterboxFor(400, 200);
    const out = decodePalms(raw, anchors, lb, { inputSize: 256, minScore: 0.5, scoreClip: 100 });
    expect(out).toHaveLength(1);
    const d = out[0];
    expect(d.score).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
    // cx = (25.6/256 + 0.75) = 0.85 of 400 = 340; cy = (-12.8/256 + 0.5) = 0.45 -> 180 - 100 = 80
    expect(d.cx).toBeCloseTo(340, 4);
    expect(d.cy).toBeCloseTo(80, 4);
    expect(d.width).toBeCloseTo(80, 4);
    expect(d.height).toBeCloseTo(40, 4);
    expect(d.keypoints[0].x).toBeCloseTo(300, 4);
    expect(d.keypoints[0].y).toBeCloseTo(100, 4);
    expect(d.keypoints[1].x).toBeCloseTo(340, 4);
  });

  it('rejects an output of the wrong length', () => {
    expect(() => decodePalms(new Float32Array(10), anchors, letterboxFor(10, 10), { inputSize: 256, minScore: 0.5, scoreClip: 100 })).toThrow(/expected 38/);
  });
});

describe('weighted NMS', () => {
  const det = (score: number, cx: number, cy = 100): PalmDetection => ({ score, cx, cy, width: 40, height: 40, keypoints: [{ x: cx, y: cy }] });

  it('merges overlapping boxes into their score-weighted mean, keeps separate hands apart', () => {
    const out = weightedNms([det(0.6, 104), det(0.9, 100), det(0.8, 300)], 0.3, 10);
    expect(out).toHaveLength(2);
    expect(out[0].score).toBe(0.9);
    expect(out[0].cx).toBeCloseTo((0.9 * 100 + 0.6 * 104) / 1.5, 10);
    expect(out[0].keypoints[0].x).toBeCloseTo((0.9 * 100 + 0.6 * 104) / 1.5, 10);
    expect(out[1].cx).toBe(300);
  });

  it('one hand never yields two detections however many anchors fire on it', () => {
    const many = Array.from({ length: 30 }, (_, i) => det(0.5 + i / 100, 100 + (i % 5), 100 + (i % 3)));
    expect(weightedNms(many, 0.3, 10)).toHaveLength(1);
  });

  it('caps the number of detections', () => {
    const spread = Array.from({ length: 6 }, (_, i) => det(0.9 - i / 100, 100 * i));
    expect(weightedNms(spread, 0.3, 2)).toHaveLength(2);
  });
});
