import { describe, expect, it } from 'vitest';
import {
  boundaryCounts,
  boundaryF,
  boundaryMap,
  boundaryTolerancePx,
  cutMaskAtWrist,
  fractionOnMask,
  maskCounts,
  maskCountsRawAndHandOnly,
  maskCountsWithBoundary,
  maskIoU,
  maskPrecision,
  maskRecall,
  squaredDistanceTransform,
  summariseMasks,
  wristCutLine,
} from '../../src/core/metrics/masks';

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
    expect(
      fractionOnMask(
        [
          [0.5, 0.5],
          [1.9, 1.2],
          [1.2, 0.2],
          [-1, 0],
        ],
        m,
        2,
        2,
      ),
    ).toBe(0.5);
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

describe('boundary F (DAVIS)', () => {
  // a filled rectangle [x0, x1) x [y0, y1) in a w x h image
  const rect = (w: number, h: number, x0: number, y0: number, x1: number, y1: number) => {
    const m = new Uint8Array(w * h);
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m[y * w + x] = 1;
    return m;
  };
  it('tolerance: 0.8 % of the diagonal, rounded up', () => {
    expect(boundaryTolerancePx(300, 400)).toBe(4); // 500 * 0.008
    expect(boundaryTolerancePx(3, 4)).toBe(1);
  });
  it('seg2bmap marks the pixels whose right, lower or lower-right neighbour differs', () => {
    // 4 x 4 with the 2 x 2 block at (1, 1)
    const b = boundaryMap(rect(4, 4, 1, 1, 3, 3), 4, 4);
    expect(Array.from(b)).toEqual([1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0]);
    // a mask touching the image's edge has no boundary along it
    expect(Array.from(boundaryMap(new Uint8Array(9).fill(1), 3, 3))).toEqual(new Array(9).fill(0));
  });
  it('exact distance transform', () => {
    const on = new Uint8Array(5 * 3);
    on[1 * 5 + 1] = 1;
    const d = squaredDistanceTransform(on, 5, 3);
    expect(d[1 * 5 + 1]).toBe(0);
    expect(d[0]).toBe(2);
    expect(d[2 * 5 + 4]).toBe(10); // (3, 1)
    expect(squaredDistanceTransform(new Uint8Array(4), 2, 2)[0]).toBe(Infinity);
  });
  it('identical masks: F = 1; shifted within the tolerance: 1; beyond: by hand', () => {
    const w = 100;
    const h = 100; // diagonal 141.4 -> tolerance 2 px
    const gt = rect(w, h, 20, 20, 60, 60);
    expect(boundaryF(boundaryCounts(gt, gt, w, h))).toBe(1);
    expect(boundaryF(boundaryCounts(rect(w, h, 22, 20, 62, 60), gt, w, h))).toBe(1);
    // shifted 3 px right: only the horizontal edges' pixels lie within 2 px of the other boundary.
    // GT boundary (seg2bmap of [20, 60)^2): rows 19 and 59 from x 19..59 (41 px each), columns 19 and 59 from y 20..58 (39 each) = 160.
    // Prediction [23, 63) x [20, 60): its rows 19, 59 span x 22..62; columns 22 and 62.
    // pred matched: row pixels x 22..61 (within 2 of GT's row pixels x 19..59 -> x <= 61) = 40 per row;
    // column 22 (3 from col 19, 3 from 59? no: 37) unmatched, except its pixels... column pixels y 20..58 at x 22: nearest GT boundary
    // is column 19 (3 px) or row 19/59 at x 22 (dy >= 3 except y 20/58 -> dy 1 -> matched). So col 22: y 20, 21, 57, 58 within 2 of rows 19/59 = 4 matched; col 62: same rows but GT rows end at x 59 -> (62-59)=3 in x, so sqrt(9 + dy^2) > 2: 0.
    // pred: 160 boundary px, matched 40 + 40 + 4 = 84. By symmetry (shift left) GT: 160, matched 84.
    const c = boundaryCounts(rect(w, h, 23, 20, 63, 60), gt, w, h);
    expect(c).toEqual({ pred: 160, predMatched: 84, gt: 160, gtMatched: 84 });
    expect(boundaryF(c)).toBeCloseTo(84 / 160, 12);
  });
  it('empty cases (DAVIS conventions)', () => {
    const e = new Uint8Array(16);
    const r = rect(4, 4, 1, 1, 3, 3);
    expect(boundaryF(boundaryCounts(e, e, 4, 4))).toBe(1);
    expect(boundaryF(boundaryCounts(e, r, 4, 4))).toBe(0);
    expect(boundaryF(boundaryCounts(r, e, 4, 4))).toBe(0);
    expect(() => boundaryCounts(e, r, 4, 5)).toThrow(/differ in size/);
  });
  it('ignore: a shared artificial edge is left out; summaries carry the mean F and pooled P / R', () => {
    const w = 100;
    const h = 100;
    const gt = rect(w, h, 20, 20, 60, 60);
    const pred = rect(w, h, 23, 20, 63, 60);
    // leaving out the prediction's vertical edges (columns 22, 62) leaves its two rows: 2 x 41 px (x 22..62) less those columns
    const c = boundaryCounts(pred, gt, w, h, undefined, (x) => x === 22 || x === 62);
    expect(c.pred).toBe(78);
    const withB = maskCountsWithBoundary(pred, gt, w, h);
    expect(withB.boundary).toEqual({ pred: 160, predMatched: 84, gt: 160, gtMatched: 84 });
    const s = summariseMasks([withB, maskCountsWithBoundary(gt, gt, w, h)]);
    expect(s.meanBoundaryF).toBeCloseTo((84 / 160 + 1) / 2, 12);
    expect(s.boundaryPrecision).toBeCloseTo((84 + 160) / 320, 12);
    expect(s.boundaryRecall).toBeCloseTo((84 + 160) / 320, 12);
    // without boundary counts: NaN
    expect(summariseMasks([maskCounts(pred, gt)]).meanBoundaryF).toBeNaN();
  });
  it('hand-only counts leave out the cut line', () => {
    // a column of hand 10 px wide crossing the image; wrist at y 50, fingers up
    const w = 60;
    const h = 100;
    const m = rect(w, h, 25, 0, 35, 100);
    const { raw, handOnly } = maskCountsRawAndHandOnly(m, m, w, h, [30, 50], [30, 30]);
    expect(boundaryF(raw.boundary!)).toBe(1);
    // raw: the two sides' columns (x 24 and 34, 100 px each); hand-only: the sides above the cut
    // minus the band of tolerance (2 px) + 1 around y = 50 -> no cut-line row counted
    expect(raw.boundary!.gt).toBe(200);
    expect(handOnly.boundary!.gt).toBeLessThan(100);
    expect(handOnly.boundary!.gt).toBeGreaterThan(80);
  });
});
