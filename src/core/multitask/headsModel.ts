import * as tf from '@tensorflow/tfjs-core';
import { HandsError } from '../errors';
import type { FileSource } from '../models/fileSource';
import { loadCheckedFile } from '../models/loadGraphModel';
import { manifestModel, type ModelManifest } from '../models/manifest';

/**
 * The multi-task heads (HIU-DMTL port) in TF.js: a module-by-module mirror of
 * training/hiu/model.py, with weights exported by training/hiu/export.py (models/hiu-heads.*).
 * tests/node/headsParity.test.ts checks both give the same outputs on the same taps.
 */
export const HEADS_MODEL = 'hiu-heads';
export const HEADS_SIZE = 56;
const TASKS = ['heatmaps', 'mask', 'pof'] as const;
export type HeadsTask = (typeof TASKS)[number];

interface HeadsSpec {
  format: string;
  config: { channels: number; stages: number; taps: Record<string, string>; encoder: string };
  weights: string;
  tensors: Array<{ name: string; shape: number[]; offset: number }>;
  provenance: Record<string, unknown>;
}

/** Encoder feature maps by resolution, NHWC [1, r, r, c]. */
export type Taps = Record<56 | 28 | 14 | 7, tf.Tensor4D>;

export type HeadsOutput = Record<HeadsTask, tf.Tensor4D>;

export class MultiTaskHeads {
  private constructor(
    private readonly w: Map<string, tf.Tensor>,
    readonly spec: HeadsSpec,
  ) {}

  /** The encoder node names whose outputs feed the heads, by resolution. */
  get tapNodes(): Record<56 | 28 | 14 | 7, string> {
    const t = this.spec.config.taps;
    return { 56: t['56'], 28: t['28'], 14: t['14'], 7: t['7'] };
  }

  static async load(files: FileSource, manifest: ModelManifest): Promise<MultiTaskHeads> {
    const entry = manifestModel(manifest, HEADS_MODEL);
    const jsonName = `${HEADS_MODEL}.json`;
    const jsonBytes = await loadCheckedFile(files, jsonName, entry.files[jsonName]);
    let spec: HeadsSpec;
    try {
      spec = JSON.parse(new TextDecoder().decode(jsonBytes)) as HeadsSpec;
      if (spec.format !== 'hands-heads/1') throw new Error(`unknown format ${spec.format}`);
    } catch (err) {
      throw new HandsError('model-corrupt', `model file ${files.location}${jsonName} is not valid: ${(err as Error).message}`, 'Restore the models folder from the repository.');
    }
    const bin = await loadCheckedFile(files, spec.weights, entry.files[spec.weights]);
    const buf = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
    const w = new Map<string, tf.Tensor>();
    for (const t of spec.tensors) {
      const n = t.shape.reduce((a, b) => a * b, 1);
      w.set(t.name, tf.tensor(new Float32Array(buf, t.offset, n), t.shape, 'float32'));
    }
    return new MultiTaskHeads(w, spec);
  }

  private p(name: string): tf.Tensor {
    const t = this.w.get(name);
    if (!t) throw new HandsError('model-corrupt', `hiu-heads.json has no tensor ${name}`, 'Restore the models folder from the repository.');
    return t;
  }

  private conv1x1(x: tf.Tensor4D, name: string): tf.Tensor4D {
    return tf.add(tf.conv2d(x, this.p(`${name}.weight`) as tf.Tensor4D, 1, 'same'), this.p(`${name}.bias`)) as tf.Tensor4D;
  }

  /** Depthwise 3x3 + pointwise 1x1 + ReLU (SepConv). */
  private sepConv(x: tf.Tensor4D, name: string): tf.Tensor4D {
    const dw = tf.add(tf.depthwiseConv2d(x, this.p(`${name}.dw.weight`) as tf.Tensor4D, 1, 'same'), this.p(`${name}.dw.bias`)) as tf.Tensor4D;
    return tf.relu(this.conv1x1(dw, `${name}.pw`));
  }

  private up2(x: tf.Tensor4D): tf.Tensor4D {
    const [, h, w] = x.shape;
    return tf.image.resizeBilinear(x, [2 * h, 2 * w], false, true);
  }

  /** Taps -> the last stage's outputs (heat maps, mask logits, POF), NHWC 56 x 56. */
  run(taps: Taps): HeadsOutput {
    return tf.tidy(() => {
      let x = this.conv1x1(taps[7], 'fpn.lat.7');
      for (const r of [14, 28] as const) x = tf.add(this.up2(x), this.conv1x1(taps[r], `fpn.lat.${r}`));
      const base = this.sepConv(x, 'fpn.out');
      const skip56 = this.conv1x1(taps[56], 'fpn.lat.56');
      let fused: tf.Tensor4D | null = null;
      let outs: Partial<HeadsOutput> = {};
      for (let k = 0; k < this.spec.config.stages; k++) {
        const s = `stages.${k}`;
        const input: tf.Tensor4D = fused ? tf.relu(this.conv1x1(tf.concat([base, fused], 3), `${s}.merge`)) : base;
        const feats: tf.Tensor4D[] = [];
        outs = {};
        for (const t of TASKS) {
          const f = this.sepConv(this.sepConv(input, `${s}.decoders.${t}.body.0`), `${s}.decoders.${t}.body.1`);
          feats.push(f);
          outs[t] = this.conv1x1(tf.relu(tf.add(this.up2(f), skip56)) as tf.Tensor4D, `${s}.decoders.${t}.head`);
        }
        fused = this.attention(feats, `${s}.attention`);
      }
      return outs as HeadsOutput;
    });
  }

  /** Channel attention with a softmax across tasks; the fused feature is the weighted sum. */
  private attention(feats: tf.Tensor4D[], name: string): tf.Tensor4D {
    const c = feats[0].shape[3];
    const pooled = tf.concat(feats.map((f) => tf.mean(f, [1, 2])), 1) as tf.Tensor2D; // [B, T*C]
    const logits = tf.add(tf.matMul(pooled, this.p(`${name}.fc.weight`) as tf.Tensor2D), this.p(`${name}.fc.bias`));
    // softmax over tasks (axis 1; TF.js's softmax works on the last axis only)
    const l = tf.reshape(logits, [-1, feats.length, c]);
    const e = tf.exp(tf.sub(l, tf.max(l, 1, true)));
    const w = tf.div(e, tf.sum(e, 1, true));
    let sum: tf.Tensor4D | null = null;
    feats.forEach((f, t) => {
      const wt = tf.reshape(tf.slice(w, [0, t, 0], [-1, 1, c]), [-1, 1, 1, c]);
      const term = tf.mul(f, wt) as tf.Tensor4D;
      sum = sum ? (tf.add(sum, term) as tf.Tensor4D) : term;
    });
    return sum!;
  }

  dispose(): void {
    for (const t of this.w.values()) t.dispose();
    this.w.clear();
  }
}
