import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../src/cli/decodeImage';
import { transformMatrix } from '../../src/core/geometry/cropTransform';
import type { HandPipeline } from '../../src/core/pipeline';
import { FIXTURES, nodePipeline } from '../helpers/nodePipeline';

// Parity TS vs Python: the PyTorch interpreter of the landmark network (training/hiu/tfjs_graph.py),
// which trains our decoders on the encoder's feature maps, must compute what TF.js computes, on a
// real hand crop. Tolerances: keypoints 0.01 px, world landmarks 1e-5 m, feature taps 2e-3 (the
// taps are +-10..30; float32 summation order differs between the two).
const ROOT = new URL('../../', import.meta.url).pathname;
const TAPS = [
  'model_1/model/add/ArithmeticOptimizer/AddOpsRewrite_add',
  'model_1/model/add_1/ArithmeticOptimizer/AddOpsRewrite_add',
  'model_1/model/add_5/ArithmeticOptimizer/AddOpsRewrite_add',
  'model_1/model/add_8/ArithmeticOptimizer/AddOpsRewrite_add',
];
const OUTS = ['Identity', 'Identity_1', 'Identity_2', 'Identity_3'];

describe('encoder parity: TF.js landmark network vs its PyTorch port', () => {
  let pipeline: HandPipeline;
  let tfOut: Record<string, Float32Array>;
  let pyOut: Record<string, number[]>;

  beforeAll(async () => {
    pipeline = await nodePipeline();
    const img = await decodeImageFile(`${FIXTURES}hands.jpg`);
    const r = await pipeline.estimate(img.tensor, { mode: 'image' });
    const roi = r.hands[0].roi;
    const crop = tf.tidy(() => {
      const x = tf.expandDims(tf.cast(img.tensor, 'float32'), 0) as tf.Tensor4D;
      const m = transformMatrix({ rect: roi, outWidth: 224, outHeight: 224 });
      return tf.div(tf.image.transform(x, tf.tensor2d([m]), 'bilinear', 'constant', 0, [224, 224]), 255) as tf.Tensor4D;
    });
    img.tensor.dispose();
    const model = (pipeline as unknown as { landmarks(): { model: { execute(x: tf.Tensor, o: string[]): tf.Tensor[] } } }).landmarks().model;
    const outs = model.execute(crop, [...OUTS, ...TAPS]);
    tfOut = Object.fromEntries(await Promise.all([...OUTS, ...TAPS].map(async (n, i) => [n, (await outs[i].data()) as Float32Array])));
    tf.dispose(outs);
    const dir = mkdtempSync(join(tmpdir(), 'hands-parity-'));
    const input = join(dir, 'crop.f32');
    writeFileSync(input, Buffer.from((await crop.data()).buffer));
    crop.dispose();
    const py = spawnSync('/usr/bin/python3', ['-m', 'hiu.encoder_parity', join(ROOT, 'models/handlandmark-full.json'), input, '224', '224', ...OUTS, ...TAPS], {
      cwd: join(ROOT, 'training'),
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      timeout: 120_000,
    });
    expect(py.status, py.stderr).toBe(0);
    pyOut = JSON.parse(py.stdout);
  });
  afterAll(() => pipeline?.dispose());

  const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    expect(a.length).toBe(b.length);
    let m = 0;
    for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  };

  it('keypoints, presence, handedness and world landmarks agree', () => {
    const d = {
      lm: maxDiff(tfOut.Identity, pyOut.Identity),
      presence: maxDiff(tfOut.Identity_1, pyOut.Identity_1),
      handed: maxDiff(tfOut.Identity_2, pyOut.Identity_2),
      world: maxDiff(tfOut.Identity_3, pyOut.Identity_3),
    };
    console.log(
      `encoder parity: keypoints ${d.lm.toExponential(2)} px, presence ${d.presence.toExponential(2)}, handedness ${d.handed.toExponential(2)}, world ${d.world.toExponential(2)} m`,
    );
    expect(tfOut.Identity_1[0]).toBeGreaterThan(0.9); // a real hand, not a trivial input
    expect(d.lm).toBeLessThan(0.01);
    expect(d.presence).toBeLessThan(1e-4);
    expect(d.handed).toBeLessThan(1e-4);
    expect(d.world).toBeLessThan(1e-5);
  });

  it('the four feature taps (56, 28, 14, 7) agree', () => {
    for (const t of TAPS) {
      const d = maxDiff(tfOut[t], pyOut[t]);
      console.log(`encoder parity: ${t.split('/')[2]} (${tfOut[t].length} values) max diff ${d.toExponential(2)}`);
      expect(d).toBeLessThan(2e-3);
    }
  });
});
