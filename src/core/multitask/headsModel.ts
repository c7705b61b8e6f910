import * as tf from '@tensorflow/tfjs-core';
import { HandsError } from '../errors';
import type { FileSource } from '../models/fileSource';
import { loadCheckedFile } from '../models/loadGraphModel';
import { manifestModel, type ModelManifest } from '../models/manifest';
import { keypointPrior } from './keypointPrior';
import type { MaskRefineOptions } from './refineMask';

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
  config: {
    channels: number;
    stages: number;
    taps: Record<string, string>;
    encoder: string;
    regressor?: boolean;
    pof_groups?: number;
    regressor_tap7?: boolean;
    prior?: boolean;
  };
  weights: string;
  tensors: Array<{ name: string; shape: number[]; offset: number }>;
  provenance: Record<string, unknown>;
}

/** Encoder feature maps by resolution, NHWC [1, r, r, c]. */
export type Taps = Record<56 | 28 | 14 | 7, tf.Tensor4D>;

/**
 * The last stage's dense outputs (NHWC 56 x 56) and, when the model has the mesh regressor, its
 * parameters [B, REGRESSOR_PARAMS] (see regressedParams.ts for their meaning).
 */
export type HeadsOutput = Record<'heatmaps' | 'mask', tf.Tensor4D> & { pof?: tf.Tensor4D; params?: tf.Tensor2D };

/**
 * Which optional outputs a caller reads: the POF (3D keypoints from the heads) and the regressed
 * mesh parameters. What nobody reads is not computed (the last stage's POF decoder, the
 * attention and the regressor chain), which keeps the heads within the latency budget.
 */
export interface HeadsNeeds {
  pof: boolean;
  params: boolean;
  /** Refine the mask on the picture (multitask/refineMask.ts; the caller runs it, after the heads). */
  maskRefine?: MaskRefineOptions;
}
const ALL_OUTPUTS: HeadsNeeds = { pof: true, params: true };

/** Length of the regressor's parameter vector (training/hiu/model.py N_PARAMS). */
export const REGRESSOR_PARAMS = 48;

export class MultiTaskHeads {
  private readonly picks = new Map<string, Float32Array[]>();

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
      throw new HandsError(
        'model-corrupt',
        `model file ${files.location}${jsonName} is not valid: ${(err as Error).message}`,
        'Restore the models folder from the repository.',
      );
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

  // fused conv + bias (+ ReLU): one kernel per layer instead of two or three, which is what the
  // heads' many small layers cost on WebGL
  private conv1x1(x: tf.Tensor4D, name: string, activation: 'linear' | 'relu' = 'linear'): tf.Tensor4D {
    return tf.fused.conv2d({ x, filter: this.p(`${name}.weight`) as tf.Tensor4D, strides: 1, pad: 'same', bias: this.p(`${name}.bias`), activation });
  }

  /** Depthwise 3x3 + pointwise 1x1 + ReLU (SepConv). */
  private sepConv(x: tf.Tensor4D, name: string): tf.Tensor4D {
    const dw = tf.fused.depthwiseConv2d({ x, filter: this.p(`${name}.dw.weight`) as tf.Tensor4D, strides: 1, pad: 'same', bias: this.p(`${name}.dw.bias`) });
    return this.conv1x1(dw, `${name}.pw`, 'relu');
  }

  private up2(x: tf.Tensor4D): tf.Tensor4D {
    const [, h, w] = x.shape;
    return tf.image.resizeBilinear(x, [2 * h, 2 * w], false, true);
  }

  /** Whether these weights include the mesh-parameter regressor. */
  get hasRegressor(): boolean {
    return this.spec.config.regressor === true;
  }

  /** Whether these heads read the landmark network's keypoints (keypointPrior.ts). */
  get hasPrior(): boolean {
    return this.spec.config.prior === true;
  }

  /**
   * Taps -> the last stage's outputs (heat maps, mask logits, POF, regressed parameters).
   * `keypoints`: the landmark network's keypoints on the same crop, [B, 63] crop px (needed when
   * `hasPrior`).
   */
  run(taps: Taps, needs: HeadsNeeds = ALL_OUTPUTS, keypoints?: tf.Tensor): HeadsOutput {
    if (this.hasPrior && !keypoints) throw new Error("these heads read the landmark network's keypoints: pass them to run()");
    return tf.tidy(() => {
      let x = this.conv1x1(taps[7], 'fpn.lat.7');
      for (const r of [14, 28] as const) x = tf.add(this.up2(x), this.conv1x1(taps[r], `fpn.lat.${r}`));
      if (keypoints && this.hasPrior) x = tf.add(x, this.conv1x1(keypointPrior(keypoints), 'fpn.prior'));
      const base = this.sepConv(x, 'fpn.out');
      const skip56 = this.conv1x1(taps[56], 'fpn.lat.56');
      let fused: tf.Tensor4D | null = null;
      let outs: Partial<HeadsOutput> = {};
      let params: tf.Tensor2D | undefined = this.hasRegressor && needs.params ? tf.zeros([taps[7].shape[0], REGRESSOR_PARAMS]) : undefined;
      const stages = this.spec.config.stages;
      for (let k = 0; k < stages; k++) {
        const s = `stages.${k}`;
        // only the last stage's dense outputs are returned: earlier stages pass on their fused
        // feature, so their 56 x 56 output layers (trained for deep supervision) are skipped
        const last = k === stages - 1;
        const input: tf.Tensor4D = fused ? this.conv1x1(tf.concat([base, fused], 3), `${s}.merge`, 'relu') : base;
        const feats: tf.Tensor4D[] = [];
        outs = {};
        for (const t of TASKS) {
          // the last stage's POF feeds only its own output and the fused feature (-> regressor)
          if (t === 'pof' && last && !needs.pof && !params) continue;
          if (t === 'pof' && this.pofGroups > 0) {
            const { feature, out } = this.jointGroupsPof(input, skip56, `${s}.decoders.pof`, last);
            feats.push(feature);
            if (out && needs.pof) outs[t] = out;
            continue;
          }
          const f = this.sepConv(this.sepConv(input, `${s}.decoders.${t}.body.0`), `${s}.decoders.${t}.body.1`);
          feats.push(f);
          if (last && (t !== 'pof' || needs.pof)) outs[t] = this.conv1x1(tf.relu(tf.add(this.up2(f), skip56)) as tf.Tensor4D, `${s}.decoders.${t}.head`);
        }
        if (last && !params) break; // the last fused feature feeds only the regressor
        fused = this.attention(feats, `${s}.attention`);
        if (params) params = this.regress(fused, params, taps[7]);
      }
      if (params) outs.params = params;
      return outs as HeadsOutput;
    });
  }

