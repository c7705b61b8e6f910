import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gestureProbabilities, parseGestureModel } from '../../src/core/gesture/mlp';

// The TypeScript evaluator of models/gesture-classifier.json against the numpy reference
// (training/gesture/mlp.py, Debian's /usr/bin/python3 + numpy, as tests/node/handsynth.test.ts) on a
// fixed features file (48 synthetic held-out hands). Both run float64 on the same stored weights:
// tolerance 1e-9 on each probability.
const ROOT = new URL('../../', import.meta.url).pathname;
const MODEL = join(ROOT, 'models/gesture-classifier.json');
const FEATURES = join(ROOT, 'training/gesture/parity-features.json');
const PY = '/usr/bin/python3';

describe('gesture classifier parity (TypeScript vs numpy)', () => {
  it('gives the same probabilities as training/gesture/mlp.py', () => {
    const r = spawnSync(PY, ['-m', 'gesture.mlp', MODEL, FEATURES], { cwd: join(ROOT, 'training'), encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const py = JSON.parse(r.stdout).probabilities as number[][];
    const model = parseGestureModel(JSON.parse(readFileSync(MODEL, 'utf8')));
    const feats = JSON.parse(readFileSync(FEATURES, 'utf8')).features as number[][];
    expect(py.length).toBe(feats.length);
    const labels = new Set<number>();
    feats.forEach((f, i) => {
      const ts = gestureProbabilities(model, f);
      for (let k = 0; k < ts.length; k++) expect(Math.abs(ts[k] - py[i][k])).toBeLessThan(1e-9);
      labels.add(ts.indexOf(Math.max(...ts)));
    });
    expect(labels.size).toBeGreaterThanOrEqual(5); // the file exercises several classes
  });
});

describe('parseGestureModel', () => {
  const good = JSON.parse(readFileSync(MODEL, 'utf8'));
  // the file's shape, loosely: the test breaks one field at a time
  type RawModel = { labels: string[]; features: unknown[]; layers: Array<{ weights: unknown[][]; bias: unknown[] }>; normalize: { std: number[] } };
  const clone = (): RawModel => JSON.parse(JSON.stringify(good));
  it('accepts the shipped model and records its provenance', () => {
    const m = parseGestureModel(good);
    expect(m.layers[0].inputs).toBe(good.features.length);
    expect(m.layers[m.layers.length - 1].outputs).toBe(9);
    expect(String(m.provenance.licence)).toMatch(/MIT/);
    expect(String(m.provenance.command)).toMatch(/gesture\.train/);
  });
  it('rejects wrong files with a message naming the problem', () => {
    expect(() => parseGestureModel(null)).toThrow(/not a JSON object/);
    expect(() => parseGestureModel({ ...clone(), format: 'x' })).toThrow(/format/);
    const a = clone();
    a.labels = [...a.labels].reverse();
    expect(() => parseGestureModel(a)).toThrow(/labels/);
    const b = clone();
    b.features[3] = 'nope';
    expect(() => parseGestureModel(b)).toThrow(/feature 3 is nope/);
    const c = clone();
    c.layers[1].weights[0].pop();
    expect(() => parseGestureModel(c)).toThrow(/layers\[1\]\.weights\[0\] has/);
    const d = clone();
    d.layers[0].bias[2] = 'x';
    expect(() => parseGestureModel(d)).toThrow(/layers\[0\]\.bias\[2\] is not a finite number/);
    const e = clone();
    e.layers.pop();
    expect(() => parseGestureModel(e)).toThrow(/last layer has \d+ outputs, expected 9/);
    const f = clone();
    f.normalize.std[0] = 0;
    expect(() => parseGestureModel(f)).toThrow(/std\[0\]/);
  });
});
