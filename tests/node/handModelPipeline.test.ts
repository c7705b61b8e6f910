import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile, type DecodedImage } from '../../src/cli/decodeImage';
import { readdirSync, readFileSync } from 'node:fs';
import { parseHandModel } from '../../src/core/handModel/asset';
import { cameraFromFov, projectPoint } from '../../src/core/handModel/camera';
import { fitHands } from '../../src/core/handModel/fit';
import { HandModelTf } from '../../src/core/handModel/tfModel';
import { referenceForward } from '../../src/core/handModel/reference';
import type { HandPipeline } from '../../src/core/pipeline';
import type { FrameResult } from '../../src/core/types';
import { FIXTURES, nodePipeline } from '../helpers/nodePipeline';
import { meshSilhouette } from '../../src/core/handModel/silhouette';
import { cutMaskAtWrist } from '../../src/core/metrics/masks';
import { maskToImage } from '../../src/core/multitask/maskToImage';

// The mesh stage on a real photo, through the real pipeline (Node, WASM): the fitted mesh must
// land on the hands in the image, i.e. its keypoints, projected with the camera it was placed
// with, within 10 px of the 2D keypoints it was fitted to.
describe('mesh stage on hands.jpg', () => {
  let pipeline: HandPipeline;
  let img: DecodedImage;
  let result: FrameResult;

  beforeAll(async () => {
    pipeline = await nodePipeline({ mesh: { enabled: true } });
    img = await decodeImageFile(`${FIXTURES}hands.jpg`);
    result = await pipeline.estimate(img.tensor, { mode: 'image' });
  });
  afterAll(() => {
    img?.tensor.dispose();
    pipeline?.dispose();
  });

  it('gives every hand a mesh: 1360 finite camera-frame vertices in front of the camera, residuals, depth', () => {
    expect(result.hands).toHaveLength(2);
    for (const h of result.hands) {
      const m = h.mesh!;
      expect(m.vertices).toBeInstanceOf(Float32Array);
      expect(m.vertices).toHaveLength(1360 * 3);
      expect(m.vertices.every(Number.isFinite)).toBe(true);
      for (let i = 2; i < m.vertices.length; i += 3) expect(m.vertices[i]).toBeGreaterThan(0);
      expect(m.wristDepth).toBe(m.params.translation[2]);
      expect(m.wristDepth).toBeGreaterThan(0.1);
      expect(m.wristDepth).toBeLessThan(2);
      expect(m.fovDegrees).toBe(60);
      expect(m.residualMm).toBeLessThan(20);
    }
    expect(result.timings.meshMs).toBeGreaterThan(0);
    // triangles once per handedness from the pipeline, not per frame
    const tri = pipeline.meshTriangles(result.hands[0].mesh!.handedness)!;
    expect(tri).toHaveLength(2314 * 3);
    expect(pipeline.meshTriangles(result.hands[0].mesh!.handedness)).toBe(tri);
  });

  it('projects the mesh keypoints within 10 px of the 2D keypoints they were fitted to', () => {
    const cam = cameraFromFov(result.width, result.height, 60);
    for (const h of result.hands) {
      const m = h.mesh!;
      const k = referenceForward(pipeline.meshModel(m.handedness)!, m.params).keypoints;
      const errors = k.map((p, i) => {
        const [u, v] = projectPoint(cam, p);
        return Math.hypot(u - h.keypoints2d[i].x, v - h.keypoints2d[i].y);
      });
      const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
      console.log(
        `[handModel] hands.jpg hand ${h.id} (${m.handedness}): mesh keypoints ${mean.toFixed(1)} px mean, ${Math.max(...errors).toFixed(1)} px worst from the 2D keypoints; ${m.residualMm.toFixed(1)} mm from the 3D ones; wrist depth ${m.wristDepth.toFixed(3)} m`,
      );
      expect(mean).toBeLessThan(10);
      expect(m.residualPx).toBeCloseTo(mean, 1);
      // and the fingertip vertices of the mesh itself sit on the fingertips
      for (const i of [4, 8, 12, 16, 20]) {
        const vtx = pipeline.meshModel(m.handedness)!.keypoints[i].vertex;
        const [u, v] = projectPoint(cam, m.vertices, 3 * vtx);
        expect(Math.hypot(u - h.keypoints2d[i].x, v - h.keypoints2d[i].y)).toBeLessThan(25);
      }
    }
  });

  it('leaves no tensors behind, on stills and on video (warm start)', async () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const r = await pipeline.estimate(img.tensor, { mode: 'video', timestampMs: i * 33 });
      expect(r.hands.every((h) => h.mesh)).toBe(true);
    }
    await pipeline.estimate(img.tensor, { mode: 'image' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it("mesh.keypoints3d: the 3D keypoints become the mesh's own joints, wrist-relative, near the landmark network's", async () => {
    await pipeline.setConfig({ mesh: { keypoints3d: true } });
    try {
      const r = await pipeline.estimate(img.tensor, { mode: 'image' });
      expect(r.hands).toHaveLength(2);
      for (const h of r.hands) {
        const m = h.mesh!.keypoints;
        h.keypoints3d.forEach((k, i) => {
          expect(k.x).toBeCloseTo(m[3 * i] - m[0], 9);
          expect(k.y).toBeCloseTo(m[3 * i + 1] - m[1], 9);
          expect(k.z).toBeCloseTo(m[3 * i + 2] - m[2], 9);
        });
        // the regression's 3D (the first result, same photo) is what the mesh was fitted to
        const before = result.hands.find((b) => Math.hypot(b.keypoints2d[0].x - h.keypoints2d[0].x, b.keypoints2d[0].y - h.keypoints2d[0].y) < 20)!;
        const mean =
          h.keypoints3d.reduce((s, k, i) => s + Math.hypot(k.x - before.keypoints3d[i].x, k.y - before.keypoints3d[i].y, k.z - before.keypoints3d[i].z), 0) /
          21;
        expect(mean).toBeLessThan(0.015);
        expect(mean).toBeGreaterThan(0);
      }
    } finally {
      await pipeline.setConfig({ mesh: { keypoints3d: false } });
    }
  });

  it('can be switched on and off between frames', async () => {
    await pipeline.setConfig({ mesh: { enabled: false } });
    const off = await pipeline.estimate(img.tensor, { mode: 'image' });
    expect(off.hands.every((h) => h.mesh === undefined)).toBe(true);
    expect(off.timings.meshMs).toBe(0);
    await pipeline.setConfig({ mesh: { enabled: true, iterations: 2 } });
    const on = await pipeline.estimate(img.tensor, { mode: 'image' });
    expect(on.hands.every((h) => h.mesh)).toBe(true);
  });
});

describe('mesh stage off by default', () => {
  it('loads no hand model and adds no mesh', async () => {
    const p = await nodePipeline();
    const img = await decodeImageFile(`${FIXTURES}hands.jpg`);
    const r = await p.estimate(img.tensor, { mode: 'image' });
    img.tensor.dispose();
    expect(r.hands.length).toBeGreaterThan(0);
    expect(r.hands.every((h) => h.mesh === undefined)).toBe(true);
    expect(p.meshTriangles('left')).toBeUndefined();
    p.dispose();
  });
});

// The mesh stage's fit stops when every hand has converged (fit.ts CONVERGED), at most 16 passes.
// On real photos it must end where a much longer fit ends: with 8 fixed passes (as before) 9 of
// these 16 hands stopped 0.8-2.7 px short, and the page's 4 on video left a re-detected hand 46 px off.
describe('mesh fit convergence on the fixture photos', () => {
  it('every hand ends within 0.5 px (2D residual) of a 48-pass fit of the same keypoints', async () => {
    const pipeline = await nodePipeline({ mesh: { enabled: true } });
    const model = parseHandModel(JSON.parse(readFileSync(new URL('../../models/hand-model.json', import.meta.url), 'utf8')));
    const tfModel = new HandModelTf(model);
    const photos = ['hands.jpg', 'fingerpose-fullcurl.jpg', 'fingerpose-halfcurl.jpg', 'fingerpose-nocurl.jpg'].concat(
      readdirSync(`${FIXTURES}gestures`)
        .filter((f) => f.endsWith('.jpg'))
        .map((f) => `gestures/${f}`),
    );
    const lines: string[] = [];
    try {
      let hands = 0;
      for (const photo of photos) {
        const img = await decodeImageFile(`${FIXTURES}${photo}`);
        const r = await pipeline.estimate(img.tensor, { mode: 'image' });
        img.tensor.dispose();
        for (const h of r.hands) {
          const [long] = await fitHands(
            tfModel,
            model,
            [
              {
                handedness: h.handedness,
                keypoints3d: h.keypoints3d.map((k) => [k.x, k.y, k.z]),
                keypoints2d: h.keypoints2d.map((k) => [k.x, k.y]),
                camera: cameraFromFov(r.width, r.height, h.mesh!.fovDegrees),
              },
            ],
            { iterations: 48 },
          );
          lines.push(`${photo} hand ${h.id}: ${h.mesh!.residualPx.toFixed(2)} px vs ${long.residualPx.toFixed(2)} px after ${long.iterations} passes`);
          expect(h.mesh!.residualPx, lines[lines.length - 1]).toBeLessThan(long.residualPx + 0.5);
          hands++;
        }
      }
      expect(hands).toBeGreaterThanOrEqual(photos.length);
    } finally {
      console.log(`[handModel] convergence:\n  ${lines.join('\n  ')}`);
      tfModel.dispose();
      pipeline.dispose();
    }
  });
});

// The skin's thickness fitted to the heads' mask (handModel/thickness.ts): on HGR1 dev it lifts the
// mesh silhouette's hand-only IoU 0.79 -> 0.87 (README). Here, on the fixture photos, the fitted
// mesh must match the heads' own mask better with it than without, and stay within its range.
describe('skin thickness on the fixture photos (heads on)', () => {
  it('inflates each mesh by 0-6 mm (template size) and its silhouette matches the heads mask better', async () => {
    const pipeline = await nodePipeline({ heads: { enabled: true }, mesh: { enabled: true } });
    const photos = ['hands.jpg', 'fingerpose-fullcurl.jpg', 'fingerpose-nocurl.jpg', 'gestures/mediapipe-tasks-thumbs_up.jpg'];
    const iou = { on: [] as number[], off: [] as number[] };
    const thick: number[] = [];
    const lines: string[] = [];
    try {
      for (const photo of photos) {
        const img = await decodeImageFile(`${FIXTURES}${photo}`);
        for (const on of [true, false]) {
          await pipeline.setConfig({ mesh: { thickness: on } });
          const r = await pipeline.estimate(img.tensor, { mode: 'image' });
          for (const h of r.hands) {
            const m = h.mesh!;
            if (on) {
              expect(m.thickness).toBeGreaterThanOrEqual(0);
              expect(m.thickness).toBeLessThanOrEqual(0.006 * m.params.globalScale + 1e-9);
              lines.push(`${photo} hand ${h.id}: ${(1000 * m.thickness).toFixed(1)} mm`);
              thick.push(m.thickness);
            } else expect(m.thickness).toBe(0);
            const sil = meshSilhouette(cameraFromFov(r.width, r.height, m.fovDegrees), m.vertices, pipeline.meshTriangles(m.handedness)!, r.width, r.height);
            const wrist: [number, number] = [h.keypoints2d[0].x, h.keypoints2d[0].y];
            const mcp: [number, number] = [h.keypoints2d[9].x, h.keypoints2d[9].y];
            const a = cutMaskAtWrist(sil, r.width, r.height, wrist, mcp);
            const b = cutMaskAtWrist(
              maskToImage(h.mask!.data, h.mask!.size, h.roi, r.width, r.height).map((v) => (v >= 128 ? 1 : 0)),
              r.width,
              r.height,
              wrist,
              mcp,
            );
            let inter = 0;
            let union = 0;
            for (let i = 0; i < a.length; i++) {
              inter += a[i] & b[i];
              union += a[i] | b[i];
            }
            iou[on ? 'on' : 'off'].push(inter / union);
          }
        }
        img.tensor.dispose();
      }
      const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
      console.log(`[handModel] thickness: ${lines.join(', ')}; silhouette IoU with the heads mask ${mean(iou.off).toFixed(3)} -> ${mean(iou.on).toFixed(3)}`);
      expect(iou.on.length).toBeGreaterThanOrEqual(photos.length);
      // (measured: 0-2 mm on these photos, IoU 0.862 -> 0.869; HGR1's hands are thicker)
      expect(thick.filter((t) => t >= 0.001).length).toBeGreaterThan(0);
      thick.forEach((t, i) => {
        // a thicker mesh matches the mask better (on the image grid, not only the 112-cell one it was chosen on); no change does no harm
        if (t >= 0.0005) expect(iou.on[i]).toBeGreaterThan(iou.off[i]);
        else expect(iou.on[i]).toBeCloseTo(iou.off[i], 2);
      });
    } finally {
      pipeline.dispose();
    }
  });
});
