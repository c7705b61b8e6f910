import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../src/cli/decodeImage';
import type { HandPipeline } from '../../src/core/pipeline';
import { FIXTURES, nodePipeline } from '../helpers/nodePipeline';

// The palm detector misses a fist seen from the back (fingerpose-fullcurl.jpg); the whole-hand box
// detector finds it, and the landmark network then confirms it is a hand.
describe('box-detector fallback on a real fist photo', () => {
  let withFallback: HandPipeline;
  let palmOnly: HandPipeline;
  beforeAll(async () => {
    withFallback = await nodePipeline();
    palmOnly = await nodePipeline({ detector: { boxFallback: false } });
  });
  afterAll(() => {
    withFallback?.dispose();
    palmOnly?.dispose();
  });

  it('finds the fist only with the fallback, as one hand covering the fist', async () => {
    const img = await decodeImageFile(`${FIXTURES}fingerpose-fullcurl.jpg`);
    const a = await palmOnly.estimate(img.tensor, { mode: 'image' });
    const b = await withFallback.estimate(img.tensor, { mode: 'image' });
    img.tensor.dispose();
    expect(a.hands).toHaveLength(0);
    expect(b.boxDetectorRan).toBe(true);
    expect(b.hands).toHaveLength(1);
    const h = b.hands[0];
    expect(h.source).toBe('box-detection');
    // the fist spans about x 128-372, y 258-560 (wrist) in this 480x640 photo
    expect(h.box.xMin).toBeLessThan(200);
    expect(h.box.xMax).toBeGreaterThan(320);
    expect(h.box.yMax).toBeGreaterThan(480);
    expect(h.score).toBeGreaterThan(0.9);
  });

  it('does not run when the palm detector already found every hand it may report', async () => {
    const img = await decodeImageFile(`${FIXTURES}hands.jpg`);
    const r = await withFallback.estimate(img.tensor, { mode: 'image' });
    img.tensor.dispose();
    expect(r.hands).toHaveLength(2);
    expect(r.boxDetectorRan).toBe(false);
  });
});
