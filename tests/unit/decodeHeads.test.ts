import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { decodeHeads, FUSION_GATE_CELLS } from '../../src/core/multitask/decodeHeads';
import { HEADS_SIZE } from '../../src/core/multitask/headsModel';
import { NUM_KEYPOINTS } from '../../src/core/keypoints';

// The heads' 2D keypoints against the regression: 'heatmaps' replaces it, 'fused' averages the two
// only where they agree within the soft-argmax window (decodeHeads.ts, FUSION_GATE_CELLS).
const ROI = { cx: 112, cy: 112, width: 224, height: 224, rotation: 0 }; // image px = crop px
const CELL = 224 / HEADS_SIZE; // 4 px

/** Heat maps with one sharp peak per keypoint, at the given cells. */
function raw(peaks: Array<[number, number]>) {
  const heatmaps = new Float32Array(HEADS_SIZE * HEADS_SIZE * NUM_KEYPOINTS);
  peaks.forEach(([x, y], k) => (heatmaps[(y * HEADS_SIZE + x) * NUM_KEYPOINTS + k] = 1));
  return { heatmaps, maskLogits: new Float32Array(HEADS_SIZE * HEADS_SIZE) };
}

describe('heads keypoints: heat maps, gated fusion', () => {
  // keypoint k's map peaks at cell (10 + k, 20): its soft-argmax is the cell centre
  const peaks = Array.from({ length: NUM_KEYPOINTS }, (_, k) => [10 + k, 20] as [number, number]);
  const heat = (k: number) => ({ x: (10 + k + 0.5) * CELL, y: 20.5 * CELL });
  /** Regression keypoints: k = 0 agrees with the heat map within the gate, k = 1 does not. */
  function regression(): Float64Array {
    const xy = new Float64Array(NUM_KEYPOINTS * 2);
    for (let k = 0; k < NUM_KEYPOINTS; k++) {
      const offset = k === 1 ? 3 * FUSION_GATE_CELLS * CELL : 0.5 * FUSION_GATE_CELLS * CELL;
      xy[2 * k] = heat(k).x + offset;
      xy[2 * k + 1] = heat(k).y;
    }
    return xy;
  }
  const run = (keypoints: 'heatmaps' | 'fused') => {
    const xy = regression();
    decodeHeads(raw(peaks), ROI, { ...DEFAULT_CONFIG.heads, enabled: true, keypoints }, xy, new Float64Array(NUM_KEYPOINTS * 3));
    return xy;
  };

  it("'heatmaps' takes the maps' soft-argmax", () => {
    const xy = run('heatmaps');
    for (const k of [0, 1]) {
      expect(xy[2 * k]).toBeCloseTo(heat(k).x, 9);
      expect(xy[2 * k + 1]).toBeCloseTo(heat(k).y, 9);
    }
  });

  it("'fused' averages where the two agree, keeps the regression where they do not", () => {
    const reg = regression();
    const xy = run('fused');
    expect(xy[0]).toBeCloseTo((reg[0] + heat(0).x) / 2, 9);
    expect(xy[2]).toBe(reg[2]);
    expect(xy[3]).toBe(reg[3]);
  });

  it('the gate scales with the crop: the same disagreement in crop pixels gives the same choice on a 2x larger ROI', () => {
    const big = { ...ROI, cx: 224, cy: 224, width: 448, height: 448 };
    const xy = new Float64Array(NUM_KEYPOINTS * 2);
    const reg = regression();
    // crop px -> image px on the 2x ROI: x_img = 2 x_crop
    for (let i = 0; i < xy.length; i++) xy[i] = 2 * reg[i];
    const copy = Float64Array.from(xy);
    decodeHeads(raw(peaks), big, { ...DEFAULT_CONFIG.heads, enabled: true, keypoints: 'fused' }, xy, new Float64Array(NUM_KEYPOINTS * 3));
    expect(xy[0]).toBeCloseTo((copy[0] + 2 * heat(0).x) / 2, 9);
    expect(xy[2]).toBe(copy[2]);
  });
});

describe('heads mask', () => {
  const cfg = { ...DEFAULT_CONFIG.heads, enabled: true, keypoints: 'regression' as const };
  const kp = () => [new Float64Array(NUM_KEYPOINTS * 2), new Float64Array(NUM_KEYPOINTS * 3)] as const;
  it('without a refined mask: the 56 x 56 grid, sigmoid x 255', () => {
    const r = raw([]);
    r.maskLogits[0] = 10;
    const { mask } = decodeHeads(r, ROI, cfg, ...kp());
    expect(mask.size).toBe(HEADS_SIZE);
    expect(mask.data.length).toBe(HEADS_SIZE * HEADS_SIZE);
    expect(mask.data[0]).toBe(255);
    expect(mask.data[1]).toBe(128); // logit 0
  });
  it('with the refined mask (HeadsRaw.maskRefined): its size, probability x 255, clamped', () => {
    const data = new Float32Array(224 * 224).fill(0.25);
    data[0] = 1.2;
    data[1] = -0.1;
    const { mask, heatmaps } = decodeHeads({ ...raw([]), maskRefined: { size: 224, data } }, ROI, cfg, ...kp());
    expect(mask.size).toBe(224);
    expect(mask.data.length).toBe(224 * 224);
    expect([mask.data[0], mask.data[1], mask.data[2]]).toEqual([255, 0, 64]);
    expect(heatmaps.size).toBe(HEADS_SIZE);
  });
});
