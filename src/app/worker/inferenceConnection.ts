import type { InferenceClient, OnMessage } from './inferenceClient';
import { MainThreadClient } from './mainThreadClient';
import type { InferenceMode, ToWorker } from './protocol';
import { WorkerClient } from './workerClient';

/** Why the worker cannot be used here, or null when it can. */
function workerUnsupported(forceMainThread: boolean): string | null {
  if (forceMainThread) return 'main thread requested by ?inference=main';
  if (typeof Worker === 'undefined') return 'Web Workers are not available';
  // WebGL in a worker needs OffscreenCanvas; without it the worker would drop to WASM
  if (typeof OffscreenCanvas === 'undefined') return 'OffscreenCanvas is not available';
  return null;
}

/**
 * Inference in a worker when the browser allows it, else on the main thread behind the same API.
 * A worker that fails before it is ready (script blocked, crashed while loading) is replaced by
 * the main-thread client, and the requests sent so far are replayed.
 */
export class InferenceConnection {
  private client: InferenceClient;
  private ready = false;
  private readonly beforeReady: ToWorker[] = [];
  /** Why inference runs where it runs ('' when in the worker as planned). */
  modeNote = '';

  constructor(
    private readonly onMessage: OnMessage,
    opts: { forceMainThread?: boolean; onModeChange?: () => void } = {},
  ) {
    const listen: OnMessage = (msg) => {
      if (msg.type === 'ready') this.ready = true;
      this.onMessage(msg);
    };
    const unsupported = workerUnsupported(opts.forceMainThread ?? false);
    if (unsupported) {
      this.modeNote = unsupported;
      this.client = new MainThreadClient(listen);
      return;
    }
    const fallBack = (reason: string) => {
      if (this.client.mode !== 'worker') return;
      if (this.ready) {
        this.onMessage({ type: 'error', error: { code: 'internal', message: `the inference worker stopped: ${reason}`, hint: 'Reload the page.' }, fatal: true });
        return;
      }
      this.client.dispose();
      this.modeNote = `the worker failed to start (${reason})`;
      this.client = new MainThreadClient(listen);
      for (const msg of this.beforeReady) this.client.send(msg);
      opts.onModeChange?.();
    };
    try {
      this.client = new WorkerClient(listen, fallBack);
    } catch (err) {
      this.modeNote = `the worker could not be created (${(err as Error).message})`;
      this.client = new MainThreadClient(listen);
    }
  }

  get mode(): InferenceMode {
    return this.client.mode;
  }

  send(msg: ToWorker): void {
    if (!this.ready && msg.type !== 'frame') this.beforeReady.push(msg);
    this.client.send(msg);
  }
}
