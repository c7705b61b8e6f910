import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeFileSource } from '../../src/cli/nodeFileSource';
import { loadManifest } from '../../src/core/models/manifest';
import { MultiTaskHeads, type HeadsTask, type Taps } from '../../src/core/multitask/headsModel';
import { keypointPrior, PRIOR_CHANNELS, PRIOR_RES } from '../../src/core/multitask/keypointPrior';
import { nodePipeline } from '../helpers/nodePipeline';

// Parity TS vs Python for the multi-task heads: a randomly initialised model exported by the same
// code as the trained one (training/hiu/export.py) must give the same heat maps, mask logits and
// POF in TF.js (src/core/multitask/headsModel.ts) as in PyTorch (training/hiu/model.py), on the
// same taps. Tolerance 1e-4 (outputs are O(1); float32 summation order differs).
const ROOT = new URL('../../', import.meta.url).pathname;
const read = (p: string) => {
  const b = readFileSync(p);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};

describe.each([
  { variant: 'single POF decoder', groups: 0, tap7: false, prior: false },
  { variant: 'POF as 3 learnable joint groups', groups: 3, tap7: false, prior: false },
  { variant: "single POF decoder, regressor reading the encoder's 7x7 tap", groups: 0, tap7: true, prior: false },
  { variant: "single POF decoder, reading the landmark network's keypoints", groups: 0, tap7: false, prior: true },
])('multi-task heads parity: TF.js vs PyTorch ($variant, with the mesh regressor)', ({ groups, tap7, prior }) => {
  let dir: string;
  let shapes: Record<HeadsTask | 'params', number[]>;
  beforeAll(async () => {
    (await nodePipeline()).dispose(); // initialises the WASM backend as the app does
    dir = mkdtempSync(join(tmpdir(), 'hands-heads-'));
    const py = spawnSync('/usr/bin/python3', ['-m', 'hiu.heads_parity', dir, String(groups), tap7 ? 'tap7' : 'fused-only', prior ? 'prior' : 'no-prior'], {
      cwd: join(ROOT, 'training'),
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(py.status, py.stderr).toBe(0);
    shapes = JSON.parse(py.stdout.trim().split('\n').pop()!);
  });

  it('gives the same outputs on the same taps', async () => {
    const files = new NodeFileSource(dir);
    const heads = await MultiTaskHeads.load(files, await loadManifest(files));
    const taps = Object.fromEntries(
      (
        [
          [56, 24],
          [28, 40],
          [14, 112],
          [7, 192],
        ] as const
      ).map(([r, c]) => [r, tf.tensor4d(read(join(dir, `t${r}.f32`)), [2, r, r, c])]),
    ) as unknown as Taps;
    const keypoints = prior ? tf.tensor2d(read(join(dir, 'kp.f32')), [2, 63]) : undefined;
    expect(heads.hasPrior).toBe(prior);
    if (prior) expect(() => heads.run(taps)).toThrow(/keypoints/);
    const before = tf.memory().numTensors;
    const out = heads.run(taps, undefined, keypoints);
    expect(tf.memory().numTensors - before).toBe(4); // only the four outputs survive the tidy
    expect(heads.hasRegressor).toBe(true);
    expect(heads.pofGroups).toBe(groups);
    expect(heads.spec.config.regressor_tap7).toBe(tap7);
    for (const t of ['heatmaps', 'mask', 'pof', 'params'] as const) {
      const o = out[t]!;
      expect(o.shape).toEqual(shapes[t]);
      const a = await o.data();
      const b = read(join(dir, `${t}.f32`));
      let m = 0;
      let scale = 0;
      for (let i = 0; i < a.length; i++) {
        m = Math.max(m, Math.abs(a[i] - b[i]));
        scale = Math.max(scale, Math.abs(b[i]));
      }
      console.log(`heads parity (groups ${groups}, tap7 ${tap7}) ${t}: max diff ${m.toExponential(2)} (outputs up to ${scale.toFixed(2)})`);
      expect(scale).toBeGreaterThan(0.01);
      expect(m).toBeLessThan(1e-4);
    }
    // what no caller reads is skipped, and what is computed does not change
    for (const needs of [
      { pof: false, params: false },
      { pof: true, params: false },
      { pof: false, params: true },
    ]) {
      const lean = heads.run(taps, needs, keypoints);
      expect(Object.keys(lean).sort()).toEqual(['heatmaps', 'mask', ...(needs.params ? ['params'] : []), ...(needs.pof ? ['pof'] : [])].sort());
      for (const t of Object.keys(lean) as Array<keyof typeof lean>) expect(Array.from(await lean[t]!.data())).toEqual(Array.from(await out[t]!.data()));
      tf.dispose(Object.values(lean) as tf.Tensor[]);
    }
    tf.dispose([...Object.values(out), ...Object.values(taps), ...(keypoints ? [keypoints] : [])] as tf.Tensor[]);
    heads.dispose();
  });

  it.runIf(prior)('draws the same keypoint prior (Gaussians at the keypoints, the skeleton) from the same keypoints', async () => {
    const keypoints = tf.tensor2d(read(join(dir, 'kp.f32')), [2, 63]);
    const maps = keypointPrior(keypoints);
    expect(maps.shape).toEqual([2, PRIOR_RES, PRIOR_RES, PRIOR_CHANNELS]);
    const a = await maps.data();
    const b = read(join(dir, 'prior.f32'));
    let m = 0;
    for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    console.log(`keypoint prior parity: max diff ${m.toExponential(2)} (maps in 0..1)`);
    expect(Math.max(...b)).toBeGreaterThan(0.9); // keypoints fall near cell centres somewhere
    expect(m).toBeLessThan(1e-5);
    tf.dispose([keypoints, maps]);
  });
});
