import type { FrameMode, ToWorker } from './worker/protocol';

/**
 * One frame in flight: a new frame goes out only after the previous one's result (or error) came
 * back; frames the camera produces meanwhile are simply not captured. Results of frames sent
 * before the latest source change are reported as stale.
 */
export class FrameScheduler {
  private nextId = 1;
  /** Frame id being analysed, -1 while a frame is being captured, 0 when idle. */
  private inFlight = 0;
  private firstIdOfSource = 1;
  private generation = 0;

  constructor(private readonly send: (msg: ToWorker) => void) {}

  get busy(): boolean {
    return this.inFlight !== 0;
  }

  /** Results of frames sent before this call are stale. */
  newSource(): void {
    this.firstIdOfSource = this.nextId;
    this.generation++;
  }

  /** Captures a video frame as an ImageBitmap and sends it; skipped while a frame is in flight. */
  sendVideoFrame(video: HTMLVideoElement, timestampMs: number): void {
    if (this.busy) return;
    this.inFlight = -1;
    const generation = this.generation;
    createImageBitmap(video).then(
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

  /** Sends (transfers) a bitmap; the receiver closes it. */
  sendBitmap(bitmap: ImageBitmap, mode: FrameMode, timestampMs = performance.now()): void {
    const frameId = this.nextId++;
    this.inFlight = frameId;
    this.send({ type: 'frame', frameId, bitmap, timestampMs, mode });
  }

  /** A result or error for `frameId` arrived; true when it belongs to the current source. */
  settle(frameId: number): boolean {
    if (frameId === this.inFlight) this.inFlight = 0;
    return frameId >= this.firstIdOfSource;
  }
}
