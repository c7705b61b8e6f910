import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { SOURCES, sourceBytes, unpackAsset } from '../../scripts/convert-tflite';
import { readTflite } from '../../scripts/tflite/schema';
import { convertTflite } from '../../scripts/tflite/toGraphModel';

// The TFLite -> TF.js converter (scripts/convert-tflite.ts): reproducible, and loud on what it
// cannot map. Output parity with the TFLite runtime: tests/e2e/tfliteParity.test.ts.
const ROOT = new URL('../../', import.meta.url).pathname;
const TSX = createRequire(import.meta.url).resolve('tsx/cli');
const palmSource = SOURCES.find((s) => s.name === 'palmdetect-full')!;

describe('TFLite converter', () => {
  it('reconverts the shipped models byte for byte from @mediapipe/hands (--check)', () => {
    const r = spawnSync(process.execPath, [TSX, 'scripts/convert-tflite.ts', '--check'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/match the committed files/);
  });

  it('reads the palm detector as MediaPipe describes it: 192x192 input, 2016 anchors, fp16 weights', () => {
    const model = readTflite(sourceBytes(palmSource));
    expect(model.inputs.map((i) => model.tensors[i].shape)).toEqual([[1, 192, 192, 3]]);
    expect(model.outputs.map((i) => model.tensors[i].shape)).toEqual([
      [1, 2016, 18],
      [1, 2016, 1],
    ]);
    expect(model.tensors.filter((t) => t.data && t.type === 'float16').length).toBe(model.operators.filter((o) => o.op === 'DEQUANTIZE').length);
  });

  it('fails loudly, naming the op, on an op it does not map', () => {
    const model = readTflite(sourceBytes(palmSource));
    const i = model.operators.findIndex((o) => o.op === 'PRELU');
    model.operators[i] = { ...model.operators[i], op: 'TANH' };
    expect(() => convertTflite(model)).toThrow(new RegExp(`operator ${i} \\(TANH\\).*not supported`));
  });

  it('rejects what is not a TFLite file, and a packed asset that is not in the bundle', () => {
    expect(() => readTflite(new TextEncoder().encode('{"not": "a model"}'))).toThrow(/not a TFLite model/);
    expect(() => unpackAsset('hands_solution_packed_assets.data', '/no/such.tflite')).toThrow(/palm_detection_full\.tflite/);
  });
});
