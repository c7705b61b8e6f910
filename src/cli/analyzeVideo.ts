import * as tf from '@tensorflow/tfjs-core';
import type { HandPipeline } from '../core/pipeline';
import { scaleFrameResult } from '../core/scaleResult';
import type { FrameResult } from '../core/types';
import type { VideoReport } from './analyzeReport';
import { FrameSpool } from './frameSpool';
import { ProgressLine } from './progressLine';
import { OverlayVideoWriter } from './videoOverlay';
import { probeVideo, videoFrames } from './videoStream';

export interface AnalyzeVideoOptions {
  /** Spool one JSON entry per frame (for --json). */
  json: boolean;
  /** The overlay video's path (.mp4, .webm, ...), if asked for. */
  overlay?: string;
  /** The progress line and the summary (off with --quiet). */
  verbose: boolean;
  log: (line: string) => void;
}

/** One frame in the JSON report: the image report's per-hand fields, plus time and gesture events. */
function frameEntry(index: number, timestampMs: number, r: FrameResult): unknown {
  return {
    index,
    timestampMs: Math.round(timestampMs * 1000) / 1000,
    hands: r.hands.map(({ heatmaps: _h, mask: _m, ...h }) => h),
    gestureEvents: r.gestureEvents,
    detectorRan: r.detectorRan,
    boxDetectorRan: r.boxDetectorRan,
    timings: r.timings,
  };
}

/**
 * Analyses a video as the page does a playing one: every frame in video mode (tracking, One Euro
 * smoothing, gesture events), timestamps from the file. Frames stream from ffmpeg and results go
 * to a spool and the overlay encoder as they come, so memory stays flat. On any error nothing is
 * left behind: the spool is dropped and the partial overlay removed; the error is thrown.
 * The mesh stage is off for the video (as the page and `qualityConfig('video')` do) and restored.
 */
export async function analyzeVideo(file: string, p: HandPipeline, opts: AnalyzeVideoOptions): Promise<VideoReport> {
  const info = await probeVideo(file);
  const spool = opts.json ? await FrameSpool.create() : undefined;
  let overlay: OverlayVideoWriter | undefined;
  const before = p.currentConfig;
  const progress = new ProgressLine(file, info.timestampsMs.length, process.stderr, opts.verbose);
  try {
    if (before.mesh.enabled) await p.setConfig({ mesh: { enabled: false } });
    if (opts.overlay) overlay = await OverlayVideoWriter.open(opts.overlay, info.analysisWidth, info.analysisHeight, info.fps);
    p.reset();
    const t0 = performance.now();
    let frames = 0;
    let withHands = 0;
    let backend = '';
    for await (const f of videoFrames(info)) {
      const tensor = tf.tensor3d(f.rgb, [info.analysisHeight, info.analysisWidth, 3], 'int32');
      let result: FrameResult;
      try {
        result = scaleFrameResult(await p.estimate(tensor, { mode: 'video', timestampMs: f.timestampMs }), info.scale, info.width, info.height);
      } finally {
        tensor.dispose();
      }
      await spool?.append(frameEntry(f.index, f.timestampMs, result));
      await overlay?.write(f.rgb, result, 1 / info.scale);
      frames++;
      if (result.hands.length) withHands++;
      backend = result.backend;
      progress.update(frames);
    }
    progress.end();
    if (overlay) {
      const o = overlay;
      overlay = undefined;
      try {
        await o.finish();
      } catch (err) {
        throw new OutputError(o.target, err as Error);
      }
    }
    const ms = (performance.now() - t0) / Math.max(1, frames);
    opts.log(
      `${file}: ${frames} frames ${info.width}x${info.height} @ ${info.fps.toFixed(2)} fps, hands in ${withHands} [${ms.toFixed(0)} ms/frame, ${backend}]${opts.overlay ? `; overlay ${opts.overlay}` : ''}`,
    );
    return { file, width: info.width, height: info.height, fps: info.fps, frameCount: frames, frames: spool };
  } catch (err) {
    progress.end();
    await overlay?.abort();
    await spool?.dispose();
    throw err;
  } finally {
    p.reset();
    if (before.mesh.enabled) await p.setConfig({ mesh: { enabled: true } });
  }
}

/** The overlay video could not be written (exit code 6, not 3: the input was fine). */
export class OutputError extends Error {
  constructor(
    readonly path: string,
    cause: Error,
  ) {
    super(`could not write ${path}: ${cause.message}`, { cause });
  }
}
