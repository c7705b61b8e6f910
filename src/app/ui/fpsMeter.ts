const WINDOW_MS = 2000;
const CAPACITY = 64;

/** Results per second over the last two seconds (a ring of timestamps, nothing allocated per call). */
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
    let n = 0;
    let oldest = nowMs;
    for (let i = 0; i < this.count; i++) {
      const t = this.stamps[(this.head - 1 - i + CAPACITY) % CAPACITY];
      if (nowMs - t > WINDOW_MS) break;
      oldest = t;
      n++;
    }
    return n < 2 ? 0 : ((n - 1) * 1000) / Math.max(1, nowMs - oldest);
  }

  reset(): void {
    this.count = 0;
  }
}
