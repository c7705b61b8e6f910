import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { boxMean, guidedUpsample, type MaskRefineOptions } from '../../src/core/multitask/refineMask';
import { DEFAULT_CONFIG, resolveConfig } from '../../src/core/config';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A vertical step at column `edge` of an s x s RGB guide: left `lo`, right `hi`. */
function stepGuide(s: number, edge: number, lo = 0.2, hi = 0.8): tf.Tensor4D {
  const d = new Float32Array(s * s * 3);
  for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) d.fill(x < edge ? lo : hi, 3 * (y * s + x), 3 * (y * s + x) + 3);
  return tf.tensor4d(d, [1, s, s, 3]);
}

/** A blurred mask edge on an m x m grid: probability rises from 0 to 1 across columns, centred at `centre` (grid units). */
function blurredMask(m: number, centre: number, width: number): tf.Tensor4D {
  const d = new Float32Array(m * m);
  for (let y = 0; y < m; y++) for (let x = 0; x < m; x++) d[y * m + x] = 1 / (1 + Math.exp(-(x + 0.5 - centre) / width));
  return tf.tensor4d(d, [1, m, m, 1]);
}

/** Row 0 of a [1, s, s, 1] tensor. */
const row = (t: tf.Tensor4D) => Array.from(t.dataSync().slice(0, t.shape[2]));

describe('boxMean', () => {
  it('equals the brute-force clipped window mean', () => {
    const h = 7;
    const w = 9;
    const r = 2;
    const data = Float32Array.from({ length: h * w * 2 }, (_, i) => Math.sin(i * 1.7) + (i % 5));
    const got = boxMean(tf.tensor4d(data, [1, h, w, 2]), r).dataSync();
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let c = 0; c < 2; c++) {
          let s = 0;
          let n = 0;
          for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
            for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
              s += data[(yy * w + xx) * 2 + c];
              n++;
            }
          }
          expect(got[(y * w + x) * 2 + c]).toBeCloseTo(s / n, 4);
        }
      }
    }
  });
});

describe('guidedUpsample', () => {
  const opts: MaskRefineOptions = { size: 64, coefSize: 32, radius: 4, eps: 1e-3 };
  it('a step edge in the guide sharpens a blurred mask edge onto it', () => {
    // the mask (16 x 16 grid over the crop) rises over ~4 of its cells (16 px at 64) around x = 30 px;
    // the picture's edge is at x = 32 px
    const guide = stepGuide(64, 32);
    const prob = blurredMask(16, 30 / 4, 0.8);
    const q = guidedUpsample(guide, prob, opts);
    expect(q.shape).toEqual([1, 64, 64, 1]);
    expect(q.dtype).toBe('float32');
    const r = row(q);
    // the coarse mask, bilinearly upsampled, for comparison
    const up = row(tf.image.resizeBilinear(prob, [64, 64], false, true) as tf.Tensor4D);
    // the 0.5 crossing moves onto the picture's edge, and the transition gets much steeper
    const crossing = (v: number[]) => v.findIndex((p) => p >= 0.5);
    expect(crossing(up)).toBeLessThan(31);
    expect(crossing(r)).toBe(32);
    // a jump at the picture's edge (the bilinear mask climbs ~0.07 per px there)
    expect(r[32] - r[31]).toBeGreaterThan(0.25);
    expect(up[32] - up[31]).toBeLessThan(0.1);
  });
  it('a constant guide leaves the mask about as it is (smoothed, same 0.5 crossing)', () => {
    const guide = tf.fill([1, 64, 64, 3], 0.5) as tf.Tensor4D;
    const prob = blurredMask(16, 30 / 4, 0.8);
    const r = row(guidedUpsample(guide, prob, opts));
    const up = row(tf.image.resizeBilinear(prob, [64, 64], false, true) as tf.Tensor4D);
    for (let x = 0; x < 64; x++) expect(Math.abs(r[x] - up[x])).toBeLessThan(0.15);
    expect(r.findIndex((p) => p >= 0.5)).toBe(up.findIndex((p) => p >= 0.5));
  });
  it('coefficients at the full size work too; output stays in 0..1; no tensor leaks', () => {
    const guide = stepGuide(48, 20);
    const prob = blurredMask(12, 5, 0.5);
    const before = tf.memory().numTensors;
    const q = guidedUpsample(guide, prob, { size: 48, coefSize: 48, radius: 3, eps: 1e-4 });
    expect(q.shape).toEqual([1, 48, 48, 1]);
    const v = q.dataSync();
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeLessThanOrEqual(1);
    q.dispose();
    boxMean(guide, 2).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('mask refinement config', () => {
  it('is on by default and can be turned off (0 = the heads grid)', () => {
    expect(DEFAULT_CONFIG.heads.maskSize).toBeGreaterThan(56);
    expect(resolveConfig({ heads: { maskSize: 0 } }).heads.maskSize).toBe(0);
    expect(() => resolveConfig({ heads: { maskSize: -1 } })).toThrow();
  });
});
