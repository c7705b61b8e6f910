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
  private disposed = false;

  constructor(onMessage: OnMessage) {
    this.service = import('./inferenceService').then((m) => new m.InferenceService((msg) => this.disposed || onMessage(msg)));
  }

  send(msg: ToWorker): void {
    void this.service.then((s) => (this.disposed ? msg.type === 'frame' && msg.bitmap.close() : s.handle(msg)));
  }

  /** Frees the models; a frame that never finishes (a lost WebGL context) is abandoned. */
  dispose(): void {
    this.disposed = true;
    void this.service.then((s) => s.dispose());
  }
}
