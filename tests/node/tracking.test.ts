import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../src/cli/decodeImage';
import type { HandPipeline } from '../../src/core/pipeline';
import type { FrameResult, Keypoint2D } from '../../src/core/types';
import { FIXTURES, nodePipeline } from '../helpers/nodePipeline';

/** Mean distance (px) between two hands' 2D keypoints. */
const meanDistance = (a: readonly Keypoint2D[], b: readonly Keypoint2D[]) =>
  a.reduce((sum, k, i) => sum + Math.hypot(k.x - b[i].x, k.y - b[i].y), 0) / a.length;

describe('multi-hand tracking on the real two-hand photo', () => {
  let pipeline: HandPipeline;
  let photo: tf.Tensor3D;

  beforeAll(async () => {
    pipeline = await nodePipeline({ maxHands: 4 });
    photo = (await decodeImageFile(`${FIXTURES}hands.jpg`)).tensor;
  });
  afterAll(() => {
    photo?.dispose();
    pipeline?.dispose();
  });

  it('never reports one hand twice, even with room for four, and keeps track ids', async () => {
    pipeline.reset();
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await pipeline.estimate(photo, { mode: 'video', timestampMs: i * 40 });
      expect(r.hands).toHaveLength(2);
      ids.push(
        r.hands
          .map((h) => h.id)
          .sort()
          .join(','),
      );
      if (i > 0) expect(r.hands.every((h) => h.source === 'tracking')).toBe(true);
    }
    expect(new Set(ids).size).toBe(1);
  });

  it('drops hands that leave and re-detects them with new ids', async () => {
    pipeline.reset();
    const first = await pipeline.estimate(photo, { mode: 'video', timestampMs: 0 });
    const black = tf.zeros(photo.shape) as tf.Tensor3D;
    const gone = await pipeline.estimate(black, { mode: 'video', timestampMs: 40 });
    black.dispose();
    expect(gone.hands).toHaveLength(0);
    const back = await pipeline.estimate(photo, { mode: 'video', timestampMs: 80 });
    expect(back.detectorRan).toBe(true);
    expect(back.hands).toHaveLength(2);
    const before = new Set(first.hands.map((h) => h.id));
    expect(back.hands.every((h) => !before.has(h.id))).toBe(true);
  });

  it('handedness is of the real hand: mirroring the photo flips it', async () => {
    const r = await pipeline.estimate(photo, { mode: 'image' });
    const mirrored = tf.reverse(photo, 1) as tf.Tensor3D;
    const m = await pipeline.estimate(mirrored, { mode: 'image' });
    mirrored.dispose();
    const labels = (hs: typeof r.hands) => hs.map((h) => h.handedness).sort();
    // the photo shows the backs of two left hands
    expect(labels(r.hands)).toEqual(['left', 'left']);
    expect(labels(m.hands)).toEqual(['right', 'right']);
  });

  it('respects maxHands', async () => {
    await pipeline.setConfig({ maxHands: 1 });
    const r = await pipeline.estimate(photo, { mode: 'image' });
    expect(r.hands).toHaveLength(1);
    await pipeline.setConfig({ maxHands: 4 });
  });

  it('switches to the lite landmark model at run time', async () => {
    await pipeline.setConfig({ landmarks: { variant: 'lite' } });
    let r: FrameResult;
    try {
      r = await pipeline.estimate(photo, { mode: 'image' });
    } finally {
      await pipeline.setConfig({ landmarks: { variant: 'full' } });
    }
    expect(r.hands).toHaveLength(2);
    // the lite network ran: each hand's keypoints are what the lite network alone gives on the
    // hand's final crop (a pipeline built with lite from the start), not what the full one gives
    const lite = await nodePipeline({ landmarks: { variant: 'lite' } });
    try {
      for (const h of r.hands) {
        const byLite = await lite.landmarksOnly(photo, h.roi);
        const byFull = await pipeline.landmarksOnly(photo, h.roi);
        expect(meanDistance(h.keypoints2d, byLite.keypoints2d)).toBeLessThan(1e-3);
        expect(meanDistance(h.keypoints2d, byFull.keypoints2d)).toBeGreaterThan(0.5);
      }
    } finally {
      lite.dispose();
    }
  });
});
