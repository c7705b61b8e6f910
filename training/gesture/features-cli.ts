/**
 * Writes the classifier's features of a synthetic split (src/core/gesture/features.ts, the very code
 * the app runs) to DIR/features.f32 (N x NUM_FEATURES, little-endian) + features.json (names), for
 * train.py. Also prints per-intent medians of the finger curls and the pinch distance (the
 * provenance of FINGER_STATE_CURL and PINCH_DISTANCE).
 *
 *     npx tsx training/gesture/features-cli.ts .cache/gesture/train [.cache/gesture/heldout ...]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURE_INDEX, FEATURE_NAMES, handFeatures, NUM_FEATURES } from '../../src/core/gesture/features';
import { FINGER_NAMES } from '../../src/core/gesture/types';
import { readSplit } from './splits';

function quantiles(v: number[], qs: number[]): string {
  const s = [...v].sort((a, b) => a - b);
  return qs.map((q) => s[Math.min(s.length - 1, Math.floor(q * s.length))].toFixed(2)).join('/');
}

for (const dir of process.argv.slice(2)) {
  const split = readSplit(dir);
  const n = split.meta.count;
  const all = new Float32Array(n * NUM_FEATURES);
  const byIntent = new Map<string, number[][]>();
  for (let i = 0; i < n; i++) {
    const f = handFeatures(split.inputs[i], all.subarray(i * NUM_FEATURES, (i + 1) * NUM_FEATURES));
    const key = `${split.meta.intents[split.intent[i]]}->${split.meta.labels[split.label[i]]}`;
    if (!byIntent.has(key)) byIntent.set(key, FINGER_NAMES.map(() => []).concat([[]]));
    const rows = byIntent.get(key) as number[][];
    FINGER_NAMES.forEach((fn, j) => rows[j].push(f.fingers[fn].curl));
    rows[5].push(f.values[FEATURE_INDEX.thumb_index_tip]);
  }
  writeFileSync(join(dir, 'features.f32'), new Uint8Array(all.buffer));
  writeFileSync(join(dir, 'features.json'), JSON.stringify({ names: FEATURE_NAMES, count: n }));
  console.log(`${dir}: ${n} x ${NUM_FEATURES} features`);
  console.log('intent->label: curl q10/q50/q90 thumb index middle ring pinky | pinch distance');
  for (const [k, rows] of [...byIntent].sort()) {
    if (rows[0].length < 50) continue;
    console.log(`  ${k.padEnd(26)} n=${String(rows[0].length).padStart(5)} ${rows.map((r) => quantiles(r, [0.1, 0.5, 0.9])).join('  ')}`);
  }
}
