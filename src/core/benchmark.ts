import * as tf from '@tensorflow/tfjs-core';
import type { RotatedRect } from './geometry/rect';
import type { FrameInput, HandPipeline } from './pipeline';
import { summarize, type Summary } from './stats';
import type { FrameTimings } from './types';

/**
 * The benchmark loop, shared by `hands bench` (Node, WASM) and the page's bench mode (WebGL /
 * WebGPU), so both measure the same thing: per-stage latency of the full pipeline and, in the same
 * run, of the MediaPipe landmark model alone (crop + network + read-back) as the baseline.
 */
export interface BenchScenario {
  name: string;
  mode: 'video' | 'image';
  /** Frames to cycle through (video frames in order, or one still image). */
  frames: FrameInput[];
  /** Frame rate for video timestamps. */
  fps?: number;
}

export interface ScenarioReport {
  name: string;
  mode: 'video' | 'image';
  frames: number;
  warmup: number;
  stages: Record<keyof FrameTimings, Summary>;
  /** Median hands per frame and how often the palm / box detector ran. */
  handsMedian: number;
  detectorRate: number;
  boxDetectorRate: number;
  /** The landmark model alone on the same frames (one crop per frame), same run. */
  landmarkOnly: Summary;
  /** Full-pipeline median total / landmark-only median. */
  ratioToLandmarkOnly: number;
}

export interface BenchOptions {
  frames: number;
  warmup: number;
  onProgress?: (done: number, total: number) => void;
}

/** Tensors and JS heap before and after the runs (heap only where the runtime exposes it). */
export interface MemoryReport {
  tensorsBefore: number;
  tensorsAfter: number;
  heapBeforeMB?: number;
  heapAfterMB?: number;
}

export async function benchScenario(pipeline: HandPipeline, sc: BenchScenario, opts: BenchOptions): Promise<ScenarioReport> {
  const fps = sc.fps ?? 30;
  const at = (i: number) => sc.frames[i % sc.frames.length];
  pipeline.reset();
  const timings: FrameTimings[] = [];
  const hands: number[] = [];
  let detectorRuns = 0;
  let boxRuns = 0;
  const total = opts.warmup + opts.frames;
  const rois: RotatedRect[] = [];
  for (let i = 0; i < total; i++) {
    const r = await pipeline.estimate(at(i), { mode: sc.mode, timestampMs: (i * 1000) / fps });
    if (i >= opts.warmup) {
      timings.push(r.timings);
      hands.push(r.hands.length);
      if (r.detectorRan) detectorRuns++;
      if (r.boxDetectorRan) boxRuns++;
    }
    rois[i % sc.frames.length] = r.hands[0]?.roi ?? rois[i % sc.frames.length];
    opts.onProgress?.(i + 1, 2 * total);
  }
  // baseline: the landmark network alone on the same frames, on the crop the pipeline used
  const lmOnly: number[] = [];
  const fallbackRoi = (f: FrameInput): RotatedRect => {
    const [h, w] = f instanceof tf.Tensor ? f.shape : [(f as { height: number }).height, (f as { width: number }).width];
    return { cx: w / 2, cy: h / 2, width: Math.min(w, h), height: Math.min(w, h), rotation: 0 };
  };
  for (let i = 0; i < total; i++) {
    const f = at(i);
    const ms = await pipeline.timeLandmarksOnly(f, rois[i % sc.frames.length] ?? fallbackRoi(f));
    if (i >= opts.warmup) lmOnly.push(ms);
    opts.onProgress?.(total + i + 1, 2 * total);
  }
  const keys: Array<keyof FrameTimings> = ['inputMs', 'detectMs', 'landmarksMs', 'postMs', 'meshMs', 'totalMs'];
  const stages = Object.fromEntries(keys.map((k) => [k, summarize(timings.map((t) => t[k]))])) as Record<keyof FrameTimings, Summary>;
  const landmarkOnly = summarize(lmOnly);
  return {
    name: sc.name,
    mode: sc.mode,
    frames: opts.frames,
    warmup: opts.warmup,
    stages,
    handsMedian: summarize(hands).median,
    detectorRate: detectorRuns / opts.frames,
    boxDetectorRate: boxRuns / opts.frames,
    landmarkOnly,
    ratioToLandmarkOnly: stages.totalMs.median / landmarkOnly.median,
  };
}
