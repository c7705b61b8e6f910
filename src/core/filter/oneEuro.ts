/**
 * One Euro filter (Casiez, Roussel, Vogel, CHI 2012), written here rather than taken from the
 * `1eurofilter` package because hand keypoints need MediaPipe's scale-invariant variant: the speed
 * that opens the cutoff is measured in hand sizes per second (`valueScale` = 1 / hand size), so a
 * near hand and a far hand are smoothed alike. With valueScale = 1 it is the reference algorithm;
 * tests/unit/oneEuro.test.ts checks it against the authors' package sample by sample.
 */
export interface OneEuroConfig {
  /** Minimum cutoff frequency (Hz): lower removes more jitter at rest. */
  minCutoff: number;
  /** Speed coefficient: higher follows fast motion with less lag. */
  beta: number;
  /** Cutoff (Hz) of the derivative's own low-pass. */
  derivativeCutoff: number;
}

function alpha(cutoff: number, dt: number): number {
  const tau = 1 / (2 * Math.PI * cutoff);
  return 1 / (1 + tau / dt);
}

export class OneEuroFilter {
  private x = 0;
  private dx = 0;
  private lastTime = -1;
  private initialised = false;

  constructor(private readonly cfg: OneEuroConfig) {}

  reset(): void {
    this.initialised = false;
    this.lastTime = -1;
    this.dx = 0;
  }

  /** Filters `value` observed at `timeSec` (seconds, increasing). */
  filter(value: number, timeSec: number, valueScale = 1): number {
    if (!this.initialised) {
      this.initialised = true;
      this.x = value;
      this.dx = 0;
      this.lastTime = timeSec;
      return value;
    }
    const dt = timeSec - this.lastTime;
    if (!(dt > 0)) return this.x; // same or older timestamp: keep the last output
    this.lastTime = timeSec;
    const rawDx = ((value - this.x) * valueScale) / dt;
    this.dx += alpha(this.cfg.derivativeCutoff, dt) * (rawDx - this.dx);
    const cutoff = this.cfg.minCutoff + this.cfg.beta * Math.abs(this.dx);
    this.x += alpha(cutoff, dt) * (value - this.x);
    return this.x;
  }
}

/** A bank of independent filters for a fixed-length vector (e.g. 21 x 2 keypoint coordinates). */
export class OneEuroVectorFilter {
  private readonly filters: OneEuroFilter[];

  constructor(size: number, cfg: OneEuroConfig) {
    this.filters = Array.from({ length: size }, () => new OneEuroFilter(cfg));
  }

  reset(): void {
    for (const f of this.filters) f.reset();
  }

  /** Filters `values` in place. */
  apply(values: Float64Array | number[], timeSec: number, valueScale = 1): void {
    for (let i = 0; i < this.filters.length; i++) values[i] = this.filters[i].filter(values[i], timeSec, valueScale);
  }
}
