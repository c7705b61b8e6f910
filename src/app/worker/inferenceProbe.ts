import * as tf from '@tensorflow/tfjs-core';
import { activeWebGLContext } from '../../core/backend';

/**
 * What tests and a developer console can read (and break) on the inference side, in the worker
 * (`self.__handsInference`, reached with Playwright's `page.workers()`) or on the page's own
 * thread in main-thread mode (`window.__handsInference`).
 */
export interface InferenceProbe {
  /** TF.js tensors alive now. */
  tensors(): number;
  /** The active TF.js backend ('' before one started). */
  backend(): string;
  /** TF.js's WebGL context when the backend is webgl (e.g. for WEBGL_lose_context), else null. */
  webglContext(): WebGLRenderingContext | null;
  /** Bytes of the WASM backend's memory (it grows, never shrinks), 0 on other backends. */
  wasmMemoryBytes(): number;
}

declare global {
  // eslint-disable-next-line no-var
  var __handsInference: InferenceProbe | undefined;
}

/** Without touching the backend (tf.memory() would start one if none is active). */
export const tensorCount = (): number => tf.engine().state.numTensors;

function wasmMemoryBytes(): number {
  try {
    if (tf.getBackend() !== 'wasm') return 0;
    return (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8?.byteLength ?? 0;
  } catch {
    return 0;
  }
}

export function installInferenceProbe(): void {
  globalThis.__handsInference = {
    tensors: tensorCount,
    backend: () => tf.getBackend() ?? '',
    webglContext: activeWebGLContext,
    wasmMemoryBytes,
  };
}
