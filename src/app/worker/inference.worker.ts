/**
 * Module worker: TF.js and the hand pipeline run here so inference never blocks the page's
 * rendering or input. WebGL runs on an OffscreenCanvas, WebGPU and WASM need no canvas.
 */
import { InferenceService } from './inferenceService';
import type { FromWorker, ToWorker } from './protocol';

/** The two members of DedicatedWorkerGlobalScope we use (the DOM lib types `self` as Window). */
interface WorkerScope {
  postMessage(msg: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
}

const scope = self as unknown as WorkerScope;
// results transfer their mesh vertex buffers (the worker never reads them again)
const service = new InferenceService((msg, transfer) => scope.postMessage(msg, transfer ?? []));
scope.onmessage = (e) => service.handle(e.data);
