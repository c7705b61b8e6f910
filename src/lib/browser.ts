/**
 * The package's browser entry (`import { createHandTracker } from 'hands'` in a bundler): models
 * and TF.js WASM binaries from the package's own files, resolved next to this module
 * (browserEnvironment.ts); with `{ worker: true }` the models run in the library's Web Worker.
 */
import { browserEnvironment, workerScriptUrl } from './browserEnvironment';
import { createTracker, type HandTracker, type HandTrackerOptions } from './tracker';
import { WorkerHandTracker } from './workerTracker';

/** Loads the models and starts a backend; resolves when the tracker can run. */
export function createHandTracker(options: HandTrackerOptions = {}): Promise<HandTracker> {
  return options.worker ? WorkerHandTracker.create(workerScriptUrl(), options) : createTracker(browserEnvironment, options);
}

export * from './api';