  /** Number of learnable joint groups of the POF decoder (0 = the single decoder). */
  get pofGroups(): number {
    return this.spec.config.pof_groups ?? 0;
  }

  /**
   * The POF decoder as learnable joint groups (training/hiu/model.py JointGroupsPof): G branches,
   * NDDR fusion (a 1x1 mix of all groups per group), per-group 56x56 outputs; at inference each
   * bone reads the group its selector logits pick (argmax), so a group no bone picked is skipped.
   */
  private jointGroupsPof(x: tf.Tensor4D, skip56: tf.Tensor4D, name: string, withOutput: boolean): { feature: tf.Tensor4D; out?: tf.Tensor4D } {
    const G = this.pofGroups;
    const groups = Array.from({ length: G }, (_, g) => g);
    const branches = groups.map((g) => this.sepConv(this.sepConv(x, `${name}.branches.${g}.0`), `${name}.branches.${g}.1`));
    const cat = tf.concat(branches, 3);
    const feats = groups.map((g) => this.conv1x1(this.conv1x1(cat, `${name}.nddr.${g}`, 'relu'), `${name}.expand.${g}`, 'relu'));
    const feature = tf.div(tf.addN(feats), G) as tf.Tensor4D;
    if (!withOutput) return { feature };
    const picks = this.groupPicks(name);
    const terms = groups
      .filter((g) => picks[g].some((v) => v > 0))
      .map((g) => tf.mul(this.conv1x1(tf.relu(tf.add(this.up2(feats[g]), skip56)) as tf.Tensor4D, `${name}.heads.${g}`), tf.tensor1d(picks[g])));
    return { feature, out: tf.addN(terms) as tf.Tensor4D };
  }

  /** Per group, a 0/1 weight for each of the 63 POF channels: 1 where the bone's argmax picks the group. */
  private groupPicks(name: string): Float32Array[] {
    const cached = this.picks.get(name);
    if (cached) return cached;
    const G = this.pofGroups;
    const logits = this.p(`${name}.selector`).dataSync();
    const picks = Array.from({ length: G }, () => new Float32Array(63));
    for (let b = 0; b < 21; b++) {
      let best = 0;
      for (let g = 1; g < G; g++) if (logits[b * G + g] > logits[b * G + best]) best = g;
      picks[best].fill(1, 3 * b, 3 * b + 3);
    }
    this.picks.set(name, picks);
    return picks;
  }

  /**
   * The shared mesh-parameter regressor (one residual update per stage, coarse to fine): 1x1 conv
   * to 16 channels + ReLU, 4x4 average pool (28 -> 7), flattened HWC (with config.regressor_tap7,
   * then the encoder's 7x7 tap squeezed the same way), with the current estimate, dense 256 +
   * ReLU, dense to the update.
   */
  private regress(fused: tf.Tensor4D, prev: tf.Tensor2D, tap7: tf.Tensor4D): tf.Tensor2D {
    const b = fused.shape[0];
    const sq = tf.avgPool(this.conv1x1(fused, 'regressor.squeeze', 'relu'), 4, 4, 'valid');
    const parts: tf.Tensor2D[] = [tf.reshape(sq, [b, -1])];
    if (this.spec.config.regressor_tap7) parts.push(tf.reshape(this.conv1x1(tap7, 'regressor.squeeze7', 'relu'), [b, -1]));
    const x = tf.concat([...parts, prev], 1) as tf.Tensor2D;
    const h = tf.relu(tf.add(tf.matMul(x, this.p('regressor.fc1.weight') as tf.Tensor2D), this.p('regressor.fc1.bias'))) as tf.Tensor2D;
    return tf.add(prev, tf.add(tf.matMul(h, this.p('regressor.fc2.weight') as tf.Tensor2D), this.p('regressor.fc2.bias'))) as tf.Tensor2D;
  }

  /** Channel attention with a softmax across tasks; the fused feature is the weighted sum. */
  private attention(feats: tf.Tensor4D[], name: string): tf.Tensor4D {
    const c = feats[0].shape[3];
    const pooled = tf.concat(
      feats.map((f) => tf.mean(f, [1, 2])),
      1,
    ) as tf.Tensor2D; // [B, T*C]
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
