/**
 * MEASUREMENT ONLY: reads the keypoints written by real-keypoints.ts, classifies every hand with a
 * model (default models/gesture-classifier.json) and prints per-row accuracy, per-label recall, and
 * (with --cases) the wrong hands with their features (curls, thumb fold, pinch distance, directions).
 * --features OUT.json also writes the feature vectors (for reading, never for training).
 *
 *   npx tsx training/gesture/real-diagnose.ts [--model PATH] [--cases] [.cache/gesture-real/keypoints.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { classifyGesture } from '../../src/core/gesture/classify';
import { FEATURE_INDEX, handFeatures } from '../../src/core/gesture/features';
import { parseGestureModel } from '../../src/core/gesture/mlp';
import { GESTURE_LABELS } from '../../src/core/gesture/types';

const args = process.argv.slice(2);
const opt = (k: string) => {
  const i = args.indexOf(k);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const modelPath = opt('--model') ?? 'models/gesture-classifier.json';
const featOut = opt('--features');
const showCases = args.includes('--cases');
const file = args.filter((a) => !a.startsWith('--'))[0] ?? '.cache/gesture-real/keypoints.json';
const model = parseGestureModel(JSON.parse(readFileSync(modelPath, 'utf8')));
type Det = { handedness: 'left' | 'right'; k2: number[][]; k3: number[][] } | null;
const data = JSON.parse(readFileSync(file, 'utf8')) as { hands: Array<Record<string, unknown> & { truth: string; image: string }> };
const F = FEATURE_INDEX;
const feats: Record<string, unknown>[] = [];
for (const row of ['landmark', 'ours']) {
  const conf = GESTURE_LABELS.map(() => GESTURE_LABELS.map(() => 0));
  let correct = 0;
  let missed = 0;
  const lines: string[] = [];
  for (const h of data.hands) {
    const d = h[row] as Det;
    const t = GESTURE_LABELS.indexOf(h.truth as (typeof GESTURE_LABELS)[number]);
    if (!d) {
      missed++;
      continue;
    }
    const input = { handedness: d.handedness, keypoints2d: d.k2.map(([x, y]) => ({ x, y })), keypoints3d: d.k3.map(([x, y, z]) => ({ x, y, z })) };
    const g = classifyGesture(input, model);
    const f = handFeatures(input).values;
    feats.push({ row, image: h.image, truth: h.truth, predicted: g.label, features: Array.from(f) });
    const p = GESTURE_LABELS.indexOf(g.label);
    conf[t][p]++;
    if (p === t) correct++;
    else if (showCases) {
      const c = (n: string) => f[F[n as keyof typeof F]].toFixed(2);
      lines.push(
        `${h.truth.padEnd(11)} -> ${g.label.padEnd(11)} p=${g.score.toFixed(2)} curl T${c('thumb_curl')} I${c('index_curl')} M${c('middle_curl')} R${c('ring_curl')} P${c('pinky_curl')} pinch3d ${c('thumb_index_tip')} 2d ${c('thumb_index_tip_2d')} idxUp ${c('index_up_2d')} thUp ${c('thumb_up_2d')} ${d.handedness[0]} ${h.image}`,
      );
    }
  }
  const n = data.hands.length;
  console.log(`${row}: ${((100 * correct) / n).toFixed(1)} % of ${n} (${missed} missed)`);
  console.log(
    '  recall: ' +
      GESTURE_LABELS.map((l, i) => {
        const tot = conf[i].reduce((a, b) => a + b, 0) + data.hands.filter((h) => h.truth === l && !h[row]).length;
        return tot ? `${l} ${conf[i][i]}/${tot}` : '';
      })
        .filter(Boolean)
        .join(', '),
  );
  if (showCases) for (const l of lines.sort()) console.log(`  ${l}`);
}
if (featOut) writeFileSync(featOut, JSON.stringify(feats));
