import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCES, sourceBytes } from '../../scripts/convert-tflite';
import { runTfliteReference, type ReferenceOutput } from '../../scripts/tflite/reference';
import { initBackend } from '../../src/core/backend';
import { loadManifestGraphModel } from '../../src/core/models/loadGraphModel';
import { loadManifest } from '../../src/core/models/manifest';
import { NodeFileSource } from '../../src/cli/nodeFileSource';
import { MODELS_DIR, WASM_DIR } from '../../src/cli/paths';

// Our converted graph models (TF.js, WASM backend, as the CLI runs them) against Google's TFLite
// runtime on the original .tflite (tfjs-tflite's WASM build in headless chromium), raw outputs,
// on real photos. Tolerance 1e-3 absolute (the bar): both sides compute in float32 from the
// same float16 weights, in different op orders.
const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
const TOLERANCE = 1e-3;

/** A photo letterboxed (black) into a side x side square, RGB in 0..1, as the detector sees it. */
async function letterboxed(file: string, side: number): Promise<Float32Array> {
  const { data } = await sharp(FIXTURES + file)
    .resize(side, side, { fit: 'contain', background: { r: 0, g: 0, b: 0 } })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Float32Array.from(data, (v) => v / 255);
}

async function converted(name: string, inputs: Float32Array[], side: number, outputs: string[]): Promise<Float32Array[][]> {
  const files = new NodeFileSource(MODELS_DIR);
  const model = await loadManifestGraphModel(files, await loadManifest(files), name);
  try {
    return inputs.map((x) =>
      tf.tidy(() => (model.execute(tf.tensor4d(x, [1, side, side, 3]), outputs) as tf.Tensor[]).map((t) => t.dataSync() as Float32Array)),
    );
  } finally {
    model.dispose();
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

const source = (name: string) => {
  const s = SOURCES.find((x) => x.name === name);
  if (!s) throw new Error(`no source ${name}`);
  return sourceBytes(s);
};

describe('TFLite -> TF.js conversion, against the TFLite runtime', () => {
  beforeAll(async () => {
    await initBackend({ order: ['wasm'], wasmPaths: WASM_DIR });
  });
  afterAll(() => tf.disposeVariables());

  it('palmdetect-full: boxes, keypoints and score logits within 1e-3 on real photos', async () => {
    const inputs = [await letterboxed('hands.jpg', 192), await letterboxed('fingerpose-nocurl.jpg', 192)];
    const reference: ReferenceOutput[][] = await runTfliteReference(
      source('palmdetect-full'),
      inputs.map((x) => [x]),
    );
    const ours = await converted('palmdetect-full', inputs, 192, ['Identity', 'Identity_1']);
    for (let k = 0; k < inputs.length; k++) {
      expect(reference[k].map((o) => o.shape)).toEqual([
        [1, 2016, 18],
        [1, 2016, 1],
      ]);
      const diffs = reference[k].map((o, i) => maxAbsDiff(ours[k][i], o.data));
      console.log(
        `palmdetect-full, input ${k}: max |ours - TFLite| boxes ${diffs[0].toExponential(2)}, scores ${diffs[1].toExponential(2)}; first box ours ${Array.from(ours[k][0].slice(0, 4)).map((v) => v.toFixed(4))}, TFLite ${Array.from(reference[k][0].data.slice(0, 4)).map((v) => v.toFixed(4))}`,
      );
      for (const d of diffs) expect(d).toBeLessThan(TOLERANCE);
      // not a vacuous match: the photo has confident palms
      expect(Math.max(...reference[k][1].data)).toBeGreaterThan(2);
    }
  });

  it('@mediapipe/hands hand_landmark_full.tflite is the network vendored as handlandmark-full (outputs within 1e-3)', async () => {
    const inputs = [await letterboxed('fingerpose-halfcurl.jpg', 224)];
    const reference = await runTfliteReference(
      source('mp-handlandmark-full'),
      inputs.map((x) => [x]),
    );
    const ours = await converted('handlandmark-full', inputs, 224, ['Identity', 'Identity_1', 'Identity_2', 'Identity_3']);
    const diffs = reference[0].map((o, i) => maxAbsDiff(ours[0][i], o.data));
    console.log(
      `handlandmark-full vs hand_landmark_full.tflite: max |diff| landmarks ${diffs[0].toExponential(2)} px, presence ${diffs[1].toExponential(2)}, handedness ${diffs[2].toExponential(2)}, world ${diffs[3].toExponential(2)} m`,
    );
    for (const d of diffs) expect(d).toBeLessThan(TOLERANCE);
    expect(reference[0][1].data[0]).toBeGreaterThan(0.5);
  });
});
