/**
 * "clip.mp4: 120/325 frames (37 %)" on stderr while a video is analysed: one line rewritten in
 * place on a terminal (at most 5 times a second), a new line every 10 % when stderr is a file or a
 * pipe, so logs stay short whatever the video's length.
 */
export class ProgressLine {
  private lastDraw = 0;
  private lastDecile = -1;
  private readonly tty: boolean;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly enabled = true,
  ) {
    this.tty = Boolean(out.isTTY);
  }

  update(done: number): void {
    if (!this.enabled) return;
    const pct = this.total > 0 ? Math.min(100, Math.floor((100 * done) / this.total)) : 0;
    const text = `${this.label}: ${done}/${this.total} frames (${pct} %)`;
    if (this.tty) {
      const now = Date.now();
      if (now - this.lastDraw < 200 && done < this.total) return;
      this.lastDraw = now;
      this.out.write(`\r${text}\x1b[K`);
    } else {
      const decile = Math.floor(pct / 10);
      if (decile === this.lastDecile) return;
      this.lastDecile = decile;
      this.out.write(`${text}\n`);
    }
  }

  /** Leaves the terminal line (the next message starts on its own line). */
  end(): void {
    if (this.enabled && this.tty && this.lastDraw) this.out.write('\n');
  }
}
