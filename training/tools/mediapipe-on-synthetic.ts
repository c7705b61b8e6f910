/**
 * Does a real-trained model see our renders as hands? Runs the MediaPipe hand landmark network
 * (the project's own pipeline, `landmarksOnly`, Node WASM) on synthetic 224x224 crops written by
 * `python3 -m handsynth export-crops` and compares with the exact labels.
 *
 *   (cd training && /usr/bin/python3 -m handsynth export-crops --out ../.cache/handsynth/mp --count 300)
 *   npx tsx training/tools/mediapipe-on-synthetic.ts .cache/handsynth/mp [full|lite]
 *
 * Prints: mean 2D error in crop pixels (all 21 keypoints; visible ones), PCK@0.05/0.1 of the crop
 * side, the same on the "whole hand in view" subset (all keypoints in the crop, not at the frame's
 * border, >= 12 visible), the same after removing each keypoint's mean offset (the part of the error that is a
 * difference of keypoint definitions between our model and MediaPipe's), presence (the network's
 * hand probability) and handedness accuracy.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { createNodePipeline } from '../../src/cli/nodePipeline';

const dir = process.argv[2];
const variant = (process.argv[3] ?? 'full') as 'full' | 'lite';
if (!dir) {
  console.error('usage: npx tsx training/tools/mediapipe-on-synthetic.ts DIR [full|lite]');
  process.exit(2);
}
interface Label {
  kp2d: number[][];
  vis: number[];
  handedness: 'left' | 'right';
  maskArea: number;
  gesture: string;
  frameEdge: boolean;
}
const meta = JSON.parse(readFileSync(`${dir}/labels.json`, 'utf8')) as { size: number; samples: Label[] };
const raw = readFileSync(`${dir}/crops.u8`);
const S = meta.size;
const pipeline = await createNodePipeline({ landmarks: { variant } });
const roi = { cx: S / 2, cy: S / 2, width: S, height: S, rotation: 0 };

const pred: number[][][] = [];
const presence: number[] = [];
const handedOk: number[] = [];
const t0 = performance.now();
for (let i = 0; i < meta.samples.length; i++) {
  const img = tf.tensor3d(new Uint8Array(raw.buffer, raw.byteOffset + i * S * S * 3, S * S * 3), [S, S, 3], 'int32');
  const r = await pipeline.landmarksOnly(img, roi);
  img.dispose();
  pred.push(r.keypoints2d.map((k) => [k.x, k.y]));
  presence.push(r.presence);
  handedOk.push(r.handedness === meta.samples[i].handedness ? 1 : 0);
}
const ms = (performance.now() - t0) / meta.samples.length;

const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / Math.max(1, a.length);
const median = (a: number[]) => {
  const b = [...a].sort((x, y) => x - y);
  return b.length ? b[Math.floor(b.length / 2)] : NaN;
};
// "whole hand in view": all 21 keypoints inside the crop, not at the source frame's border, >= 12 visible
const wholeHand = meta.samples.map(
  (s) => !s.frameEdge && s.vis.reduce((a, b) => a + b, 0) >= 12 && s.kp2d.every(([x, y]) => x >= 0 && x < S && y >= 0 && y < S),
);
function errors(offset?: number[][], only?: boolean[]) {
  const all: number[] = [];
  const vis: number[] = [];
  meta.samples.forEach((s, i) => {
    if (only && !only[i]) return;
    for (let k = 0; k < 21; k++) {
      const dx = pred[i][k][0] - s.kp2d[k][0] - (offset ? offset[k][0] : 0);
      const dy = pred[i][k][1] - s.kp2d[k][1] - (offset ? offset[k][1] : 0);
      const e = Math.hypot(dx, dy);
      all.push(e);
      if (s.vis[k]) vis.push(e);
    }
  });
  const pck = (a: number[], t: number) => mean(a.map((e) => (e <= t * S ? 1 : 0)));
  return { meanPx: mean(all), medianPx: median(all), meanVisiblePx: mean(vis), pck005: pck(all, 0.05), pck01: pck(all, 0.1) };
}
// per-keypoint mean offset (crops are upright, so definition gaps show up as a consistent offset)
const offset = Array.from({ length: 21 }, (_, k) => [0, 1].map((c) => mean(meta.samples.map((s, i) => pred[i][k][c] - s.kp2d[k][c]))));
const result = {
  variant,
  crops: meta.samples.length,
  msPerCrop: Math.round(ms * 10) / 10,
  raw: errors(),
  afterPerKeypointOffset: errors(offset),
  wholeHandInView: {
    crops: wholeHand.filter(Boolean).length,
    ...errors(undefined, wholeHand),
    presenceMean: mean(presence.filter((_, i) => wholeHand[i])),
    presenceAbove05: mean(presence.filter((_, i) => wholeHand[i]).map((p) => (p >= 0.5 ? 1 : 0))),
  },
  perKeypointOffsetPx: offset.map((o) => Math.round(Math.hypot(o[0], o[1]) * 10) / 10),
  presence: { mean: mean(presence), median: median(presence), fractionAbove05: mean(presence.map((p) => (p >= 0.5 ? 1 : 0))) },
  handednessAccuracy: mean(handedOk),
};
const round = (x: unknown): unknown =>
  typeof x === 'number'
    ? Math.round(x * 1000) / 1000
    : Array.isArray(x)
      ? x.map(round)
      : x && typeof x === 'object'
        ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, round(v)]))
        : x;
console.log(JSON.stringify(round(result), null, 1));
if (process.env.PER_SAMPLE) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    process.env.PER_SAMPLE,
    JSON.stringify(
      meta.samples.map((s, i) => ({
        presence: presence[i],
        handedOk: handedOk[i],
        meanPx: mean(pred[i].map((p, k) => Math.hypot(p[0] - s.kp2d[k][0], p[1] - s.kp2d[k][1]))),
        pred: pred[i],
      })),
    ),
  );
}
pipeline.dispose();
