import type { FrameMode, ToWorker } from './worker/protocol';

/**
 * One frame in flight: a new frame goes out only after the previous one's result (or error) came
 * back; frames the camera produces meanwhile are simply not captured. A still image that arrives
 * while a frame is in flight waits (only the latest one: images dropped faster than they are
 * analysed replace each other). Results of frames sent before the latest source change are
 * reported as stale.
 */
export class FrameScheduler {
  private nextId = 1;
  /** Frame id being analysed, -1 while a frame is being captured, 0 when idle. */
  private inFlight = 0;
  private firstIdOfSource = 1;
  private generation = 0;
  /** The still waiting for the frame in flight (owned: closed when replaced). */
  private pending: { bitmap: ImageBitmap; mode: FrameMode; timestampMs: number } | null = null;

  constructor(private readonly send: (msg: ToWorker) => void) {}

  get busy(): boolean {
    return this.inFlight !== 0;
  }

  /** Results of frames sent before this call are stale. */
  newSource(): void {
    this.firstIdOfSource = this.nextId;
    this.generation++;
    this.dropPending();
  }

  /** The inference side was replaced: the frame in flight will never be answered. */
  abandon(): void {
    this.newSource();
    this.inFlight = 0;
  }

  /**
   * Capture video frames through a CPU canvas (for the WASM and CPU backends, which read pixels on
   * the CPU). A bitmap made straight from a <video> lives on the GPU, and reading it back in the
   * worker cost 39 ms per 620x1080 frame in headless Chromium (140-190 ms on a busy machine);
   * drawn into a `willReadFrequently` canvas first, 1.5 ms. GPU backends upload the GPU bitmap as is.
   */
  cpuCapture = false;
  private captureCtx: CanvasRenderingContext2D | null = null;

  /** Captures a video frame as an ImageBitmap and sends it; skipped while a frame is in flight. */
  sendVideoFrame(video: HTMLVideoElement, timestampMs: number): void {
    if (this.busy) return;
    this.inFlight = -1;
    const generation = this.generation;
    this.capture(video).then(
      (bitmap) => {
        if (this.inFlight === -1) this.inFlight = 0;
        // the source changed while capturing: this frame is of no use any more
        if (generation !== this.generation) return bitmap.close();
        this.sendBitmap(bitmap, 'video', timestampMs);
      },
      () => {
        if (this.inFlight === -1) this.inFlight = 0; // no frame decoded yet (e.g. right after a seek): try on the next tick
      },
    );
  }

  private capture(video: HTMLVideoElement): Promise<ImageBitmap> {
    if (!this.cpuCapture) return createImageBitmap(video);
    const w = video.videoWidth;
    const h = video.videoHeight;
    if (!this.captureCtx) this.captureCtx = document.createElement('canvas').getContext('2d', { willReadFrequently: true, alpha: false });
    const ctx = this.captureCtx;
    if (!ctx || w === 0 || h === 0) return createImageBitmap(video);
    if (ctx.canvas.width !== w || ctx.canvas.height !== h) {
      ctx.canvas.width = w;
      ctx.canvas.height = h;
    }
    ctx.drawImage(video, 0, 0, w, h);
    return createImageBitmap(ctx.canvas);
  }

  /** Sends (transfers) a bitmap, or keeps it until the frame in flight is answered; the receiver closes it. */
  sendBitmap(bitmap: ImageBitmap, mode: FrameMode, timestampMs = performance.now()): void {
    if (this.inFlight > 0) {
      this.dropPending();
      this.pending = { bitmap, mode, timestampMs };
      return;
    }
    const frameId = this.nextId++;
    this.inFlight = frameId;
    this.send({ type: 'frame', frameId, bitmap, timestampMs, mode });
  }

  /** A result or error for `frameId` arrived; true when it belongs to the current source. */
  settle(frameId: number): boolean {
    if (frameId === this.inFlight) {
      this.inFlight = 0;
      const next = this.pending;
      this.pending = null;
      if (next) this.sendBitmap(next.bitmap, next.mode, next.timestampMs);
    }
    return frameId >= this.firstIdOfSource;
  }

  private dropPending(): void {
    this.pending?.bitmap.close();
    this.pending = null;
  }
}
