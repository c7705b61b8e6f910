import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { HandsError } from './errors';
import type { BackendName } from './types';

export const DEFAULT_BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm'];

export interface BackendChoice {
  name: BackendName;
  /** Backends tried before this one, and why each was not used. Empty when the first choice ran. */
  fallbacks: Array<{ name: BackendName; reason: string }>;
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
}

/** Renderer names of software (CPU) WebGL implementations: slower than the WASM backend. */
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/** The WebGL renderer string of the active webgl backend, '' when unknown. */
export function webglRenderer(): string {
  try {
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
    const ext = gl?.getExtension('WEBGL_debug_renderer_info');
    return gl && ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : '';
  } catch {
    return '';
  }
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
  if (order.includes('wasm')) {
    if (!opts.wasmPaths) throw new HandsError('invalid-config', 'the WASM backend needs local wasmPaths (never the CDN default)', 'Pass wasmPaths pointing at the served .wasm files.');
    setWasmPaths(opts.wasmPaths as string);
  }
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
        // WebGL on a software rasteriser (no GPU) runs ~10x slower than WASM: fall through when
        // there is something to fall through to
        const software = name === 'webgl' ? webglRenderer().match(SOFTWARE_GL) : null;
        if (ok && software && order.indexOf(name) < order.length - 1) {
          ok = false;
          reason = `WebGL is software-rendered here (${software[0]}, no GPU), slower than WASM`;
          tf.removeBackend(name);
        }
      }
    } catch (err) {
      ok = false;
      reason = `${reason}: ${(err as Error)?.message ?? String(err)}`;
    }
    if (ok) return { name, fallbacks };
    fallbacks.push({ name, reason });
  }
  throw new HandsError('backend-unavailable', `no TF.js backend could start (tried ${order.join(', ')})`, fallbacks.map((f) => `${f.name}: ${f.reason}`).join('; '));
}
