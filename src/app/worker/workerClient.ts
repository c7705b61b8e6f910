import type { InferenceClient, OnMessage } from './inferenceClient';
import type { ToWorker } from './protocol';

/** Inference in a module worker; `onFailure` fires when the worker itself breaks (load, crash). */
export class WorkerClient implements InferenceClient {
  readonly mode = 'worker' as const;
  private readonly worker: Worker;

  constructor(onMessage: OnMessage, onFailure: (reason: string) => void) {
    this.worker = new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name: 'hands-inference' });
    this.worker.onmessage = (e) => onMessage(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault();
      onFailure(e.message || 'the worker script could not be loaded');
    };
    this.worker.onmessageerror = () => onFailure('a message from the worker could not be read');
  }

  send(msg: ToWorker): void {
    if (msg.type === 'frame') this.worker.postMessage(msg, [msg.bitmap]);
    else this.worker.postMessage(msg);
  }

  dispose(): void {
    this.worker.terminate();
  }
}
