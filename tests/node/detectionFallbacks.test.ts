import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../src/cli/decodeImage';
import { DEFAULT_CONFIG } from '../../src/core/config';
import type { HandPipeline } from '../../src/core/pipeline';
import { FIXTURES, nodePipeline } from '../helpers/nodePipeline';

// Real photos a palm detector alone can get wrong, and what the pipeline does about it.
describe('detection fallbacks on real photos', () => {
  let pipeline: HandPipeline;
  beforeAll(async () => {
    pipeline = await nodePipeline();
  });
  afterAll(() => pipeline?.dispose());

  /** How many palms the palm detector alone finds in a frame, at a zoom (1: the pipeline's first pass). */
  const palmsFound = async (frame: tf.Tensor3D, zoom: number) => {
    const internals = pipeline as unknown as { detector: { detect: (i: tf.Tensor4D, c: unknown, n: number, zoom: number) => Promise<unknown[]> } };
    const x = tf.expandDims(tf.cast(frame, 'float32'), 0) as tf.Tensor4D;
    try {
      return (await internals.detector.detect(x, pipeline.currentConfig.detector, 4, zoom)).length;
    } finally {
      x.dispose();
    }
  };

  /** The fist spans about x 128-372, y 258-560 (wrist) in this 480x640 photo: not a finger cluster. */
  const coversTheFist = (h: { box: { xMin: number; xMax: number; yMax: number }; score: number }) => {
    expect(h.box.xMin).toBeLessThan(200);
    expect(h.box.xMax).toBeGreaterThan(320);
    expect(h.box.yMax).toBeGreaterThan(480);
    expect(h.score).toBeGreaterThan(0.9);
  };

  it('a fist seen from the back (fingerpose-fullcurl.jpg) is found as one hand covering the fist', async () => {
    const img = await decodeImageFile(`${FIXTURES}fingerpose-fullcurl.jpg`);
    const r = await pipeline.estimate(img.tensor, { mode: 'image' });
    img.tensor.dispose();
    expect(r.hands).toHaveLength(1);
    coversTheFist(r.hands[0]);
  });

  it('where the palm detector finds nothing, the box detector finds the fist', async () => {
    // the 2021 palm detector finds this fist itself (v1 did not); silence it to exercise the fallback
    await pipeline.setConfig({ detector: { minScore: 1 } });
    const img = await decodeImageFile(`${FIXTURES}fingerpose-fullcurl.jpg`);
    try {
      const r = await pipeline.estimate(img.tensor, { mode: 'image' });
      expect(r.hands).toHaveLength(1);
      expect(r.hands[0].source).toBe('box-detection');
      coversTheFist(r.hands[0]);
    } finally {
      img.tensor.dispose();
      await pipeline.setConfig({ detector: { minScore: DEFAULT_CONFIG.detector.minScore } });
    }
  });

  it('a hand the palm detector misses on a real photo (greyscale hands.jpg) is found by the box detector', async () => {
    // the README's case: the 2021 palm detector finds no palm in a greyscale copy of hands.jpg (not
    // even zoomed out); the box detector finds the upright hand. Palm detector alone: no hand.
    const path = join(mkdtempSync(join(tmpdir(), 'hands-grey-')), 'grey.jpg');
    await sharp(`${FIXTURES}hands.jpg`).greyscale().jpeg().toFile(path);
    const img = await decodeImageFile(path);
    try {
      expect(await palmsFound(img.tensor, 1)).toBe(0);
      expect(await palmsFound(img.tensor, 2)).toBe(0);
      await pipeline.setConfig({ detector: { boxFallback: false } });
      expect((await pipeline.estimate(img.tensor, { mode: 'image' })).hands).toHaveLength(0);
      await pipeline.setConfig({ detector: { boxFallback: true } });
      const r = await pipeline.estimate(img.tensor, { mode: 'image' });
      expect(r.hands).toHaveLength(1);
      expect(r.hands[0].source).toBe('box-detection');
      expect(r.hands[0].score).toBeGreaterThan(0.9);
      // MediaPipe's keypoints of the upright hand (hands.expected.json's second hand)
      const expected = (JSON.parse(readFileSync(`${FIXTURES}hands.expected.json`, 'utf8')) as { hands: number[][][] }).hands[1];
      const meanPx =
        expected.reduce((sum, [ex, ey], i) => sum + Math.hypot(r.hands[0].keypoints2d[i].x - ex, r.hands[0].keypoints2d[i].y - ey), 0) / expected.length;
      expect(meanPx).toBeLessThan(12);
    } finally {
      img.tensor.dispose();
      await pipeline.setConfig({ detector: { boxFallback: DEFAULT_CONFIG.detector.boxFallback } });
    }
  });

  it('a hand that fills the frame is found by the zoomed-out palm pass', async () => {
    // crop fingerpose-nocurl.jpg so the hand fills it (and runs off the top): the palm detector at
    // normal zoom sees nothing (the 2021 detector still finds the looser 300 x 540 crop at zoom 1)
    const path = join(mkdtempSync(join(tmpdir(), 'hands-zoom-')), 'filled.png');
    await sharp(`${FIXTURES}fingerpose-nocurl.jpg`).extract({ left: 170, top: 150, width: 220, height: 380 }).png().toFile(path);
    const img = await decodeImageFile(path);
    expect(await palmsFound(img.tensor, 1)).toBe(0);
    expect(await palmsFound(img.tensor, 2)).toBe(1);
    const r = await pipeline.estimate(img.tensor, { mode: 'image' });
    img.tensor.dispose();
    expect(r.hands).toHaveLength(1);
    expect(r.hands[0].score).toBeGreaterThan(0.9);
    // the raised index fingertip is at (or just past) the top of the crop
    expect(r.hands[0].keypoints2d[8].y).toBeLessThan(40);
  });

  it('on video, the box detector stays off while every hand is tracked', async () => {
    const img = await decodeImageFile(`${FIXTURES}hands.jpg`);
    pipeline.reset();
    const runs: boolean[] = [];
    for (let i = 0; i < 6; i++) runs.push((await pipeline.estimate(img.tensor, { mode: 'video', timestampMs: i * 40 })).boxDetectorRan);
    img.tensor.dispose();
    expect(runs.slice(1)).toEqual([false, false, false, false, false]);
  });
});
