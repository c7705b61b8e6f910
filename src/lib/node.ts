/**
 * The package's Node entry (`import { createHandTracker } from 'hands'` under Node): WASM backend
 * (TF.js's Node build of it, one thread), models read from the package's folder on disk.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HandsError } from '../core/errors';
import { FetchFileSource } from '../core/models/fetchFileSource';
import { NodeFileSource } from '../cli/nodeFileSource';
import { createTracker, type HandTracker, type HandTrackerOptions, type TrackerEnvironment } from './tracker';

const require = createRequire(import.meta.url);
const MODELS_FOLDER = '../models/';

const nodeEnvironment: TrackerEnvironment = {
  files(base) {
    // dist-lib/node.js -> the package's models/
    if (base === undefined) return new NodeFileSource(fileURLToPath(new URL(MODELS_FOLDER, import.meta.url)));
    const text = String(base);
    if (/^https?:/i.test(text)) return new FetchFileSource(text);
    return new NodeFileSource(text.startsWith('file:') ? fileURLToPath(text) : text);
  },
  wasmPaths: `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`,
  defaultBackends: ['wasm'],
};

/** Loads the models and starts the WASM backend; resolves when the tracker can run. */
export function createHandTracker(options: HandTrackerOptions = {}): Promise<HandTracker> {
  if (options.worker)
    throw new HandsError(
      'invalid-config',
      'worker mode is for browsers',
      'In Node, create the tracker without { worker: true } (or run it in a worker_thread yourself).',
    );
  return createTracker(nodeEnvironment, options);
}

export * from './api';
