import { HEADS_MODEL } from '../core/multitask/headsModel';
import * as tf from '@tensorflow/tfjs-core';
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { benchScenario, type BenchScenario, type MemoryReport, type ScenarioReport } from '../core/benchmark';
import type { DeepPartial, PipelineConfig } from '../core/config';
import { BOX_DETECTOR_MODEL, landmarkModelName, palmModelName } from '../core/pipeline';
import { resolveConfig } from '../core/config';
import { totalBytes, type ModelManifest } from '../core/models/manifest';
import { HAND_MODEL_NAME } from '../core/handModel/asset';
import { classifyGesture } from '../core/gesture/classify';
import { GESTURE_MODEL_NAME, loadGestureModel } from '../core/gesture/load';
import type { GestureModel } from '../core/gesture/mlp';
import { NodeFileSource } from './nodeFileSource';
import type { HandResult } from '../core/types';
import { decodeImageFile } from './decodeImage';
import { decodeVideo } from './decodeVideo';
import { createNodePipeline } from './nodePipeline';
import { MODELS_DIR, REPO_ROOT } from './paths';

export interface BenchCliOptions {
  frames: number;
  warmup: number;
  image: string;
  video: string;
  /** Stills (the photo scenario, and the first result). */
  config: DeepPartial<PipelineConfig>;
  /** The video scenario, when it differs (--quality best runs no mesh on video). */
  videoConfig?: DeepPartial<PipelineConfig>;
  log: (line: string) => void;
}

export interface BenchReport {
  tool: 'hands bench';
  runtime: string;
  backend: string;
  cpu: string;
  config: PipelineConfig;
  weightBytes: number;
  modelLoadMs: number;
  timeToFirstResultMs: number;
  scenarios: ScenarioReport[];
  memory: MemoryReport;
  /** classifyGesture on the photo's hands, repeated: milliseconds per hand (part of the post stage). */
  gestures?: { msPerHand: number; calls: number };
  /** WASM threads the run used (--browser wasm; Node's WASM has one). */
  threads?: number;
  /**
   * --browser wasm: the same bench on one thread, in the same run, for the speed-up of threads
   * (median total per scenario; `threads`: what the one-thread page reported using).
   */
  oneThread?: { threads: number; scenarios: Array<{ name: string; totalMedian: number }> };
}

/** Calls timed for the gestures row: enough for a stable per-call figure of a sub-millisecond function. */
const GESTURE_CALLS = 5000;

/** What the gesture classifier costs per hand, on real hands (a frame's keypoints). */
export function gestureCost(hands: readonly HandResult[], model: GestureModel): BenchReport['gestures'] {
  if (hands.length === 0) return undefined;
  for (let i = 0; i < 200; i++) classifyGesture(hands[i % hands.length], model); // JIT warm-up
  const t0 = performance.now();
  for (let i = 0; i < GESTURE_CALLS; i++) classifyGesture(hands[i % hands.length], model);
  return { msPerHand: (performance.now() - t0) / GESTURE_CALLS, calls: GESTURE_CALLS };
}

export const DEFAULT_BENCH_IMAGE = join(REPO_ROOT, 'tests/fixtures/hands.jpg');
export const DEFAULT_BENCH_VIDEO = join(REPO_ROOT, 'tests/fixtures/asl_hand.25fps.mp4');

/** Bytes of the model files a pipeline with this config downloads (from models/manifest.json). */
export async function weightBytesFor(config: PipelineConfig): Promise<number> {
  const manifest = JSON.parse(await readFile(join(MODELS_DIR, 'manifest.json'), 'utf8')) as ModelManifest;
  const used = [
    palmModelName(config.detector.palmModel),
    landmarkModelName(config.landmarks.variant),
    ...(config.detector.boxFallback ? [BOX_DETECTOR_MODEL] : []),
    ...(config.mesh?.enabled ? [HAND_MODEL_NAME] : []),
    ...(config.heads?.enabled ? [HEADS_MODEL] : []),
    ...(config.gestures?.enabled ? [GESTURE_MODEL_NAME] : []),
  ];
  return totalBytes(manifest, used);
}

const ms = (v: number) => v.toFixed(1).padStart(7);

