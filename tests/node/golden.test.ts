import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../src/cli/decodeImage';
import type { HandPipeline } from '../../src/core/pipeline';
import type { FrameResult } from '../../src/core/types';
import { FIXTURES, nodePipeline } from '../helpers/nodePipeline';

// Golden test: both hands of hands.jpg, every keypoint within MediaPipe's own tolerance (12 px per
// coordinate) of the keypoints MediaPipe publishes for its full model on this photo.
const expected = JSON.parse(readFileSync(`${FIXTURES}hands.expected.json`, 'utf8')) as { tolerancePx: number; hands: number[][][] };

describe('golden: hands.jpg against MediaPipe expected keypoints', () => {
  let pipeline: HandPipeline;
  let result: FrameResult;

  beforeAll(async () => {
    pipeline = await nodePipeline();
    const img = await decodeImageFile(`${FIXTURES}hands.jpg`);
    result = await pipeline.estimate(img.tensor, { mode: 'image' });
    img.tensor.dispose();
  });
  afterAll(() => pipeline?.dispose());

  it('finds exactly two hands', () => {
    expect(result.hands).toHaveLength(2);
    expect(result.width).toBe(720);
    expect(result.height).toBe(382);
  });

  it('puts every keypoint within 12 px per coordinate of MediaPipe', () => {
    let worst = 0;
    for (const ref of expected.hands) {
      // the hand whose wrist is nearest this reference wrist
      const hand = result.hands.reduce((a, b) =>
        Math.hypot(a.keypoints2d[0].x - ref[0][0], a.keypoints2d[0].y - ref[0][1]) <= Math.hypot(b.keypoints2d[0].x - ref[0][0], b.keypoints2d[0].y - ref[0][1])
          ? a
          : b,
      );
      ref.forEach(([x, y], i) => {
        const dx = Math.abs(hand.keypoints2d[i].x - x);
        const dy = Math.abs(hand.keypoints2d[i].y - y);
        worst = Math.max(worst, dx, dy);
        expect(dx, `hand at wrist ${ref[0]}: keypoint ${i} x`).toBeLessThanOrEqual(expected.tolerancePx);
        expect(dy, `hand at wrist ${ref[0]}: keypoint ${i} y`).toBeLessThanOrEqual(expected.tolerancePx);
      });
    }
    console.log(`golden hands.jpg: worst coordinate error ${worst.toFixed(1)} px (tolerance ${expected.tolerancePx})`);
  });

  it('reports plausible scores, handedness and metric 3D keypoints', () => {
    for (const h of result.hands) {
      expect(h.score).toBeGreaterThan(0.9);
      expect(h.handednessScore).toBeGreaterThanOrEqual(0.5);
      expect(h.keypoints3d[0]).toMatchObject({ x: 0, y: 0, z: 0 });
      // wrist to middle-finger tip: adult hands measure 16-20 cm; MediaPipe's world model runs ~30 % small
      const tip = h.keypoints3d[12];
      expect(Math.hypot(tip.x, tip.y, tip.z)).toBeGreaterThan(0.09);
      expect(Math.hypot(tip.x, tip.y, tip.z)).toBeLessThan(0.25);
    }
  });
});
