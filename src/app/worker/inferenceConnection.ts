import type { InferenceClient, OnMessage } from './inferenceClient';
import { MainThreadClient } from './mainThreadClient';
import type { FromWorker, InferenceMode, ToWorker } from './protocol';
import { WorkerClient } from './workerClient';

/** More restarts than this within RESTART_WINDOW_MS: give up and say so (a crash loop helps nobody). */
export const MAX_RESTARTS = 3;
export const RESTART_WINDOW_MS = 60_000;
/** A frame unanswered for this long means the inference side hangs: it is restarted. */
export const FRAME_STALL_MS = 60_000;

/** Why the worker cannot be used here, or null when it can. */
function workerUnsupported(forceMainThread: boolean): string | null {
  if (forceMainThread) return 'main thread requested by ?inference=main';
  if (typeof Worker === 'undefined') return 'Web Workers are not available';
  // WebGL in a worker needs OffscreenCanvas; without it the worker would drop to WASM
  if (typeof OffscreenCanvas === 'undefined') return 'OffscreenCanvas is not available';
  return null;
}

export interface ConnectionEvents {
  /** Inference moved to the main thread (the worker failed to start). */
  onModeChange?: () => void;
  /**
   * The inference side died (worker crashed or was killed, an exception escaped it, its WebGL
   * context was lost, a frame hung) and a fresh one was started: the page must send 'init' again.
   */
  onRestart?: (reason: string) => void;
}

/**
 * Inference in a worker when the browser allows it, else on the main thread behind the same API.
 * A worker that fails before it was ever ready (script blocked, crashed while loading) is replaced
 * by the main-thread client, and the requests sent so far are replayed. After that, a broken
 * inference side is replaced by a fresh one of the same kind (at most MAX_RESTARTS a minute).
 */
export class InferenceConnection {
  private client: InferenceClient;
  private ready = false;
  private everReady = false;
  private stopped = false;
  private readonly beforeReady: ToWorker[] = [];
  private restarts: number[] = [];
  /** When the frame now in flight was sent (0: none). */
  private frameSentAt = 0;
  /** Why inference runs where it runs ('' when in the worker as planned). */
  modeNote = '';

  constructor(
    private readonly onMessage: OnMessage,
    private readonly opts: { forceMainThread?: boolean } & ConnectionEvents = {},
  ) {
    const unsupported = workerUnsupported(opts.forceMainThread ?? false);
    if (unsupported) {
      this.modeNote = unsupported;
      this.client = new MainThreadClient(this.listen);
    } else {
      try {
        this.client = new WorkerClient(this.listen, this.onFailure);
      } catch (err) {
        this.modeNote = `the worker could not be created (${(err as Error).message})`;
        this.client = new MainThreadClient(this.listen);
      }
    }
    setInterval(() => {
      if (this.frameSentAt && performance.now() - this.frameSentAt > FRAME_STALL_MS) this.restart(`a frame got no answer for ${FRAME_STALL_MS / 1000} s`);
    }, 5000);
  }

  get mode(): InferenceMode {
    return this.client.mode;
  }

  send(msg: ToWorker): void {
    if (this.stopped && msg.type === 'init') {
      // the person pressed Retry after we gave up: a fresh start, with a fresh restart budget
      this.stopped = false;
      this.restarts = [];
      this.client = this.client.mode === 'worker' ? new WorkerClient(this.listen, this.onFailure) : new MainThreadClient(this.listen);
    }
    if (this.stopped) {
      if (msg.type === 'frame') msg.bitmap.close();
      return;
    }
    if (!this.ready && msg.type !== 'frame') this.beforeReady.push(msg);
    if (msg.type === 'frame') this.frameSentAt = performance.now();
    this.client.send(msg);
  }

  private readonly listen: OnMessage = (msg: FromWorker) => {
    switch (msg.type) {
      case 'ready':
        this.ready = this.everReady = true;
        this.beforeReady.length = 0;
        break;
      case 'result':
        this.frameSentAt = 0;
        break;
      case 'error':
        if (msg.frameId !== undefined) this.frameSentAt = 0;
        break;
      case 'lost':
        this.restart(msg.reason);
        return;
    }
    this.onMessage(msg);
  };

  private readonly onFailure = (reason: string) => {
    if (this.client.mode !== 'worker') return;
    if (this.everReady) return this.restart(reason);
    this.client.dispose();
    this.modeNote = `the worker failed to start (${reason})`;
    this.client = new MainThreadClient(this.listen);
    for (const msg of this.beforeReady) this.client.send(msg);
    this.opts.onModeChange?.();
  };

  /** Replaces a broken inference side with a fresh one of the same kind. */
  private restart(reason: string): void {
    if (this.stopped) return;
    this.client.dispose();
    this.ready = false;
    this.beforeReady.length = 0;
    this.frameSentAt = 0;
    const now = performance.now();
    this.restarts = this.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
    if (this.restarts.length >= MAX_RESTARTS) {
      this.stopped = true;
      this.onMessage({
        type: 'error',
        error: {
          code: 'internal',
          message: `The hand analysis stopped ${MAX_RESTARTS + 1} times within a minute; the last time ${reason}.`,
          hint: 'Reload the page. If it happens again, add ?backend=wasm to the address, or try another browser.',
        },
        fatal: true,
      });
      return;
    }
    this.restarts.push(now);
    this.client = this.client.mode === 'worker' ? new WorkerClient(this.listen, this.onFailure) : new MainThreadClient(this.listen);
    this.opts.onRestart?.(reason);
  }
}
