/** Matching predicted hands to ground-truth hands (pure). */

/**
 * Greedy one-to-one assignment on a cost matrix cost[gt][pred] (lowest cost first); pairs with
 * cost above `maxCost` (or non-finite) stay unmatched. Returns, per ground-truth hand, the index of
 * its predicted hand or -1.
 */
export function greedyMatch(cost: readonly (readonly number[])[], maxCost: number | readonly number[]): number[] {
  const pairs: { g: number; p: number; c: number }[] = [];
  cost.forEach((row, g) =>
    row.forEach((c, p) => {
      const limit = typeof maxCost === 'number' ? maxCost : maxCost[g];
      if (Number.isFinite(c) && c <= limit) pairs.push({ g, p, c });
    }),
  );
  pairs.sort((a, b) => a.c - b.c);
  const match = cost.map(() => -1);
  const usedPred = new Set<number>();
  for (const { g, p } of pairs) {
    if (match[g] !== -1 || usedPred.has(p)) continue;
    match[g] = p;
    usedPred.add(p);
  }
  return match;
}

/** Fraction of ground-truth hands with a match. */
export function detectionRate(matches: readonly number[]): number {
  return matches.length ? matches.filter((m) => m >= 0).length / matches.length : Number.NaN;
}
