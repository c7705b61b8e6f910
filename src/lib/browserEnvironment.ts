import { DEFAULT_BACKEND_ORDER } from '../core/backend';
import { FetchFileSource } from '../core/models/fetchFileSource';
import type { TrackerEnvironment } from './tracker';

// this module's URL held in a name: bundlers rewrite `new URL('literal', import.meta.url)` as an
// asset import, which fails for a folder. Built into dist-lib/ (browser.js, worker.js or a chunk
// beside them), so '../models/' is the package's models and './wasm/' the copied TF.js binaries.
const HERE = import.meta.url;

/** The browser's defaults: the package's own files, fetched relative to the built module. */
export const browserEnvironment: TrackerEnvironment = {
  files: (base) => new FetchFileSource(String(base ?? new URL('../models/', HERE))),
  wasmPaths: new URL('./wasm/', HERE).href,
  defaultBackends: DEFAULT_BACKEND_ORDER,
};

/** The library's worker script (dist-lib/worker.js), beside this module once built. */
export const workerScriptUrl = (): URL => new URL('./worker.js', HERE);
