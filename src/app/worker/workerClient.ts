import type { InferenceClient, OnMessage } from './inferenceClient';
import type { FromWorker, ToWorker } from './protocol';

let workers = 0;

/**
 * Inference in a module worker. `onFailure` fires when the worker itself breaks: its script fails
 * to load, an exception escapes it, or it dies without a word (crash, killed for memory), which
 * the page learns through the worker's life lock (see inference.worker.ts). Never after dispose().
 */
export class WorkerClient implements InferenceClient {
  readonly mode = 'worker' as const;
  private readonly worker: Worker;
  private disposed = false;

  constructor(onMessage: OnMessage, onFailure: (reason: string) => void) {
    const name = `hands-inference-${++workers}-${Math.random().toString(36).slice(2, 10)}`;
    this.worker = new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name });
    const fail = (reason: string) => {
      if (!this.disposed) onFailure(reason);
    };
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => {
      if (e.data.type === 'alive') {
        // granted only once the worker no longer holds it
        void navigator.locks?.request(name, () => fail('the analysis worker stopped unexpectedly, a crash or out of memory'));
        return;
      }
      onMessage(e.data);
    };
    this.worker.onerror = (e) => {
      e.preventDefault();
      fail(e.message ? `an error escaped the analysis worker: ${e.message}` : 'the worker script could not be loaded');
    };
    this.worker.onmessageerror = () => fail('a message from the analysis worker could not be read');
  }

  send(msg: ToWorker): void {
    if (msg.type === 'frame') this.worker.postMessage(msg, [msg.bitmap]);
    else this.worker.postMessage(msg);
  }

  dispose(): void {
    this.disposed = true;
    this.worker.terminate();
  }
}
