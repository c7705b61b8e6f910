import { OneEuroFilter as Reference } from '1eurofilter';
import { describe, expect, it } from 'vitest';
import { OneEuroFilter } from '../../src/core/filter/oneEuro';

// Our One Euro filter against the authors' package (1eurofilter, BSD-3), sample by sample.
describe('One Euro filter', () => {
  const cfg = { minCutoff: 1.2, beta: 0.05, derivativeCutoff: 1 };
  // a noisy signal with a step and a ramp, at an uneven 25-35 Hz
  const samples = Array.from({ length: 300 }, (_, i) => {
    const t = i / 30 + 0.003 * Math.sin(i * 1.7);
    const clean = i < 100 ? 10 : i < 200 ? 60 : 60 + (i - 200) * 0.8;
    return { t, v: clean + 3 * Math.sin(i * 12.9898) };
  });

  it('matches the reference implementation (valueScale = 1)', () => {
    const ours = new OneEuroFilter(cfg);
    const ref = new Reference(30, cfg.minCutoff, cfg.beta, cfg.derivativeCutoff);
    for (const s of samples) expect(ours.filter(s.v, s.t)).toBeCloseTo(ref.filter(s.v, s.t), 9);
  });

  it('reduces jitter at rest and follows a step', () => {
    const f = new OneEuroFilter({ minCutoff: 1, beta: 0.001, derivativeCutoff: 1 });
    const out = samples.map((s) => f.filter(s.v, s.t));
    const sd = (a: number[]) => Math.sqrt(a.reduce((x, y) => x + (y - 10) ** 2, 0) / a.length);
    expect(sd(out.slice(20, 100))).toBeLessThan(sd(samples.slice(20, 100).map((s) => s.v)) / 2);
    expect(out[199]).toBeGreaterThan(55);
  });

  it('valueScale makes the filter scale-invariant: a signal 10x larger with scale 1/10 is filtered identically (x10)', () => {
    const a = new OneEuroFilter(cfg);
    const b = new OneEuroFilter(cfg);
    for (const s of samples) expect(b.filter(10 * s.v, s.t, 0.1)).toBeCloseTo(10 * a.filter(s.v, s.t, 1), 6);
  });

  it('ignores repeated timestamps and restarts after reset', () => {
    const f = new OneEuroFilter(cfg);
    f.filter(1, 0);
    const y = f.filter(5, 0.1);
    expect(f.filter(100, 0.1)).toBe(y);
    f.reset();
    expect(f.filter(42, 0.2)).toBe(42);
  });
});
