import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { HandsError } from './errors';
import type { BackendName } from './types';

export const DEFAULT_BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm'];

export interface BackendChoice {
  name: BackendName;
  /** Backends tried before this one, and why each was not used. Empty when the first choice ran. */
  fallbacks: Array<{ name: BackendName; reason: string }>;
  /** wasm only: the threads XNNPACK actually runs on (1 without cross-origin isolation). */
  threads?: number;
}

export interface BackendOptions {
  /** Try these in order. */
  order?: readonly BackendName[];
  /**
   * Where the WASM binaries are: a folder prefix ending in "/" or a map from file name
   * (tfjs-backend-wasm.wasm, -simd.wasm, -threaded-simd.wasm) to URL/path. Required for 'wasm':
   * TF.js would otherwise fetch them from a CDN, which this project never does.
   */
  wasmPaths?: string | Record<string, string>;
  /**
   * Threads for the WASM backend. Above 1 it loads the threaded SIMD binary, which needs
   * SharedArrayBuffer: only where `crossOriginIsolated` is true (never in Node, whose TF.js WASM
   * build has no threads); elsewhere it runs on one. 1 forces the single-threaded SIMD binary
   * (the comparison baseline). Default: defaultWasmThreads(). Read once, when wasm first starts.
   */
  wasmThreads?: number;
}

/**
 * Cap on the default thread count: the figure issue 15 suggests. Each thread is a Web Worker with
 * its own stack, and the small models here (224x224 landmarks, 192x192 palms) split into few
 * parallel tiles, so more threads mostly compete with the page's own rendering.
 */
export const MAX_DEFAULT_WASM_THREADS = 4;

/** navigator.hardwareConcurrency capped at MAX_DEFAULT_WASM_THREADS (1 when unknown). */
export function defaultWasmThreads(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 0;
  return Math.max(1, Math.min(MAX_DEFAULT_WASM_THREADS, cores || 1));
}

