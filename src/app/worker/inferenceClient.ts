import type { FromWorker, InferenceMode, ToWorker } from './protocol';

export type OnMessage = (msg: FromWorker) => void;

/** One end of the protocol; the worker and the main-thread fallback look the same to the page. */
export interface InferenceClient {
  readonly mode: InferenceMode;
  /** Frames transfer their ImageBitmap: the caller must not use it afterwards. */
  send(msg: ToWorker): void;
  dispose(): void;
}
