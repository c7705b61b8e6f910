/** Small statistics on plain arrays for the accuracy metrics (pure; non-finite values are skipped). */

/** Mean of the finite values (NaN when there are none). */
export function finiteMean(values: readonly number[]): number {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n ? sum / n : Number.NaN;
}

/** Median of the finite values: the middle one, or the mean of the two middle ones (NaN when none). */
export function finiteMedian(values: readonly number[]): number {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `steps` + 1 evenly spaced values from lo to hi inclusive. */
export function linspace(lo: number, hi: number, steps: number): number[] {
  return Array.from({ length: steps + 1 }, (_, i) => lo + ((hi - lo) * i) / steps);
}

/**
 * Fraction of `errors` at or below each threshold; NaN entries are ignored (not annotated) and
 * +Infinity counts as a miss (a hand that was not found).
 */
export function pckCurve(errors: readonly number[], thresholds: readonly number[]): number[] {
  const valid = errors.filter((e) => !Number.isNaN(e));
  if (valid.length === 0) return thresholds.map(() => Number.NaN);
  return thresholds.map((t) => valid.reduce((n, e) => n + (e <= t ? 1 : 0), 0) / valid.length);
}

/** Area under a curve by the trapezoid rule, divided by the x range: 1 = always 1 over the range. */
export function normalisedAuc(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length || xs.length < 2) throw new Error('normalisedAuc needs two or more points, as many x as y');
  let area = 0;
  for (let i = 1; i < xs.length; i++) area += ((ys[i] + ys[i - 1]) / 2) * (xs[i] - xs[i - 1]);
  return area / (xs[xs.length - 1] - xs[0]);
}
