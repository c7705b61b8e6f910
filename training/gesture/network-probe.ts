/**
 * The landmark network's systematic errors on renders with exact poses (training/gesture/render_probe.py):
 * per gesture intent, the features that matter (per-finger curl, thumb fold and straightness, thumb-index
 * tip distance) of the exact keypoints vs the network's (landmarksOnly: 2D crop + 3D world), and a
 * least-squares slope of network curl on true curl per finger (how much it flattens flexion).
 * Synthetic only: the numbers set the synthetic noise model's bias terms (synth.py).
 *
 *   npx tsx training/gesture/network-probe.ts .cache/gesture-probe
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { createNodePipeline } from '../../src/cli/nodePipeline';
import { FEATURE_INDEX as F, handFeatures } from '../../src/core/gesture/features';

const dir = process.argv[2] ?? '.cache/gesture-probe';
const meta = JSON.parse(readFileSync(`${dir}/labels.json`, 'utf8')) as {
  size: number;
  samples: Array<{ kp3d: number[][]; kp2d: number[][]; vis: number[]; handedness: 'left' | 'right'; gesture: string; frameEdge: boolean }>;
};
const raw = readFileSync(`${dir}/crops.u8`);
const S = meta.size;
const pipeline = await createNodePipeline({});
const roi = { cx: S / 2, cy: S / 2, width: S, height: S, rotation: 0 };
const keys = [
  'thumb_curl',
  'index_curl',
  'middle_curl',
  'ring_curl',
  'pinky_curl',
  'thumb_extension',
  'index_extension',
  'thumb_index_tip',
  'thumb_index_tip_2d',
] as const;
const rows: Array<{ g: string; t: number[]; n: number[] }> = [];
for (let i = 0; i < meta.samples.length; i++) {
  const s = meta.samples[i];
  const whole = !s.frameEdge && s.vis.reduce((a, b) => a + b, 0) >= 12 && s.kp2d.every(([x, y]) => x >= 0 && x < S && y >= 0 && y < S);
  if (!whole) continue;
  const img = tf.tensor3d(new Uint8Array(raw.buffer, raw.byteOffset + i * S * S * 3, S * S * 3), [S, S, 3], 'int32');
  const r = await pipeline.landmarksOnly(img, roi);
  img.dispose();
  if (r.presence < 0.5) continue;
  const w = s.kp3d[0];
  const tf_ = handFeatures({
    handedness: s.handedness,
    keypoints2d: s.kp2d.map(([x, y]) => ({ x, y })),
    keypoints3d: s.kp3d.map(([x, y, z]) => ({ x: x - w[0], y: y - w[1], z: z - w[2] })),
  }).values;
  const nf = handFeatures({ handedness: s.handedness, keypoints2d: r.keypoints2d, keypoints3d: r.keypoints3d }).values;
  rows.push({ g: s.gesture, t: keys.map((k) => tf_[F[k]]), n: keys.map((k) => nf[F[k]]) });
}
const q = (a: number[], p: number) => {
  const b = [...a].sort((x, y) => x - y);
  return b.length ? b[Math.min(b.length - 1, Math.floor(p * b.length))] : NaN;
};
console.log(`${rows.length} whole-hand renders with presence >= 0.5`);
for (const g of [...new Set(rows.map((r) => r.g))].sort()) {
  const rs = rows.filter((r) => r.g === g);
  console.log(`${g} (${rs.length}): feature  true q10/50/90 -> network q10/50/90`);
  keys.forEach((k, j) =>
    console.log(
      `  ${k.padEnd(20)} ${[0.1, 0.5, 0.9]
        .map((p) =>
          q(
            rs.map((r) => r.t[j]),
            p,
          ).toFixed(2),
        )
        .join('/')} -> ${[0.1, 0.5, 0.9]
        .map((p) =>
          q(
            rs.map((r) => r.n[j]),
            p,
          ).toFixed(2),
        )
        .join('/')}`,
    ),
  );
}
// slope / intercept of network curl on true curl, the four fingers pooled and per finger
for (let j = 1; j <= 4; j++) {
  const x = rows.map((r) => r.t[j]);
  const y = rows.map((r) => r.n[j]);
  const mx = x.reduce((a, b) => a + b) / x.length;
  const my = y.reduce((a, b) => a + b) / y.length;
  const sxy = x.reduce((a, xi, i) => a + (xi - mx) * (y[i] - my), 0);
  const sxx = x.reduce((a, xi) => a + (xi - mx) ** 2, 0);
  const b = sxy / sxx;
  const res = y.map((yi, i) => yi - (my + b * (x[i] - mx)));
  const sd = Math.sqrt(res.reduce((a, r) => a + r * r, 0) / res.length);
  console.log(`${keys[j]}: network = ${(my - b * mx).toFixed(2)} + ${b.toFixed(2)} * true (residual sd ${sd.toFixed(2)})`);
}
pipeline.dispose();
