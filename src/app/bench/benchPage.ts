import * as tf from '@tensorflow/tfjs-core';
import { benchScenario, type BenchScenario, type ScenarioReport } from '../../core/benchmark';
import { HandsError } from '../../core/errors';
import type { DeepPartial, PipelineConfig } from '../../core/config';
import { HandPipeline } from '../../core/pipeline';
import type { BackendName } from '../../core/types';
import { BrowserFileSource } from '../browserFileSource';
import { WASM_PATHS } from '../wasmPaths';

/**
 * The page half of `hands bench --browser`: the same benchmark loop as Node (src/core/benchmark.ts)
 * on the same raw RGB frames (decoded once by ffmpeg and served by the bench command at /__bench/),
 * on this page's thread with the backend from ?backend= (and ?threads= for wasm; default: core's).
 * Results go to window.__benchResult.
 */
interface FramesManifest {
  scenarios: Array<{ name: string; mode: 'video' | 'image'; fps: number; width: number; height: number; count: number; url: string }>;
  weightFiles: string[];
}

declare global {
  interface Window {
    __benchResult?: unknown;
    __benchError?: string;
  }
}

const log = (line: string) => {
  document.getElementById('log')!.textContent += `\n${line}`;
};

async function run(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const backend = (params.get('backend') ?? 'webgl') as BackendName;
  const frames = Number(params.get('frames') ?? 100);
  const warmup = Number(params.get('warmup') ?? 10);
  const variant = params.get('model') === 'lite' ? 'lite' : 'full';
  const threads = params.has('threads') ? Number(params.get('threads')) : undefined;
  const extra = JSON.parse(params.get('config') ?? '{}') as DeepPartial<PipelineConfig>;
  const t0 = performance.now();
  const pipeline = await HandPipeline.create({
    files: new BrowserFileSource(),
    config: { ...extra, landmarks: { ...extra.landmarks, variant } },
    backend: { order: [backend], wasmPaths: WASM_PATHS, wasmThreads: threads },
  });
  const modelLoadMs = performance.now() - t0;
  const manifest = (await (await fetch('/__bench/frames.json')).json()) as FramesManifest;
  const scenarios: BenchScenario[] = [];
  const tensors: tf.Tensor[] = [];
  for (const s of manifest.scenarios) {
    const bytes = new Uint8Array(await (await fetch(s.url)).arrayBuffer());
    const size = s.width * s.height * 3;
    const list: tf.Tensor3D[] = [];
    for (let i = 0; i < s.count; i++) list.push(tf.tensor3d(bytes.subarray(i * size, (i + 1) * size), [s.height, s.width, 3], 'int32'));
    tensors.push(...list);
    scenarios.push({ name: s.name, mode: s.mode, frames: list, fps: s.fps });
  }
  // cold first result (includes shader compilation on GPU backends)
  const photo = scenarios.find((s) => s.mode === 'image') ?? scenarios[0];
  await pipeline.estimate(photo.frames[0], { mode: 'image' });
  const timeToFirstResultMs = performance.now() - t0;
  log(
    `backend ${pipeline.backend.name}${pipeline.backend.threads ? `, ${pipeline.backend.threads} thread(s)` : ''}; models ${modelLoadMs.toFixed(0)} ms; first result ${timeToFirstResultMs.toFixed(0)} ms`,
  );
  const memory = { tensorsBefore: tf.memory().numTensors, tensorsAfter: 0, heapBeforeMB: heapMB(), heapAfterMB: undefined as number | undefined };
  const reports: ScenarioReport[] = [];
  for (const sc of scenarios) {
    log(`${sc.name} (${sc.mode})…`);
    reports.push(await benchScenario(pipeline, sc, { frames, warmup }));
  }
  memory.tensorsAfter = tf.memory().numTensors;
  memory.heapAfterMB = heapMB();
  tf.dispose(tensors);
  const gl = backend === 'webgl' ? glRenderer() : '';
  window.__benchResult = {
    runtime: `${navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? 'browser'} (headless), page thread`,
    backend: `${pipeline.backend.name}${gl ? ` (${gl})` : ''}${pipeline.backend.threads ? ` (SIMD, ${pipeline.backend.threads} thread${pipeline.backend.threads > 1 ? 's' : ''}${crossOriginIsolated ? '' : ', not cross-origin isolated'})` : ''}`,
    threads: pipeline.backend.threads,
    config: pipeline.currentConfig,
    modelLoadMs,
    timeToFirstResultMs,
    scenarios: reports,
    memory,
  };
  pipeline.dispose();
  log('done');
}

function heapMB(): number | undefined {
  const m = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  return m ? m.usedJSHeapSize / 2 ** 20 : undefined;
}

function glRenderer(): string {
  const gl = document.createElement('canvas').getContext('webgl2');
  const ext = gl?.getExtension('WEBGL_debug_renderer_info');
  return gl && ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : '';
}

run().catch((err) => {
  const e = HandsError.from(err);
  window.__benchError = `${e.code}: ${e.message} ${e.hint}`;
  log(`error: ${window.__benchError}`);
});
