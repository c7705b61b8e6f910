/**
 * Held-out accuracy of the gesture classifiers on the synthetic held-out split (seed 2, never trained
 * on): the learned MLP (models/gesture-classifier.json) and the geometric rules, each on the clear
 * samples (labels.py) and on all samples with their hard labels; per-class recall and precision, the
 * confusion matrix as text and PNG, and the time per hand.
 *
 *     npx tsx training/gesture/eval-synthetic.ts [.cache/gesture/heldout] [--png training/gesture]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyGesture } from '../../src/core/gesture/classify';
import { parseGestureModel, type GestureModel } from '../../src/core/gesture/mlp';
import { GESTURE_LABELS } from '../../src/core/gesture/types';
import { confusionMatrixSvg, writeSvgPng } from '../../src/cli/eval/plots';
import { readSplit, type Split } from './splits';

const ROOT = new URL('../../', import.meta.url).pathname;
const args = process.argv.slice(2);
const pngAt = args.indexOf('--png');
const pngDir = pngAt >= 0 ? args[pngAt + 1] : join(ROOT, 'training/gesture');
const dir = args.find((a, i) => !a.startsWith('--') && (pngAt < 0 || i !== pngAt + 1)) ?? join(ROOT, '.cache/gesture/heldout');
const split = readSplit(dir);
const model = parseGestureModel(JSON.parse(readFileSync(join(ROOT, 'models/gesture-classifier.json'), 'utf8')));
const n = GESTURE_LABELS.length;

async function evaluate(name: string, s: Split, m: GestureModel | undefined): Promise<void> {
  const pred = new Uint8Array(s.meta.count);
  const t0 = performance.now();
  for (let i = 0; i < s.meta.count; i++) pred[i] = GESTURE_LABELS.indexOf(classifyGesture(s.inputs[i], m).label);
  const usPerHand = ((performance.now() - t0) / s.meta.count) * 1000;
  for (const subset of ['clear', 'all'] as const) {
    const conf = GESTURE_LABELS.map(() => new Array<number>(n).fill(0));
    let ok = 0;
    let total = 0;
    for (let i = 0; i < s.meta.count; i++) {
      if (subset === 'clear' && !s.clear[i]) continue;
      conf[s.label[i]][pred[i]]++;
      total++;
      if (pred[i] === s.label[i]) ok++;
    }
    console.log(
      `\n${name}, ${subset} samples (${total}): accuracy ${((100 * ok) / total).toFixed(2)} %` +
        (subset === 'clear' ? `, ${usPerHand.toFixed(1)} us per hand (features + classifier, Node)` : ''),
    );
    console.log(`${'true \\ predicted'.padEnd(18)}${GESTURE_LABELS.map((_, j) => String(j).padStart(6)).join('')}  recall  precision`);
    conf.forEach((row, i) => {
      const rs = row.reduce((a, b) => a + b, 0);
      const cs = conf.reduce((a, r) => a + r[i], 0);
      console.log(
        `${`${i} ${GESTURE_LABELS[i]}`.padEnd(18)}${row.map((v) => String(v).padStart(6)).join('')}  ${((100 * row[i]) / Math.max(rs, 1)).toFixed(1).padStart(6)}  ${((100 * row[i]) / Math.max(cs, 1)).toFixed(1).padStart(9)}`,
      );
    });
    if (subset === 'clear' && pngDir) {
      const file = join(pngDir, `confusion-heldout-${name}.png`);
      const pct = ((100 * ok) / total).toFixed(1);
      await writeSvgPng(confusionMatrixSvg(`synthetic held-out, ${name}: ${pct} % of ${total} clear hands`, GESTURE_LABELS, GESTURE_LABELS, conf), file);
      console.log(`(PNG: ${file})`);
    }
  }
}

console.log(`synthetic held-out split ${dir}: ${split.meta.count} samples (${split.clear.reduce((a, b) => a + b, 0)} clear), made by: ${split.meta.command}`);
await evaluate('mlp', split, model);
await evaluate('rules', split, undefined);
