/**
 * Module worker: TF.js and the hand pipeline run here so inference never blocks the page's
 * rendering or input. WebGL runs on an OffscreenCanvas, WebGPU and WASM need no canvas.
 */
import { InferenceService } from './inferenceService';
import type { FromWorker, ToWorker } from './protocol';

/** The members of DedicatedWorkerGlobalScope we use (the DOM lib types `self` as Window). */
interface WorkerScope {
  readonly name: string;
  readonly navigator: Navigator;
  postMessage(msg: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
}

const scope = self as unknown as WorkerScope;
// results transfer their mesh vertex buffers (the worker never reads them again)
const service = new InferenceService((msg, transfer) => scope.postMessage(msg, transfer ?? []));
scope.onmessage = (e) => service.handle(e.data);

// A worker that crashes or is killed for memory sends no event to the page. So it holds a Web Lock
// named after itself for as long as it lives; the page queues for the same lock and is granted it
// the moment the worker is gone (WorkerClient).
if (scope.name && scope.navigator.locks) {
  void scope.navigator.locks.request(scope.name, () => {
    scope.postMessage({ type: 'alive' });
    return new Promise<never>(() => {});
  });
}
