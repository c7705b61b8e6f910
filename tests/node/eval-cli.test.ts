import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writeCoco, writeHgcnn, writeMaskPairs } from '../helpers/evalDatasets';

// `hands eval` end to end, as a user runs it, on tiny data sets the test writes itself from
// tests/fixtures/hands.jpg (MediaPipe's expected keypoints as the "ground truth").
const BIN = new URL('../../bin/hands.mjs', import.meta.url).pathname;
const MODELS = new URL('../../models/', import.meta.url).pathname;
// the MediaPipe web row caches into a temp folder (tests/node/mediapipeWeb.test.ts checks the row itself)
const MP_CACHE = tempDir('cli-mpweb-cache');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, 'eval', ...args], { encoding: 'utf8', timeout: 180_000, env: { ...process.env, HANDS_MEDIAPIPE_WEB_CACHE: MP_CACHE } });

async function expectPng(path: string): Promise<void> {
  expect(existsSync(path), path).toBe(true);
  const meta = await sharp(path).metadata();
  expect(meta.format).toBe('png');
  expect(meta.width).toBeGreaterThan(100);
  expect(meta.height).toBeGreaterThan(100);
}

describe('hands eval (CLI)', () => {
  let root: string;
  beforeAll(() => {
    root = tempDir('cli');
  });

  it('COCO set with both hands of hands.jpg: table, report, plots, predictions; pipeline error < 12 px', async () => {
    const data = join(root, 'coco');
    const out = join(root, 'coco-out');
    mkdirSync(data, { recursive: true });
    writeCoco(data);
    const preds = join(root, 'coco-preds.json');
    const r = run('--dataset', data, '--out', out, '--dump-predictions', preds, '--no-mediapipe-web');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^pipeline\s+2\/2 /m);
    expect(r.stdout).not.toMatch(/^MediaPipe Hands web/m);
    expect(r.stdout).toMatch(/^landmark-only\s+-/m);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.dataset).toMatchObject({ format: 'coco', images: 1, hands: 2, hands3d: 0 });
    expect(report.mediapipeWeb.status).toBe('off');
    // --quality best (the default) fits the mesh on stills: its own row comes with it
    expect(report.methods.map((m: { name: string }) => m.name)).toEqual(['pipeline', 'landmark-only', 'mesh']);
    const [pipeline, baseline] = report.methods;
    expect(pipeline.keypoints.found).toBe(2);
    expect(pipeline.keypoints.meanPx).toBeLessThan(12);
    expect(pipeline.keypoints.pck['0.2']).toBe(1);
    expect(baseline.keypoints.hands).toBe(2);
    for (const f of ['pck2d.png', 'error-histogram.png', 'worst-pipeline.png', 'worst-landmark-only.png']) await expectPng(join(out, f));
    expect(existsSync(join(out, 'pck3d.png'))).toBe(false); // no 3D ground truth
    expect(report.plots).toEqual(['pck2d.png', 'error-histogram.png', 'worst-pipeline.png', 'worst-landmark-only.png', 'worst-mesh.png']);
    const dump = JSON.parse(readFileSync(preds, 'utf8'));
    expect(dump.images).toHaveLength(1);
    expect(dump.images[0].mask).toBeNull();
    expect(dump.images[0].methods.pipeline.hands).toHaveLength(2);
    expect(dump.images[0].methods.pipeline.hands[0].keypoints2d).toHaveLength(21);
    expect(dump.images[0].methods.pipeline.hands[0].keypoints3d[0]).toEqual([0, 0, 0]);
    expect(dump.images[0].methods['landmark-only'].hands).toHaveLength(2);
  });

  it('hgcnn-style crop with 3D: both rows, 3D columns and the 3D PCK plot', async () => {
    const data = join(root, 'hgcnn');
    const out = join(root, 'hgcnn-out');
    await writeHgcnn(data);
    const r = run('--dataset', data, '--format', 'hgcnn', '--out', out, '--no-mediapipe-web');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/PA-MPJPE mm/);
    // the found column's rule, under the table, with hgcnn's bound in pixels (0.5 x the 256 px crop)
    expect(r.stdout).toMatch(/^found = a prediction matched to the GT hand, its mean joint error < 0\.5 x the normaliser \(crop side\), here < 128 px/m);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.dataset.hands3d).toBe(1);
    const baseline = report.methods[1];
    // the landmark network on the whole (upright) crop lands on MediaPipe's expected keypoints
    expect(baseline.keypoints.meanPx).toBeLessThan(12);
    expect(Number.isFinite(baseline.keypoints.paMpjpeMm)).toBe(true);
    await expectPng(join(out, 'pck3d.png'));
    await expectPng(join(out, 'worst-landmark-only.png'));
  });

  it('image + mask pairs: detection on the mask (MediaPipe web row too), segmentation against the baseline in the same run', async () => {
    const data = join(root, 'masks');
    const out = join(root, 'masks-out');
    mkdirSync(data, { recursive: true });
    await writeMaskPairs(data);
    const r = run('--dataset', data, '--out', out, '--limit', '1');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/segmentation +raw: mean IoU/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.dataset).toMatchObject({ format: 'masks', images: 1 });
    expect(report.methods[0].masks.detectionRate).toBe(1);
    expect(report.methods[0].masks.meanOnMask).toBeGreaterThan(0.9);
    // the real MediaPipe web solution, scored on the mask the same way
    expect(r.stdout).toMatch(/^MediaPipe Hands web \(full\)\s+1\s+1\s+1\.000 /m);
    expect(report.methods[1]).toMatchObject({ name: 'mediapipe-web', masks: { found: 1 } });
    expect(report.methods[1].masks.meanOnMask).toBeGreaterThan(0.9);
    // the heads' mask (their weights ship in models/, so its row is required) and the skin-colour
    // baseline, scored raw and hand-only
    expect(existsSync(join(MODELS, 'hiu-heads.json')) && existsSync(join(MODELS, 'hiu-heads.bin')), 'models/hiu-heads.* ship with the repository').toBe(true);
    const names = report.segmentation.map((s: { name: string }) => s.name);
    expect(names).toContain('heads mask');
    expect(names).toContain('skin-colour rule');
    expect(r.stdout).toMatch(/^heads mask +\d/m);
    for (const s of report.segmentation) {
      for (const k of ['raw', 'handOnly']) {
        expect(s[k].meanIoU).toBeGreaterThanOrEqual(0);
        expect(s[k].meanBoundaryF).toBeGreaterThanOrEqual(0);
        expect(s[k].meanBoundaryF).toBeLessThanOrEqual(1);
      }
    }
    // the shipped mask's quality on hands.jpg against the thick-stroke skeleton mask of its expected
    // keypoints: measured raw IoU 0.717, precision 0.764 (the skin rule: 0.520, 0.727)
    const [heads, skin] = ['heads mask', 'skin-colour rule'].map((name) => report.segmentation.find((s: { name: string }) => s.name === name));
    expect(heads.raw.meanIoU).toBeGreaterThanOrEqual(0.62);
    expect(heads.raw.precision).toBeGreaterThanOrEqual(0.65);
    expect(heads.raw.meanIoU).toBeGreaterThan(skin.raw.meanIoU + 0.1);
    // no keypoint labels in this set: the hand-only cut is the pipeline's own wrist, and says so
    expect(report.mask.handOnlyWrist).toEqual({ pipeline: 1 });
    expect(r.stdout).toMatch(/^hand-only = .*the pipeline's own wrist in 1 image/m);
    expect(r.stdout).toMatch(/boundary F/);
    await expectPng(join(out, 'on-mask-histogram.png'));
    await expectPng(join(out, 'worst-pipeline.png'));
  });

  it('usage errors exit 2, a missing data set 3', () => {
    expect(run().status).toBe(2);
    expect(run('--dataset', root, '--format', 'bogus').status).toBe(2);
    expect(run('--dataset', root, '--limit', '0').status).toBe(2);
    expect(run('--dataset', root, '--mask-refine', 'radius=x').status).toBe(2);
    const thickness = run('--dataset', root, '--mesh-thickness', 'maybe');
    expect(thickness.status).toBe(2);
    expect(thickness.stderr).toMatch(/--mesh-thickness takes on or off/);
    const missing = run('--dataset', join(root, 'nope'));
    expect(missing.status).toBe(3);
    expect(missing.stderr).toMatch(/no such file or folder/);
    const help = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    expect(help.stdout).toMatch(/hands eval --dataset PATH/);
    expect(help.stdout).toMatch(/hands analyze <image/);
    expect(help.stdout).toMatch(/--no-mediapipe-web/);
  });
});
