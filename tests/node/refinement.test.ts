import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../src/cli/decodeImage';
import { roiChange } from '../../src/core/geometry/handRoi';
import type { HandPipeline } from '../../src/core/pipeline';
import type { HandResult } from '../../src/core/types';
import { FIXTURES, nodePipeline } from '../helpers/nodePipeline';

// Still-image crop refinement (landmarks.refinePasses): re-crop from the hand's own keypoints and
// run again. Off by default (it did not pay on dev hgcnn with the 2021 detector, config.ts), so the
// golden and video parity tests keep checking MediaPipe's single pass; here the refined path itself.
const PHOTOS = ['hands.jpg', 'fingerpose-nocurl.jpg', 'fingerpose-halfcurl.jpg'];

const centre = (h: HandResult) => ({ x: (h.box.xMin + h.box.xMax) / 2, y: (h.box.yMin + h.box.yMax) / 2 });
/** The hand of `hands` nearest to `h` (by keypoint-box centre). */
const nearest = (h: HandResult, hands: HandResult[]) =>
  hands.reduce((a, b) =>
    Math.hypot(centre(a).x - centre(h).x, centre(a).y - centre(h).y) <= Math.hypot(centre(b).x - centre(h).x, centre(b).y - centre(h).y) ? a : b,
  );
const meanDistance = (a: HandResult, b: HandResult) =>
  a.keypoints2d.reduce((s, p, i) => s + Math.hypot(p.x - b.keypoints2d[i].x, p.y - b.keypoints2d[i].y), 0) / a.keypoints2d.length;

describe('still-image crop refinement on the fixtures', () => {
  let pipeline: HandPipeline;
  const results = new Map<string, HandResult[][]>(); // photo -> hands after 0, 1, 2, 3 re-crops
  beforeAll(async () => {
    pipeline = await nodePipeline();
    for (const photo of PHOTOS) {
      const img = await decodeImageFile(FIXTURES + photo);
      const runs: HandResult[][] = [];
      for (let passes = 0; passes <= 3; passes++) {
        await pipeline.setConfig({ landmarks: { refinePasses: passes, refineTolerance: 0 } });
        runs.push((await pipeline.estimate(img.tensor, { mode: 'image' })).hands);
      }
      img.tensor.dispose();
      results.set(photo, runs);
    }
  });
  afterAll(() => pipeline?.dispose());

  it('converges: the crop moves less with every pass', () => {
    for (const [photo, runs] of results) {
      for (const hand of runs[0]) {
        const rois = runs.map((hands) => nearest(hand, hands).roi);
        const moves = rois.slice(1).map((roi, k) => roiChange(rois[k], roi));
        console.log(
          `refinement ${photo}, hand at (${centre(hand).x.toFixed(0)}, ${centre(hand).y.toFixed(0)}): crop change per pass ${moves.map((m) => m.toFixed(4)).join(' -> ')}`,
        );
        expect(moves[1], photo).toBeLessThan(moves[0]);
        expect(moves[2], photo).toBeLessThan(moves[1]);
        expect(moves[2], photo).toBeLessThan(0.02);
      }
    }
  });

  it('loses no hand and adds no duplicate; the refined keypoints stay on the same hand', () => {
    for (const [photo, runs] of results) {
      for (const refined of runs.slice(1)) {
        expect(refined.length, photo).toBe(runs[0].length);
        for (const hand of runs[0]) {
          const d = meanDistance(hand, nearest(hand, refined));
          expect(d, `${photo}: refined hand within 15 px (mean) of the single-pass one`).toBeLessThan(15);
        }
      }
    }
  });

  it('stops at the tolerance: with 1 % it makes fewer passes than allowed once the crop is still', async () => {
    // count landmark-network runs (one per pass) through the pipeline's landmark model
    const model = (pipeline as unknown as { landmarks(): { run: (...a: unknown[]) => Promise<unknown> } }).landmarks();
    const run = model.run;
    let calls = 0;
    model.run = (...a: unknown[]) => {
      calls++;
      return run.apply(model, a);
    };
    const img = await decodeImageFile(`${FIXTURES}hands.jpg`);
    try {
      await pipeline.setConfig({ landmarks: { refinePasses: 10, refineTolerance: 0.01 } });
      const r = await pipeline.estimate(img.tensor, { mode: 'image' });
      expect(r.hands).toHaveLength(2);
      // two hands: 2 first passes + at most 3 re-crops each (the crop change is under 1 % by then)
      console.log(`refinement hands.jpg, tolerance 1 %, at most 10 passes: ${calls} landmark runs for 2 hands`);
      expect(calls).toBeGreaterThanOrEqual(4);
      expect(calls).toBeLessThanOrEqual(8);
      const runs3 = results.get('hands.jpg')![3];
      for (const h of r.hands) expect(meanDistance(h, nearest(h, runs3))).toBeLessThan(3);
    } finally {
      model.run = run;
      img.tensor.dispose();
      await pipeline.setConfig({ landmarks: { refinePasses: 0 } });
    }
  });
});
