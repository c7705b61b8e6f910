import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../src/cli/decodeImage';
import { mediapipeWebOptions, runMediapipeWeb, type MediapipeWebImageRaw } from '../../src/cli/eval/mediapipeWeb';
import { mediapipeWebBaseline } from '../../src/cli/eval/mediapipeWebBaseline';
import { handednessFromLabel, mediapipeWebHands } from '../../src/cli/eval/mediapipeWebConvert';
import type { HandPipeline } from '../../src/core/pipeline';
import type { FrameResult } from '../../src/core/types';
import { EXPECTED, HANDS_JPG, tempDir, writeCoco } from '../helpers/evalDatasets';
import { FIXTURES, nodePipeline } from '../helpers/nodePipeline';

// The MediaPipe Hands web baseline of `hands eval`: the real @mediapipe/hands solution in headless
// Debian chromium, checked against MediaPipe's published keypoints for hands.jpg and against our
// pipeline's conventions (pixels, wrist-relative 3D, handedness of the real hand).
const TOLERANCE_PX = (JSON.parse(readFileSync(join(FIXTURES, 'hands.expected.json'), 'utf8')) as { tolerancePx: number }).tolerancePx;
const BIN = new URL('../../bin/hands.mjs', import.meta.url).pathname;

const nearestByWrist = <T>(items: readonly T[], wrist: (t: T) => readonly number[], ref: readonly number[]): T =>
  items.reduce((a, b) => (Math.hypot(wrist(a)[0] - ref[0], wrist(a)[1] - ref[1]) <= Math.hypot(wrist(b)[0] - ref[0], wrist(b)[1] - ref[1]) ? a : b));

describe('MediaPipe Hands web in chromium', () => {
  let raw: MediapipeWebImageRaw[];
  let pipeline: HandPipeline;
  let ours: FrameResult;
  beforeAll(async () => {
    // hands.jpg, another photo, hands.jpg again: the third must not remember the first two
    raw = await runMediapipeWeb([HANDS_JPG, join(FIXTURES, 'fingerpose-fullcurl.jpg'), HANDS_JPG], mediapipeWebOptions(2, 'full'), () => undefined);
    pipeline = await nodePipeline();
    const img = await decodeImageFile(HANDS_JPG);
    ours = await pipeline.estimate(img.tensor, { mode: 'image' });
    img.tensor.dispose();
  });
  afterAll(() => pipeline?.dispose());

  it("hands.jpg: both hands, every keypoint within MediaPipe's published tolerance; handedness and 3D as our pipeline reports them", () => {
    expect(raw[0].error).toBeUndefined();
    expect([raw[0].width, raw[0].height]).toEqual([720, 382]);
    const hands = mediapipeWebHands(raw[0]);
    expect(hands).toHaveLength(2);
    let worst = 0;
    for (const ref of EXPECTED) {
      const h = nearestByWrist(hands, (x) => x.keypoints2d[0], ref[0]);
      ref.forEach(([x, y], i) => {
        worst = Math.max(worst, Math.abs(h.keypoints2d[i][0] - x), Math.abs(h.keypoints2d[i][1] - y));
      });
      const p = nearestByWrist(ours.hands, (x) => [x.keypoints2d[0].x, x.keypoints2d[0].y], ref[0]);
      // MediaPipe labels as for a mirrored selfie; converted, it names the same real hand as ours
      expect(h.handedness, `hand at wrist ${ref[0]}`).toBe(p.handedness);
      // 3D: wrist-relative millimetres in image axes, like ours (the same landmark network)
      expect(h.keypoints3d[0]).toEqual([0, 0, 0]);
      const gap = h.keypoints3d.map((q, i) => Math.hypot(q[0] - 1000 * p.keypoints3d[i].x, q[1] - 1000 * p.keypoints3d[i].y, q[2] - 1000 * p.keypoints3d[i].z));
      expect(Math.max(...gap), `3D gap to our pipeline, hand at wrist ${ref[0]}`).toBeLessThan(25);
    }
    console.log(
      `MediaPipe web on hands.jpg: worst coordinate error ${worst.toFixed(1)} px (tolerance ${TOLERANCE_PX}); labels ${raw[0].hands.map((h) => h.label).join(', ')}`,
    );
    expect(worst).toBeLessThanOrEqual(TOLERANCE_PX);
  });

  it('each image is independent: the same image after another gives exactly the same result', () => {
    expect(raw[2].hands).toEqual(raw[0].hands);
    expect(raw[1].error).toBeUndefined();
  });

  it('handedness labels swap: MediaPipe "Left" (mirrored) is a real right hand', () => {
    expect(handednessFromLabel('Left')).toBe('right');
    expect(handednessFromLabel('Right')).toBe('left');
  });
});

describe('hands eval: the MediaPipe Hands web row', () => {
  it('prints the row on a tiny COCO set, scored like the pipeline; the second run takes it from the cache', () => {
    const root = tempDir('mpweb');
    const data = join(root, 'coco');
    mkdirSync(data, { recursive: true });
    writeCoco(data);
    const cache = join(root, 'cache');
    const run = (out: string) =>
      spawnSync(process.execPath, [BIN, 'eval', '--dataset', data, '--out', join(root, out)], {
        encoding: 'utf8',
        timeout: 180_000,
        env: { ...process.env, HANDS_MEDIAPIPE_WEB_CACHE: cache },
      });
    const first = run('out1');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^MediaPipe Hands web \(full\)\s+2\/2 /m);
    expect(first.stderr).toMatch(/loaded in chromium/);
    expect(readdirSync(cache).filter((f) => f.endsWith('.json'))).toHaveLength(1);
    const report = JSON.parse(readFileSync(join(root, 'out1', 'report.json'), 'utf8'));
    expect(report.methods.map((m: { name: string }) => m.name)).toEqual(['pipeline', 'mediapipe-web', 'landmark-only', 'mesh']);
    const mp = report.methods[1];
    expect(mp.label).toBe('MediaPipe Hands web (full)');
    expect(mp.keypoints.found).toBe(2);
    expect(mp.keypoints.meanPx).toBeLessThan(TOLERANCE_PX);
    expect(report.mediapipeWeb).toMatchObject({ status: 'measured', package: '@mediapipe/hands@0.4.1675469240', failedImages: 0 });
    expect(report.mediapipeWeb.options).toMatchObject({ modelComplexity: 1, maxNumHands: 2, selfieMode: false, useCpuInference: true });
    expect(report.plots).toContain('worst-mediapipe-web.png');

    const second = run('out2');
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).not.toMatch(/loaded in chromium/);
    expect(second.stdout).toMatch(/predictions from the cache/);
    const again = JSON.parse(readFileSync(join(root, 'out2', 'report.json'), 'utf8'));
    expect(again.mediapipeWeb.status).toBe('cached');
    expect(again.methods[1].keypoints.meanPx).toBe(mp.keypoints.meanPx);
  });
});

describe('the MediaPipe Hands web row without chromium', () => {
  it('is skipped with a one-line reason, not an error', async () => {
    const r = await mediapipeWebBaseline([HANDS_JPG], {
      maxHands: 2,
      variant: 'full',
      chromium: '/nonexistent/chromium',
      cacheDir: tempDir('mpweb-none'),
      log: () => undefined,
    });
    expect(r.status).toBe('skipped');
    expect(r.note).toMatch(/^\/nonexistent\/chromium not found \(Debian's chromium; scripts\/setup-system\.sh installs it\)$/);
    expect(r.results).toBeUndefined();
  });
});
