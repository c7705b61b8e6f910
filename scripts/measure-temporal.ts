/**
 * Frame-to-frame stability of the mask and the mesh on the fixture video (issue 14 item 5), with
 * the One Euro filter on and off: on frames where MediaPipe's own keypoints (the reference,
 * tests/fixtures/asl_hand.full.json) move less than STEADY_PX, any change of the mask or the mesh
 * is flicker (src/cli/eval/temporal.ts). Usage: npx tsx scripts/measure-temporal.ts [frames] (default: all 325).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeVideo } from '../src/cli/decodeVideo';
import { measureStability } from '../src/cli/eval/temporal';
import { createNodePipeline } from '../src/cli/nodePipeline';
import { REPO_ROOT } from '../src/cli/paths';
import { finiteMean, finiteMedian } from '../src/core/metrics/stats';

const STEADY_PX = 2;
const video = decodeVideo(join(REPO_ROOT, 'tests/fixtures/asl_hand.25fps.mp4'), Number(process.argv[2] ?? Infinity));
const reference = JSON.parse(readFileSync(join(REPO_ROOT, 'tests/fixtures/asl_hand.full.json'), 'utf8')) as number[][][];

const row = (v: number[], lowIsWorse: boolean, d: number) =>
  `mean ${finiteMean(v).toFixed(d)}, median ${finiteMedian(v).toFixed(d)}, worst ${(lowIsWorse ? Math.min(...v) : Math.max(...v)).toFixed(d)}`;
for (const filter of [true, false]) {
  const pipeline = await createNodePipeline({ heads: { enabled: true }, mesh: { enabled: true }, filter: { enabled: filter } });
  const s = await measureStability(pipeline, video, reference, STEADY_PX);
  pipeline.dispose();
  console.log(`One Euro ${filter ? 'on' : 'off'}: ${s.frames} frames, ${s.steadyPairs} steady pairs (reference keypoints move < ${STEADY_PX} px, one hand)`);
  console.log(`  mask IoU, consecutive frames:       ${row(s.maskIoU, true, 3)}`);
  console.log(`  mesh vertices, wrist-relative (mm): ${row(s.meshMm, false, 2)}`);
  console.log(`  mesh wrist depth (mm):              ${row(s.depthMm, false, 2)}`);
  console.log(`  keypoints 2D (px):                  ${row(s.keypointsPx, false, 2)}`);
}
