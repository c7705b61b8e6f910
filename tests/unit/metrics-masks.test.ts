import { describe, expect, it } from 'vitest';
import { cutMaskAtWrist, fractionOnMask, maskCounts, maskCountsRawAndHandOnly, maskIoU, maskPrecision, maskRecall, summariseMasks, wristCutLine } from '../../src/core/metrics/masks';

describe('mask metrics', () => {
  // 2 x 3 masks
  const gt = Uint8Array.from([1, 1, 0, 1, 1, 0]);
  const pred = Uint8Array.from([1, 0, 1, 1, 1, 0]);
  it('counts, IoU, precision, recall', () => {
    const c = maskCounts(pred, gt);
    expect(c).toEqual({ tp: 3, fp: 1, fn: 1, tn: 1 });
    expect(maskIoU(c)).toBe(0.6); // 3 / (3 + 1 + 1)
    expect(maskPrecision(c)).toBe(0.75);
    expect(maskRecall(c)).toBe(0.75);
  });
  it('empty cases', () => {
    const none = maskCounts(new Uint8Array(4), new Uint8Array(4));
    expect(maskIoU(none)).toBe(1);
    expect(maskPrecision(none)).toBeNaN();
    expect(maskRecall(none)).toBeNaN();
    expect(() => maskCounts(new Uint8Array(3), new Uint8Array(4))).toThrow(/differ in size/);
  });
  it('per-image mean vs pooled IoU', () => {
    // image 1: tp 3 fp 1 fn 1 -> 0.6; image 2: tp 1, fp 0, fn 0 -> 1.
    // mean (0.6 + 1) / 2 = 0.8; pooled 4 / (4 + 1 + 1) = 2/3; precision 4/5, recall 4/5
    const s = summariseMasks([maskCounts(pred, gt), maskCounts([1, 0], [1, 0])]);
    expect(s.images).toBe(2);
    expect(s.meanIoU).toBeCloseTo(0.8, 12);
    expect(s.pooledIoU).toBeCloseTo(2 / 3, 12);
    expect(s.precision).toBeCloseTo(0.8, 12);
    expect(s.recall).toBeCloseTo(0.8, 12);
  });
});

describe('cutMaskAtWrist', () => {
  // a 4 x 6 all-ones mask; hand points up: wrist at (2, 3), middle MCP at (2, 1)
  const full = new Uint8Array(24).fill(1);
  it('keeps the finger side of the line through the wrist', () => {
    const cut = cutMaskAtWrist(full, 4, 6, [2, 3], [2, 1]);
    // pixel centres y + 0.5 <= 3 are kept: rows 0, 1, 2 (centres 0.5, 1.5, 2.5)
    expect(Array.from(cut)).toEqual([...new Array(12).fill(1), ...new Array(12).fill(0)]);
  });
  it('offset moves the cut towards the forearm in units of wrist -> MCP', () => {
    // offset 0.5 x 2 px = 1 px: keep centres <= 4, i.e. rows 0..3
    const cut = cutMaskAtWrist(full, 4, 6, [2, 3], [2, 1], 0.5);
    expect(cut.reduce((a, b) => a + b, 0)).toBe(16);
  });
  it('a hand pointing right cuts columns', () => {
    const cut = cutMaskAtWrist(full, 4, 6, [1, 3], [3, 3]);
    // keep x + 0.5 >= 1: columns 1..3 -> 18 pixels
    expect(cut.reduce((a, b) => a + b, 0)).toBe(18);
    expect(cut[0]).toBe(0);
  });
});

describe('fractionOnMask', () => {
  it('counts points on nonzero pixels; outside the image is off', () => {
    const m = Uint8Array.from([1, 0, 0, 1]); // 2 x 2
    expect(fractionOnMask([[0.5, 0.5], [1.9, 1.2], [1.2, 0.2], [-1, 0]], m, 2, 2)).toBe(0.5);
  });
});

describe('maskCountsRawAndHandOnly', () => {
  it('cuts prediction and ground truth at the same wrist line', () => {
    // 1 x 4 column, hand points up: wrist at y = 2, MCP at y = 0; rows 0, 1 are hand, rows 2, 3 forearm
    const gt = Uint8Array.from([1, 1, 1, 1]); // skin GT includes the forearm
    const pred = Uint8Array.from([1, 1, 0, 0]); // a hand-only prediction
    const { raw, handOnly } = maskCountsRawAndHandOnly(pred, gt, 1, 4, [0.5, 2], [0.5, 0]);
    expect(maskIoU(raw)).toBe(0.5); // 2 / 4
    expect(maskIoU(handOnly)).toBe(1); // forearm rows removed from both
  });
  it('wristCutLine is perpendicular to wrist -> MCP and passes through the wrist', () => {
    const [a, b] = wristCutLine(100, 100, [50, 60], [50, 20])!;
    expect(a[1]).toBeCloseTo(60, 9);
    expect(b[1]).toBeCloseTo(60, 9);
    expect(Math.abs(a[0] - b[0])).toBeGreaterThan(100);
    expect(wristCutLine(10, 10, [1, 1], [1, 1])).toBeUndefined();
  });
});
