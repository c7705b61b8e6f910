/**
 * Gesture classification scores (pure): a confusion matrix over a label set, accuracy and per-label
 * recall. Rows = the true label, columns = the predicted one, plus a last column for hands the
 * method did not find at all (predicted null), which count as wrong.
 */
import type { GestureLabel } from '../gesture/types';

export interface GestureScores {
  labels: readonly GestureLabel[];
  /** counts[true][predicted], `labels` order; counts[true][labels.length] = not found (null). */
  counts: number[][];
  total: number;
  correct: number;
  accuracy: number;
  /** Per true label: correct / its count (NaN where the label never occurs). */
  recall: number[];
}

export function scoreGestures(labels: readonly GestureLabel[], pairs: ReadonlyArray<{ truth: GestureLabel; predicted: GestureLabel | null }>): GestureScores {
  const index = new Map(labels.map((l, i) => [l, i]));
  const counts = labels.map(() => [...labels.map(() => 0), 0]);
  for (const { truth, predicted } of pairs) {
    const t = index.get(truth);
    const p = predicted === null ? labels.length : index.get(predicted);
    if (t === undefined || p === undefined) throw new Error(`scoreGestures: label outside the set (${truth} -> ${predicted})`);
    counts[t][p]++;
  }
  const correct = labels.reduce((a, _, i) => a + counts[i][i], 0);
  const rowSum = (i: number) => counts[i].reduce((a, b) => a + b, 0);
  return {
    labels,
    counts,
    total: pairs.length,
    correct,
    accuracy: pairs.length ? correct / pairs.length : Number.NaN,
    recall: labels.map((_, i) => (rowSum(i) ? counts[i][i] / rowSum(i) : Number.NaN)),
  };
}
