const WINDOW_MS = 2000;
/** Past this long without a result the source is taken as stalled: 0 fps. */
const STALE_MS = 5000;
const CAPACITY = 64;

/**
 * Results per second over the last two seconds (a ring of timestamps, nothing allocated per call).
 * Slower than one result a second (a slow machine with the mesh on), the window holds fewer than
 * two: then the last interval is the rate, rather than a misleading 0.
 */
export class FpsMeter {
  private readonly stamps = new Float64Array(CAPACITY);
  private head = 0;
  private count = 0;

  tick(nowMs: number): void {
    this.stamps[this.head] = nowMs;
    this.head = (this.head + 1) % CAPACITY;
    this.count = Math.min(this.count + 1, CAPACITY);
  }

  fps(nowMs: number): number {
    const stamp = (i: number) => this.stamps[(this.head - 1 - i + CAPACITY) % CAPACITY];
    if (this.count < 2 || nowMs - stamp(0) > STALE_MS) return 0;
    let n = 0;
    while (n < this.count && nowMs - stamp(n) <= WINDOW_MS) n++;
    // at least the last two results: the interval between them when the window holds fewer
    const last = Math.max(n, 2) - 1;
    return (last * 1000) / Math.max(1, (n >= 2 ? nowMs : stamp(0)) - stamp(last));
  }

  reset(): void {
    this.count = 0;
  }
}
