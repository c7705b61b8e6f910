import type { BackendName } from '../core/types';

const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** Switches for debugging and tests, from the query string. */
export interface PageOptions {
  /** ?inference=main: run inference on the page's thread instead of a worker. */
  forceMainThread: boolean;
  /** ?backend=wasm or ?backend=webgl,wasm: backend order; undefined = core's default. */
  backendOrder?: BackendName[];
}

export function readPageOptions(search = location.search): PageOptions {
  const params = new URLSearchParams(search);
  const order = params.get('backend')?.split(',').filter((b): b is BackendName => (BACKENDS as readonly string[]).includes(b));
  return { forceMainThread: params.get('inference') === 'main', backendOrder: order?.length ? order : undefined };
}