/** True where SharedArrayBuffer, and so the threaded WASM binary, is allowed. */
export function crossOriginIsolatedHere(): boolean {
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

/**
 * Tells TF.js how many WASM threads to start, before the backend exists. TF.js picks the threaded
 * binary by itself whenever SharedArrayBuffer works; turning its feature flag off is the only way
 * to get the single-threaded binary then (threads: 1).
 */
function configureWasmThreads(threads: number): () => void {
  if (threads > 1 && crossOriginIsolatedHere()) {
    setThreadsCount(threads);
    return reportCoresFor(threads);
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  return () => {};
}

/**
 * TF.js's threaded binary caps its pool at navigator.hardwareConcurrency / 2, whatever
 * setThreadsCount asks (it assumes two hyper-threads per core: num_cores in tfjs-backend-wasm's
 * src/cc/backend.cc), so a 2-core machine would get one thread. While the backend starts, this
 * context's navigator reports 2 x threads; the returned function restores the real figure.
 */
function reportCoresFor(threads: number): () => void {
  const nav = (globalThis as { navigator?: { hardwareConcurrency: number } }).navigator;
  if (!nav || nav.hardwareConcurrency / 2 >= threads) return () => {};
  Object.defineProperty(nav, 'hardwareConcurrency', { value: threads * 2, configurable: true });
  return () => void delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
}

/** The active wasm backend's thread count (1 when it cannot say). */
function wasmThreadsInUse(): number {
  try {
    return tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? getThreadsCount() : 1;
  } catch {
    return 1;
  }
}

/**
 * Renderer (WebGL) and adapter (WebGPU) names of software, CPU, implementations: slower than the
 * WASM backend (WebGPU on SwiftShader: ~10 s a tracked frame here, WASM ~50 ms).
 */
const SOFTWARE_GPU = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i;

/** The WebGL context of the active TF.js backend, or null when it is not webgl. */
export function activeWebGLContext(): WebGLRenderingContext | null {
  try {
    if (tf.getBackend() !== 'webgl') return null;
    return (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl ?? null;
  } catch {
    return null;
  }
}

/**
 * Calls `onLost` once when the WebGL context of the active webgl backend is lost (GPU reset or
 * driver update, the browser reclaiming contexts, WEBGL_lose_context). TF.js cannot go on with a
 * lost context: every tensor, program and texture on it is gone, and a read-back may never finish.
 * The caller must dispose its models, call `resetBackend('webgl')` and start again. Returns a
 * function that stops watching; a no-op for other backends.
 */
export function watchWebGLContextLoss(onLost: () => void): () => void {
  const canvas = activeWebGLContext()?.canvas as (HTMLCanvasElement | OffscreenCanvas) | undefined;
  if (!canvas || typeof canvas.addEventListener !== 'function') return () => {};
  const listener = () => onLost();
  canvas.addEventListener('webglcontextlost', listener, { once: true });
  return () => canvas.removeEventListener('webglcontextlost', listener);
}

/**
 * Forgets a backend whose device is gone (a lost WebGL context), so that the next initBackend
 * builds it afresh on a new context. TF.js's removeBackend also drops the factory: registered
 * again here.
 */
export function resetBackend(name: BackendName): void {
  if (name !== 'webgl') return;
  try {
    tf.removeBackend('webgl');
  } catch {
    // never registered, or already removed
  }
  tf.registerBackend('webgl', () => new MathBackendWebGL(), 2);
}

/** The WebGL renderer string of the active webgl backend, '' when unknown. */
export function webglRenderer(): string {
  try {
    const gl = activeWebGLContext();
    const ext = gl?.getExtension('WEBGL_debug_renderer_info');
    return gl && ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : '';
  } catch {
    return '';
  }
}

/** The adapter of the active webgpu backend, vendor and architecture ("google swiftshader"), '' when unknown. */
export function webgpuAdapter(): string {
  try {
    if (tf.getBackend() !== 'webgpu') return '';
    const info = (tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } }).adapterInfo;
    return [info?.vendor, info?.architecture].filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

/** What the active GPU backend runs on (WebGL renderer, WebGPU adapter), '' for the others. */
function gpuName(name: BackendName): string {
  if (name === 'webgl') return webglRenderer();
  return name === 'webgpu' ? webgpuAdapter() : '';
}

const backendReasons: Partial<Record<BackendName, string>> = {
  webgpu: 'WebGPU is not available in this browser (navigator.gpu missing or no adapter)',
  webgl: 'WebGL is not available (no GPU context could be created)',
};

/**
 * Picks the first backend that initialises, in the given order, and says which ones fell through.
 * A backend that registers but fails its first kernel run counts as unavailable.
 */
export async function initBackend(opts: BackendOptions = {}): Promise<BackendChoice> {
  const order = opts.order ?? DEFAULT_BACKEND_ORDER;
  let restoreCores = () => {};
  if (order.includes('wasm')) {
    if (!opts.wasmPaths)
      throw new HandsError(
        'invalid-config',
        'the WASM backend needs local wasmPaths (never the CDN default)',
        'Pass wasmPaths pointing at the served .wasm files.',
      );
    setWasmPaths(opts.wasmPaths as string);
    restoreCores = configureWasmThreads(Math.max(1, Math.floor(opts.wasmThreads ?? defaultWasmThreads())));
  }
  try {
    return await firstBackend(order);
  } finally {
    restoreCores();
  }
}

/** The loop behind initBackend, once the WASM settings are in place. */
async function firstBackend(order: readonly BackendName[]): Promise<BackendChoice> {
  const fallbacks: BackendChoice['fallbacks'] = [];
  for (const name of order) {
    let ok = false;
    let reason = backendReasons[name] ?? `the ${name} backend failed to start`;
    try {
      ok = await tf.setBackend(name);
      if (ok) {
        await tf.ready();
        // a context can exist and still fail on first use (e.g. a blocklisted GPU)
        const probe = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)));
        const v = (await probe.data())[0];
        probe.dispose();
        if (v !== 2) {
          ok = false;
          reason = `the ${name} backend computed 1 + 1 = ${v}`;
        }
        // WebGL or WebGPU on a software rasteriser (no GPU) runs ~10x (WebGPU: ~100x) slower than
        // WASM: fall through when there is something to fall through to
        const software = gpuName(name).match(SOFTWARE_GPU);
        if (ok && software && order.indexOf(name) < order.length - 1) {
          ok = false;
          reason = `${name === 'webgl' ? 'WebGL' : 'WebGPU'} is software-rendered here (${software[0]}, no GPU), slower than WASM`;
          tf.removeBackend(name);
        }
      }
    } catch (err) {
      ok = false;
      reason = `${reason}: ${(err as Error)?.message ?? String(err)}`;
    }
    if (ok) return name === 'wasm' ? { name, fallbacks, threads: wasmThreadsInUse() } : { name, fallbacks };
    fallbacks.push({ name, reason });
  }
  throw new HandsError(
    'backend-unavailable',
    `no TF.js backend could start (tried ${order.join(', ')})`,
    fallbacks.map((f) => `${f.name}: ${f.reason}`).join('; '),
  );
}
