import type { BackendName } from '../core/types';

const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** Switches for debugging and tests, from the query string. */
export interface PageOptions {
  /** ?inference=main: run inference on the page's thread instead of a worker. */
  forceMainThread: boolean;
  /** ?backend=wasm or ?backend=webgl,wasm: backend order; undefined = core's default. */
  backendOrder?: BackendName[];
  /**
   * ?threads=1 (or N): WASM backend threads, to compare against one; undefined = core's default
   * (hardware threads, capped). More than 1 needs cross-origin isolation and a worker.
   */
  wasmThreads?: number;
}

export function readPageOptions(search = location.search): PageOptions {
  const params = new URLSearchParams(search);
  const order = params
    .get('backend')
    ?.split(',')
    .filter((b): b is BackendName => (BACKENDS as readonly string[]).includes(b));
  const threads = Number(params.get('threads'));
  return {
    forceMainThread: params.get('inference') === 'main',
    backendOrder: order?.length ? order : undefined,
    wasmThreads: Number.isInteger(threads) && threads >= 1 ? threads : undefined,
  };
}
