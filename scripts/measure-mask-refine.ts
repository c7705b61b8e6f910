// The cost of the hand mask's image-guided refinement (src/core/multitask/refineMask.ts) next to the
// landmark network + heads it follows, in one process (WASM, like `hands bench`): the per-hand
// landmarks stage (crop + network + heads [+ refinement] + read-back) on the bench photo with the
// refinement off and on, alternated frame by frame so machine load hits both alike; and the
// refinement alone on the same shapes; and the stage without the heads (what the heads cost). Run: npx tsx scripts/measure-mask-refine.ts [frames] [size=224,coef=112,radius=4]
import * as tf from '@tensorflow/tfjs-core';
import { decodeImageFile } from '../src/cli/decodeImage';
import { createNodePipeline } from '../src/cli/nodePipeline';
import { DEFAULT_CONFIG } from '../src/core/config';
import { guidedUpsample } from '../src/core/multitask/refineMask';

const frames = Number(process.argv[2] ?? 20);
const spec = Object.fromEntries(
  (process.argv[3] ?? '')
    .split(',')
    .filter(Boolean)
    .map((kv) => kv.split('='))
    .map(([k, v]) => [k, Number(v)]),
);
const h = DEFAULT_CONFIG.heads;
const refine = {
  size: spec.size ?? (h.maskSize || 224),
  coefSize: spec.coef ?? h.maskCoefSize,
  radius: spec.radius ?? h.maskRadius,
  eps: spec.eps ?? h.maskEps,
};
const none = await createNodePipeline({ heads: { enabled: false } });
const off = await createNodePipeline({ heads: { enabled: true, maskSize: 0 } });
const on = await createNodePipeline({
  heads: { enabled: true, maskSize: refine.size, maskCoefSize: refine.coefSize, maskRadius: refine.radius, maskEps: refine.eps },
});
const img = await decodeImageFile(new URL('../tests/fixtures/hands.jpg', import.meta.url).pathname);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const perHand = (r: Awaited<ReturnType<typeof off.estimate>>) => r.hands.reduce((a, x) => a + x.timings.landmarksMs, 0) / Math.max(1, r.hands.length);
const t: Record<'none' | 'off' | 'on', number[]> = { none: [], off: [], on: [] };
for (let i = 0; i < frames + 3; i++) {
  for (const [name, p] of [
    ['none', none],
    ['off', off],
    ['on', on],
  ] as const) {
    const r = await p.estimate(img.tensor, { mode: 'image' });
    if (i >= 3) t[name].push(perHand(r));
  }
}
const guide = tf.randomUniform([1, refine.size, refine.size, 3]) as tf.Tensor4D;
const prob = tf.randomUniform([1, 56, 56, 1]) as tf.Tensor4D;
const alone: number[] = [];
for (let i = 0; i < frames + 3; i++) {
  const s = performance.now();
  const q = guidedUpsample(guide, prob, refine);
  await q.data();
  q.dispose();
  if (i >= 3) alone.push(performance.now() - s);
}
console.log(`backend ${tf.getBackend()}, ${frames} frames, refinement ${JSON.stringify(refine)}`);
console.log(
  `landmarks stage per hand (crop + network [+ heads] + read-back): no heads ${median(t.none).toFixed(1)} ms; heads, refinement off ${median(t.off).toFixed(1)} ms, on ${median(t.on).toFixed(1)} ms (median)`,
);
console.log(`refinement alone (${refine.size} px guide, 56 px mask -> ${refine.size} px): ${median(alone).toFixed(1)} ms (median)`);