/** The table printed by `hands bench` and the page's bench mode. */
export function formatBench(r: BenchReport): string {
  const lines = [
    `hands bench: ${r.runtime}, backend ${r.backend}, ${r.cpu}`,
    `weights ${(r.weightBytes / 1e6).toFixed(2)} MB, model load ${r.modelLoadMs.toFixed(0)} ms, time to first result ${r.timeToFirstResultMs.toFixed(0)} ms (cold, incl. load)`,
    '',
    'scenario                        frames  stage         median     p90',
  ];
  for (const s of r.scenarios) {
    const label = `${s.name} (${s.mode})`.padEnd(31);
    // the mesh stage (fit + skinning of all hands) only when it ran
    const stages =
      r.config.mesh?.enabled && s.stages.meshMs && s.stages.meshMs.p90 > 0
        ? (['inputMs', 'detectMs', 'landmarksMs', 'postMs', 'meshMs', 'totalMs'] as const)
        : (['inputMs', 'detectMs', 'landmarksMs', 'postMs', 'totalMs'] as const);
    stages.forEach((k, i) =>
      lines.push(
        `${i === 0 ? label : ''.padEnd(31)} ${i === 0 ? String(s.frames).padStart(6) : ''.padStart(6)}  ${k.replace('Ms', '').padEnd(11)} ${ms(s.stages[k].median)} ${ms(s.stages[k].p90)}` +
          (k === 'meshMs' && s.handsMedian > 0
            ? `   <- ${(s.stages.meshMs.median / s.handsMedian).toFixed(1)} ms per hand (at most ${r.config.mesh.iterations} iterations, fewer once converged)`
            : ''),
      ),
    );
    lines.push(
      `${''.padEnd(31)} ${''.padStart(6)}  ${'lm-only'.padEnd(11)} ${ms(s.landmarkOnly.median)} ${ms(s.landmarkOnly.p90)}   <- MediaPipe landmark model alone, same run`,
    );
    lines.push(
      `${''.padEnd(39)}ratio total / landmark-only: ${s.ratioToLandmarkOnly.toFixed(2)}x; hands/frame ${s.handsMedian}${s.handsMedian > 0 ? ` (landmarks ${(s.stages.landmarksMs.median / s.handsMedian).toFixed(1)} ms per hand)` : ''}; palm detector on ${(100 * s.detectorRate).toFixed(0)} % of frames, box detector on ${(100 * s.boxDetectorRate).toFixed(0)} %`,
    );
  }
  if (r.gestures)
    lines.push(
      '',
      `gestures: ${(r.gestures.msPerHand * 1000).toFixed(1)} us per hand (classifyGesture on the photo's hands, ${r.gestures.calls} calls; inside the post stage)`,
    );
  if (r.oneThread) {
    lines.push('', `threads (same run, a page each): ${r.oneThread.threads} vs ${r.threads ?? '?'}`);
    for (const one of r.oneThread.scenarios) {
      const many = r.scenarios.find((s) => s.name === one.name);
      if (many)
        lines.push(
          `  ${one.name.padEnd(29)} total median ${ms(one.totalMedian)} -> ${ms(many.stages.totalMs.median)} ms: ${(one.totalMedian / many.stages.totalMs.median).toFixed(2)}x`,
        );
    }
  }
  const m = r.memory;
  lines.push(
    '',
    `memory: tensors ${m.tensorsBefore} -> ${m.tensorsAfter}` +
      (m.heapBeforeMB !== undefined ? `, JS heap ${m.heapBeforeMB.toFixed(1)} -> ${m.heapAfterMB!.toFixed(1)} MB` : ''),
  );
  return lines.join('\n');
}

export async function bench(opts: BenchCliOptions): Promise<BenchReport> {
  const config = resolveConfig(opts.config);
  const t0 = performance.now();
  const pipeline = await createNodePipeline(config);
  const modelLoadMs = performance.now() - t0;
  const img = await decodeImageFile(opts.image);
  const first = await pipeline.estimate(img.tensor, { mode: 'image' });
  const timeToFirstResultMs = performance.now() - t0;
  const weightBytes = await weightBytesFor(config);

  const video = decodeVideo(opts.video, opts.frames + opts.warmup);
  const videoFrames = video.frames.map((f) => tf.tensor3d(f, [video.height, video.width, 3], 'int32'));
  const scenarios: BenchScenario[] = [
    { name: `video ${video.width}x${video.height}`, mode: 'video', frames: videoFrames, fps: video.fps },
    { name: `photo ${img.width}x${img.height}`, mode: 'image', frames: [img.tensor] },
  ];
  const memory: MemoryReport = { tensorsBefore: tf.memory().numTensors, tensorsAfter: 0, heapBeforeMB: process.memoryUsage().heapUsed / 2 ** 20 };
  const reports: ScenarioReport[] = [];
  for (const sc of scenarios) {
    if (opts.videoConfig) await pipeline.setConfig(sc.mode === 'video' ? opts.videoConfig : opts.config);
    opts.log(`bench: ${sc.name} (${sc.mode}), ${opts.warmup} warm-up + ${opts.frames} frames...`);
    reports.push(await benchScenario(pipeline, sc, { frames: opts.frames, warmup: opts.warmup }));
  }
  memory.tensorsAfter = tf.memory().numTensors;
  memory.heapAfterMB = process.memoryUsage().heapUsed / 2 ** 20;
  tf.dispose(videoFrames);
  img.tensor.dispose();
  pipeline.dispose();
  const report: BenchReport = {
    tool: 'hands bench',
    runtime: `Node ${process.version}`,
    backend: `${pipeline.backend.name} (${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD'}, ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'threads' : '1 thread'})`,
    cpu: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`,
    config,
    weightBytes,
    modelLoadMs,
    timeToFirstResultMs,
    scenarios: reports,
    memory,
    gestures: config.gestures.enabled
      ? gestureCost(first.hands, await loadGestureModel(new NodeFileSource(MODELS_DIR), JSON.parse(await readFile(join(MODELS_DIR, 'manifest.json'), 'utf8'))))
      : undefined,
  };
  return report;
}
