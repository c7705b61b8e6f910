/**
 * The landmark network's keypoints on the renders of render_net.py, written as a synthetic split
 * (splits.ts format: kp2d.f32 source-image px, kp3d.f32 wrist-relative metres in image axes,
 * handedness.u8, label.u8, clear.u8, intent.u8, noise.f32) that features-cli.ts and train.py read.
 *
 * Each 224 x 224 crop goes through HandPipeline.landmarksOnly (the full crop as the ROI, rotation 0),
 * exactly what the pipeline reports for a crop; the crop was cut from the source frame along the
 * render's rotated ROI, so the 2D keypoints are mapped back through that ROI (cropTransform's
 * cropToImage) and the 3D world keypoints turned by the ROI's rotation about the camera axis (as the
 * pipeline does for its rotated crops): features then see the same frame as the labels (labels.py on
 * the true pose, source-image 2D). Hands with presence < 0.5 are dropped (the pipeline would drop
 * them). Labels and handedness are the render's truth. Synthetic only.
 *
 *   npx tsx training/gesture/net-keypoints.ts .cache/gesture-net/train-renders .cache/gesture-net/train
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createNodePipeline } from '../../src/cli/nodePipeline';

const [src, out] = process.argv.slice(2);
if (!src || !out) throw new Error('usage: net-keypoints.ts RENDER_DIR OUT_SPLIT_DIR');
type S = { label: number; clear: boolean; intent: string; handedness: 'left' | 'right'; roi: number[]; kp2d: number[][]; kp3d: number[][] };
const meta = JSON.parse(readFileSync(join(src, 'labels.json'), 'utf8')) as { size: number; seed: number; intents: string[]; command: string; samples: S[] };
const raw = readFileSync(join(src, 'crops.u8'));
const C = meta.size;
const pipeline = await createNodePipeline({});
const cropRoi = { cx: C / 2, cy: C / 2, width: C, height: C, rotation: 0 };
const k2: number[] = [],
  k3: number[] = [],
  hand: number[] = [],
  lab: number[] = [],
  clr: number[] = [],
  intent: number[] = [],
  index: number[] = [];
let dropped = 0,
  handAgree = 0,
  err2 = 0,
  err3 = 0;
const t0 = performance.now();
for (let i = 0; i < meta.samples.length; i++) {
  const s = meta.samples[i];
  const img = tf.tensor3d(new Uint8Array(raw.buffer, raw.byteOffset + i * C * C * 3, C * C * 3), [C, C, 3], 'int32');
  const r = await pipeline.landmarksOnly(img, cropRoi);
  img.dispose();
  if (r.presence < 0.5) {
    dropped++;
    continue;
  }
  const [cx, cy, w, h, rot] = s.roi;
  const c = Math.cos(rot),
    sn = Math.sin(rot);
  const p2 = r.keypoints2d.map((p) => {
    const ax = (p.x / C - 0.5) * w,
      ay = (p.y / C - 0.5) * h;
    return [cx + ax * c - ay * sn, cy + ax * sn + ay * c];
  });
  const p3 = r.keypoints3d.map((p) => [c * p.x - sn * p.y, sn * p.x + c * p.y, p.z]);
  const box = Math.max(...s.kp2d.map((q) => q[0])) - Math.min(...s.kp2d.map((q) => q[0]));
  err2 += p2.reduce((a, q, j) => a + Math.hypot(q[0] - s.kp2d[j][0], q[1] - s.kp2d[j][1]), 0) / 21 / Math.max(box, 1);
  err3 += p3.reduce((a, q, j) => a + Math.hypot(q[0] - s.kp3d[j][0], q[1] - s.kp3d[j][1], q[2] - s.kp3d[j][2]), 0) / 21;
  handAgree += r.handedness === s.handedness ? 1 : 0;
  p2.forEach((q) => k2.push(...q));
  p3.forEach((q) => k3.push(...q));
  hand.push(s.handedness === 'left' ? 1 : 0);
  lab.push(s.label);
  clr.push(s.clear ? 1 : 0);
  intent.push(meta.intents.indexOf(s.intent));
  index.push(i);
  if ((i + 1) % 500 === 0) console.log(`${i + 1} crops (${((performance.now() - t0) / (i + 1)).toFixed(0)} ms each)`);
}
pipeline.dispose();
const n = lab.length;
mkdirSync(out, { recursive: true });
const put = (name: string, a: ArrayBufferView) => writeFileSync(join(out, name), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
put('kp2d.f32', new Float32Array(k2));
put('kp3d.f32', new Float32Array(k3));
put('handedness.u8', new Uint8Array(hand));
put('label.u8', new Uint8Array(lab));
put('clear.u8', new Uint8Array(clr));
put('intent.u8', new Uint8Array(intent));
put('noise.f32', new Float32Array(n));
put('render-index.u32', new Uint32Array(index));
const labels = ['None', 'Closed_Fist', 'Open_Palm', 'Pointing_Up', 'Thumb_Down', 'Thumb_Up', 'Victory', 'ILoveYou', 'Pinch'];
const labelCounts = Object.fromEntries(labels.map((l, j) => [l, lab.filter((x) => x === j).length]));
writeFileSync(
  join(out, 'meta.json'),
  JSON.stringify(
    {
      format: 'hands/gesture-synth',
      version: 1,
      kind: 'network keypoints of renders',
      seed: meta.seed,
      command: `${meta.command} && npx tsx training/gesture/net-keypoints.ts ${src} ${out}`,
      count: n,
      labels,
      intents: meta.intents,
      labelCounts,
      clear: clr.reduce((a, b) => a + b, 0),
      dropped,
      files: ['clear.u8', 'handedness.u8', 'intent.u8', 'kp2d.f32', 'kp3d.f32', 'label.u8', 'noise.f32', 'render-index.u32'],
    },
    null,
    1,
  ),
);
console.log(JSON.stringify({ count: n, dropped, clear: clr.reduce((a, b) => a + b, 0), labelCounts }));
console.log(
  `network vs true: mean 2D error ${((100 * err2) / n).toFixed(1)} % of the hand's width, 3D ${((1000 * err3) / n).toFixed(1)} mm; handedness agrees ${((100 * handAgree) / n).toFixed(1)} %; ${((performance.now() - t0) / meta.samples.length).toFixed(0)} ms per crop`,
);
