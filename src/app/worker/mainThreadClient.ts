import type { InferenceClient, OnMessage } from './inferenceClient';
import type { InferenceService } from './inferenceService';
import type { ToWorker } from './protocol';

/**
 * The same protocol without a worker: the service runs on the page's thread (loaded on demand, so
 * pages that use the worker never download TF.js twice). Slower UI while a frame runs, same results.
 */
export class MainThreadClient implements InferenceClient {
  readonly mode = 'main-thread' as const;
  private readonly service: Promise<InferenceService>;

  constructor(onMessage: OnMessage) {
    this.service = import('./inferenceService').then((m) => new m.InferenceService(onMessage));
  }

  send(msg: ToWorker): void {
    void this.service.then((s) => s.handle(msg));
  }

  dispose(): void {
    // the pipeline lives until the page goes; nothing to stop
  }
}
