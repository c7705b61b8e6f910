import { FEATURE_NAMES, NUM_FEATURES } from './features';
import { GESTURE_LABELS } from './types';

/**
 * The learned gesture classifier (models/gesture-classifier.json, trained by training/gesture/train.py):
 * standardise the features, dense layers with ReLU between, softmax.
 *
 * Evaluated in plain TypeScript, not TF.js: the network is ~4 k weights (a few small matmuls, a few
 * microseconds per hand), while every TF.js op costs a dispatch (tens of microseconds on WebGL/WebGPU,
 * plus a GPU -> CPU read to get the label back): the per-call overhead would dwarf the work and stall
 * the pipeline's GPU queue. Float64 here; training/gesture/mlp.py is the numpy reference (parity test).
 */

export interface DenseLayer {
  /** Row-major [outputs][inputs]. */
  weights: Float64Array;
  bias: Float64Array;
  inputs: number;
  outputs: number;
}

export interface GestureModel {
  layers: DenseLayer[];
  mean: Float64Array;
  std: Float64Array;
  /** Provenance as stored in the file (command, data, licence). */
  provenance: Record<string, unknown>;
}

export const GESTURE_MODEL_FORMAT = 'hands/gesture-classifier';

function fail(msg: string): never {
  throw new Error(`gesture model: ${msg}`);
}

function numbers(v: unknown, n: number, what: string): Float64Array {
  if (!Array.isArray(v)) fail(`${what} is not an array`);
  if (v.length !== n) fail(`${what} has ${v.length} values, expected ${n}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${what}[${i}] is not a finite number`);
    out[i] = x;
  }
  return out;
}

/**
 * Validates a parsed models/gesture-classifier.json (format, label and feature names in this build's
 * order, layer shapes chained from NUM_FEATURES to the 9 labels) and returns the model; throws an
 * Error naming the first thing wrong. Feature names must match: a model trained on other features
 * would give confident nonsense.
 */
export function parseGestureModel(json: unknown): GestureModel {
  if (!json || typeof json !== 'object') fail('not a JSON object');
  const j = json as Record<string, unknown>;
  if (j.format !== GESTURE_MODEL_FORMAT || j.version !== 1) fail(`format is ${String(j.format)} v${String(j.version)}, expected ${GESTURE_MODEL_FORMAT} v1`);
  const labels = j.labels;
  if (!Array.isArray(labels) || labels.length !== GESTURE_LABELS.length || labels.some((l, i) => l !== GESTURE_LABELS[i])) {
    fail(`labels ${JSON.stringify(labels)} differ from ${JSON.stringify(GESTURE_LABELS)}`);
  }
  const feats = j.features;
  if (!Array.isArray(feats) || feats.length !== NUM_FEATURES)
    fail(`has ${Array.isArray(feats) ? feats.length : 'no'} feature names, this build computes ${NUM_FEATURES}`);
  feats.forEach((f, i) => {
    if (f !== FEATURE_NAMES[i]) fail(`feature ${i} is ${String(f)}, this build computes ${FEATURE_NAMES[i]} there (retrain: training/gesture/README.md)`);
  });
  const norm = j.normalize as Record<string, unknown> | undefined;
  if (!norm || typeof norm !== 'object') fail('normalize is missing');
  const mean = numbers(norm.mean, NUM_FEATURES, 'normalize.mean');
  const std = numbers(norm.std, NUM_FEATURES, 'normalize.std');
  std.forEach((s, i) => {
    if (!(s > 0)) fail(`normalize.std[${i}] = ${s} is not positive`);
  });
  if (!Array.isArray(j.layers) || j.layers.length === 0) fail('layers is missing or empty');
  const layers: DenseLayer[] = [];
  let inputs = NUM_FEATURES;
  j.layers.forEach((l: unknown, k: number) => {
    const layer = l as Record<string, unknown>;
    if (!layer || !Array.isArray(layer.weights) || layer.weights.length === 0) fail(`layers[${k}].weights is missing or empty`);
    const outputs = layer.weights.length;
    const w = new Float64Array(outputs * inputs);
    (layer.weights as unknown[]).forEach((row, o) => w.set(numbers(row, inputs, `layers[${k}].weights[${o}]`), o * inputs));
    layers.push({ weights: w, bias: numbers(layer.bias, outputs, `layers[${k}].bias`), inputs, outputs });
    inputs = outputs;
  });
  if (inputs !== GESTURE_LABELS.length) fail(`the last layer has ${inputs} outputs, expected ${GESTURE_LABELS.length} (one per label)`);
  const provenance = (j.provenance && typeof j.provenance === 'object' ? j.provenance : {}) as Record<string, unknown>;
  return { layers, mean, std, provenance };
}

// scratch for the forward pass (the widest layer of any model is small)
let bufA = new Float64Array(128);
let bufB = new Float64Array(128);

/** Softmax probabilities (GESTURE_LABELS order) of one feature vector, written into `out`. */
export function gestureProbabilities(model: GestureModel, features: ArrayLike<number>, out: number[] = new Array(GESTURE_LABELS.length)): number[] {
  const width = Math.max(NUM_FEATURES, ...model.layers.map((l) => l.outputs));
  if (bufA.length < width) {
    bufA = new Float64Array(width);
    bufB = new Float64Array(width);
  }
  let x = bufA;
  let y = bufB;
  for (let i = 0; i < NUM_FEATURES; i++) x[i] = (features[i] - model.mean[i]) / model.std[i];
  const last = model.layers.length - 1;
  model.layers.forEach((l, k) => {
    for (let o = 0; o < l.outputs; o++) {
      let s = l.bias[o];
      const row = o * l.inputs;
      for (let i = 0; i < l.inputs; i++) s += l.weights[row + i] * x[i];
      y[o] = k < last && s < 0 ? 0 : s;
    }
    const t = x;
    x = y;
    y = t;
  });
  const n = GESTURE_LABELS.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, x[i]);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    out[i] = Math.exp(x[i] - max);
    sum += out[i];
  }
  for (let i = 0; i < n; i++) out[i] /= sum;
  return out;
}
