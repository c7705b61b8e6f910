import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/cli/eval/load';
import { baselineRoi, handOnlyWrist, runSample, scoreFrame, type MethodName, type MethodResult, type PredHand } from '../../src/cli/eval/run';
import type { HandPipeline } from '../../src/core/pipeline';
import { EXPECTED, handsMask, tempDir, writeCoco, writeMaskPairs } from '../helpers/evalDatasets';
import { nodePipeline } from '../helpers/nodePipeline';

/** A predicted hand at `pts` (2D), with placeholder 3D, score and ROI. */
const pred = (pts: [number, number][]): PredHand => ({
  keypoints2d: pts,
  keypoints3d: pts.map(() => [0, 0, 0]),
  score: 1,
  handedness: 'left',
  roi: { cx: 0, cy: 0, width: 1, height: 1, rotation: 0 },
});

describe('eval: one sample through both methods', () => {
  let pipeline: HandPipeline;
  beforeAll(async () => {
    pipeline = await nodePipeline();
  });
  afterAll(() => pipeline?.dispose());

  it('landmarksOnly: keypoints in image pixels, wrist-relative 3D, no tensors left behind', async () => {
    const img = tf.zeros([200, 300, 3], 'int32') as tf.Tensor3D;
    const before = tf.memory().numTensors;
    const r = await pipeline.landmarksOnly(img, { cx: 150, cy: 100, width: 200, height: 200, rotation: 0 });
    expect(tf.memory().numTensors).toBe(before);
    img.dispose();
    expect(r.keypoints2d).toHaveLength(21);
    expect(r.keypoints3d[0]).toMatchObject({ name: 'wrist', x: 0, y: 0, z: 0 });
    expect(r.presence).toBeLessThan(0.5); // a black image holds no hand
  });

  it('runSample on hands.jpg: the pipeline finds both GT hands within 12 px; the baseline gets one crop per GT hand', async () => {
    const dir = tempDir('run');
    writeCoco(dir);
    const ds = await loadDataset(dir, 'coco');
    const before = tf.memory().numTensors;
    const r = await runSample(pipeline, ds.samples[0]);
    expect(tf.memory().numTensors).toBe(before);
    expect([r.width, r.height]).toEqual([720, 382]);
    const p = r.methods.pipeline;
    expect(p.gt.map((g) => g.found)).toEqual([true, true]);
    for (const g of p.gt) expect(g.meanPx).toBeLessThan(12);
    const b = r.methods['landmark-only'];
    expect(b.hands).toHaveLength(2);
    const box = ds.samples[0].hands[1].box;
    expect(b.hands[1].roi).toEqual(baselineRoi(ds.samples[0], ds.samples[0].hands[1], 720, 382));
    expect(b.hands[1].roi.width).toBeCloseTo(1.5 * Math.max(box[2] - box[0], box[3] - box[1]), 9);
  });

  it("mask set with keypoint labels: the hand-only figures cut at the ground truth's wrist, not the prediction's", async () => {
    const dir = tempDir('run-masks');
    writeCoco(dir);
    const coco = await loadDataset(dir, 'coco');
    const maskDir = tempDir('run-masks-pairs');
    await writeMaskPairs(maskDir);
    const masks = await loadDataset(maskDir, 'masks', { limit: 1 });
    const r = await runSample(pipeline, { ...masks.samples[0], hands: coco.samples[0].hands });
    expect(r.handOnlyCut?.from).toBe('ground truth');
    expect(r.handOnlyCut!.kept).toBeGreaterThan(0.9);
    expect(r.segmentation?.['skin-colour rule']).toBeDefined();
    // without labels, the pipeline's hand on the mask
    const plain = await runSample(pipeline, masks.samples[0]);
    expect(plain.handOnlyCut?.from).toBe('pipeline');
  });

  it("handOnlyWrist: GT labels first (the hand most on the mask), else the pipeline's hand, else the landmark-only one, else no cut", async () => {
    const mask = await handsMask();
    const off = EXPECTED[0].map(([x, y]) => [x, y + 1000] as [number, number]);
    const method = (hands: PredHand[], found: boolean): MethodResult => ({ hands, ms: 0, gt: [], mask: { found, onMask: found ? 1 : 0, falsePositives: 0 } });
    const methods = { pipeline: method([pred(off), pred(EXPECTED[1])], true), 'landmark-only': method([pred(EXPECTED[0])], true) } as Record<
      MethodName,
      MethodResult
    >;
    const gt = (pts: [number, number][], visible = true) => ({
      keypoints2d: pts,
      visible: pts.map(() => visible),
      box: [0, 0, 1, 1] as [number, number, number, number],
      normaliser: 1,
    });
    expect(handOnlyWrist([gt(off), gt(EXPECTED[0])], methods, mask, 720, 382)).toEqual({ from: 'ground truth', keypoints: EXPECTED[0] });
    // unlabelled wrists do not count as labels
    expect(handOnlyWrist([gt(EXPECTED[0], false)], methods, mask, 720, 382)).toEqual({ from: 'pipeline', keypoints: EXPECTED[1] });
    methods.pipeline.mask!.found = false;
    expect(handOnlyWrist([], methods, mask, 720, 382)?.from).toBe('landmark-only');
    methods['landmark-only'].mask!.found = false;
    expect(handOnlyWrist([], methods, mask, 720, 382)).toBeUndefined();
  });

  it('scoreFrame matches predictions to GT hands whatever their order, and leaves far ones unmatched', () => {
    const gt = EXPECTED.map((h) => ({
      keypoints2d: h,
      visible: h.map(() => true),
      box: [0, 0, 300, 300] as [number, number, number, number],
      normaliser: 300,
    }));
    const shifted = (k: number, dx: number) => EXPECTED[k].map(([x, y]) => [x + dx, y] as [number, number]);
    const res = scoreFrame(gt, [pred(shifted(1, 3)), pred(shifted(0, 4))]);
    expect(res.map((r) => r.predIndex)).toEqual([1, 0]);
    expect(res[0].meanPx).toBeCloseTo(4, 9);
    expect(res[1].meanPx).toBeCloseTo(3, 9);
    expect(res[0].bias).toEqual([4, 0]);
    // a prediction 200 px away (> 0.5 x 300) is not a match: the hand is missed, every joint wrong
    const far = scoreFrame([gt[0]], [pred(shifted(0, 200))]);
    expect(far[0].found).toBe(false);
    expect(far[0].errors2d.every((e) => e === Infinity)).toBe(true);
  });
});
