import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../src/cli/decodeImage';
import { frameMask } from '../../src/core/multitask/frameMask';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { maskCounts, maskIoU } from '../../src/core/metrics/masks';
import { FIXTURES, nodePipeline } from '../helpers/nodePipeline';

// The heads' mask refined on the picture (config heads.maskSize) in the pipeline: its size, no
// tensors left behind, and on the image the same hands as the 56 x 56 grid (refined, not replaced).
// the heads ship (models/hiu-heads.*): this runs always, and fails if they are missing
describe('mask refinement in the pipeline', () => {
  it('HandResult.mask is maskSize x maskSize with it, 56 x 56 without; same hands on the image; no leaks', async () => {
    const on = await nodePipeline({ heads: { enabled: true } });
    const off = await nodePipeline({ heads: { enabled: true, maskSize: 0 } });
    const img = await decodeImageFile(`${FIXTURES}hands.jpg`);
    await on.warmup();
    const loaded = tf.memory().numTensors;
    const a = await on.estimate(img.tensor, { mode: 'image' });
    expect(tf.memory().numTensors).toBe(loaded);
    const b = await off.estimate(img.tensor, { mode: 'image' });
    expect(a.hands).toHaveLength(2);
    for (const h of a.hands) expect(h.mask!.size).toBe(DEFAULT_CONFIG.heads.maskSize);
    for (const h of b.hands) expect(h.mask!.size).toBe(56);
    const bin = (m: Uint8Array) => m.map((v) => (v >= 128 ? 1 : 0));
    const ma = bin(frameMask(a));
    const mb = bin(frameMask(b));
    const iou = maskIoU(maskCounts(ma, mb));
    console.log(`refined vs 56 x 56 mask on hands.jpg: IoU ${iou.toFixed(3)}`);
    expect(iou).toBeGreaterThan(0.85);
    expect(iou).toBeLessThan(0.999);
    // landmarksOnly with { heads: true } (scripts/measure-scene-masks.ts): the same mask as the
    // pipeline's for the same crop; without it, or with the heads off, none
    for (const h of a.hands) {
      const only = await on.landmarksOnly(img.tensor, h.roi, { heads: true });
      expect(only.mask!.size).toBe(h.mask!.size);
      const d = only.mask!.data.reduce((worst, v, i) => Math.max(worst, Math.abs(v - h.mask!.data[i])), 0);
      expect(d).toBeLessThanOrEqual(1);
      expect((await on.landmarksOnly(img.tensor, h.roi)).mask).toBeUndefined();
    }
    expect(tf.memory().numTensors).toBe(loaded);
    const none = await nodePipeline();
    expect((await none.landmarksOnly(img.tensor, a.hands[0].roi, { heads: true })).mask).toBeUndefined();
    none.dispose();
    img.tensor.dispose();
    on.dispose();
    off.dispose();
  });
});
