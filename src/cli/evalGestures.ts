/**
 * `hands eval` on a labelled gesture set (eval/gestures/real-set.json): the gesture of every
 * labelled hand from two keypoint sources in the same run, scored by the same code:
 *  - 'landmark keypoints': MediaPipe's path (quality fast: the landmark network's 2D and 3D);
 *  - 'ours': the configuration asked for (default quality best: the heads' fused 2D, the mesh's 3D).
 * A labelled hand no detection covers counts as wrong ('missed'); 'skip' hands are not scored.
 */
import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import { qualityConfig, resolveConfig, type DeepPartial, type PipelineConfig } from '../core/config';
import { GESTURE_LABELS, type GestureLabel } from '../core/gesture/types';
import { scoreGestures, type GestureScores } from '../core/metrics/gestures';
import type { HandResult } from '../core/types';
import { scaleFrameResult } from '../core/scaleResult';
import { writeJsonFile } from './atomicWrite';
import { decodeImageFile } from './decodeImage';
import { decodeVideo, type RawVideo } from './decodeVideo';
import { n } from './eval/figures';
import { loadGestureSet, type GestureSample } from './eval/gestureSet';
import { confusionMatrixSvg, writeSvgPng } from './eval/plots';
import { createNodePipeline } from './nodePipeline';

export interface GestureEvalOptions {
  dataset: string;
  limit?: number;
  out?: string;
  imagesDir?: string;
  config: DeepPartial<PipelineConfig>;
  log: (line: string) => void;
}

export interface GestureRow {
  name: 'landmark' | 'ours';
  label: string;
  description: string;
  scores: GestureScores;
  /** Labelled hands no detection covered (counted wrong in `scores`). */
  missed: number;
  msMedian: number;
}

export interface GestureEvalReport {
  tool: 'hands eval (gestures)';
  dataset: {
    path: string;
    images: number;
    hands: number;
    perLabel: Record<string, number>;
    perSource: Record<string, number>;
    skipped: { image: string; reason: string }[];
  };
  rows: GestureRow[];
  /** Per hand: the truth and each row's prediction (for reading the errors). */
  cases: { image: string; truth: GestureLabel; predicted: Record<string, GestureLabel | 'missed'> }[];
  plots: string[];
}

/** The detected hand a labelled point lies in: inside its keypoint box (grown 15 %), nearest box centre first. */
export function matchHand(hands: readonly HandResult[], point: readonly [number, number]): HandResult | undefined {
  let best: HandResult | undefined;
  let bestD = Infinity;
  for (const h of hands) {
    const grow = 0.15 * Math.max(h.box.xMax - h.box.xMin, h.box.yMax - h.box.yMin);
    if (point[0] < h.box.xMin - grow || point[0] > h.box.xMax + grow || point[1] < h.box.yMin - grow || point[1] > h.box.yMax + grow) continue;
    const d = Math.hypot(point[0] - (h.box.xMin + h.box.xMax) / 2, point[1] - (h.box.yMin + h.box.yMax) / 2);
    if (d < bestD) [best, bestD] = [h, d];
  }
  return best;
}

async function frameTensor(s: GestureSample, videos: Map<string, RawVideo>): Promise<{ tensor: tf.Tensor3D; scale: number; width: number; height: number }> {
  if (s.frame === undefined) return decodeImageFile(s.file);
  let v = videos.get(s.file);
  if (!v) {
    v = decodeVideo(s.file);
    videos.set(s.file, v);
  }
  const data = v.frames[s.frame];
  if (!data) throw new Error(`${s.image}: the video has ${v.frames.length} frames`);
  return { tensor: tf.tensor3d(data, [v.height, v.width, 3], 'int32'), scale: 1, width: v.width, height: v.height };
}

export async function evaluateGestures(opts: GestureEvalOptions): Promise<GestureEvalReport> {
  const set = await loadGestureSet(opts.dataset, opts.imagesDir, opts.limit);
  const variant = resolveConfig(opts.config).landmarks.variant;
  const rows: Array<{ name: GestureRow['name']; label: string; description: string; config: DeepPartial<PipelineConfig> }> = [
    {
      name: 'landmark',
      label: 'landmark keypoints',
      description: "MediaPipe's path (--quality fast): the landmark network's 2D and 3D keypoints",
      config: { ...opts.config, ...qualityConfig('fast', variant, 'still'), mesh: { enabled: false, keypoints3d: false } },
    },
    {
      name: 'ours',
      label: 'ours',
      description: "the configuration asked for (default --quality best: heads-fused 2D, the fitted mesh's 3D keypoints)",
      config: opts.config,
    },
  ];
  const videos = new Map<string, RawVideo>();
  const labelled = set.samples.flatMap((s) => s.hands.filter((h) => h.label !== 'skip').map((h) => ({ s, h })));
  const predicted = labelled.map(() => ({}) as Record<string, GestureLabel | 'missed'>);
  const out: GestureRow[] = [];
  for (const row of rows) {
    const pipeline = await createNodePipeline(row.config);
    const ms: number[] = [];
    try {
      let k = 0;
      for (const s of set.samples) {
        const img = await frameTensor(s, videos);
        const t0 = performance.now();
        let hands: HandResult[];
        try {
          hands = scaleFrameResult(await pipeline.estimate(img.tensor, { mode: 'image' }), img.scale, img.width, img.height).hands;
        } finally {
          img.tensor.dispose();
        }
        ms.push(performance.now() - t0);
        for (const h of s.hands) {
          if (h.label === 'skip') continue;
          const hand = matchHand(hands, h.point);
          predicted[k++][row.name] = hand?.gesture?.label ?? 'missed';
        }
        opts.log(
          `${row.label}: ${s.image}: ${s.hands.map((h) => h.label).join(', ')} -> ${s.hands.map((h) => (h.label === 'skip' ? '-' : (matchHand(hands, h.point)?.gesture?.label ?? 'missed'))).join(', ')}`,
        );
      }
    } finally {
      pipeline.dispose();
    }
    const pairs = labelled.map(({ h }, i) => ({ truth: h.label as GestureLabel, predicted: predicted[i][row.name] }));
    const missed = pairs.filter((p) => p.predicted === 'missed').length;
    const scores = scoreGestures(
      GESTURE_LABELS,
      pairs.map((p) => ({ truth: p.truth, predicted: p.predicted === 'missed' ? null : p.predicted })),
    );
    ms.sort((a, b) => a - b);
    out.push({ name: row.name, label: row.label, description: row.description, scores, missed, msMedian: ms[Math.floor(ms.length / 2)] ?? Number.NaN });
  }
  const count = (key: (x: (typeof labelled)[number]) => string) =>
    labelled.reduce<Record<string, number>>((a, x) => {
      a[key(x)] = (a[key(x)] ?? 0) + 1;
      return a;
    }, {});
  const plots: string[] = [];
  if (opts.out) {
    for (const r of out) {
      const file = join(opts.out, `confusion-${r.name}.png`);
      await writeSvgPng(
        confusionMatrixSvg(
          `${r.label}: ${(r.scores.accuracy * 100).toFixed(1)} % of ${r.scores.total} real hands`,
          GESTURE_LABELS,
          [...GESTURE_LABELS, 'missed'],
          r.scores.counts,
        ),
        file,
      );
      plots.push(file);
    }
  }
  const report: GestureEvalReport = {
    tool: 'hands eval (gestures)',
    dataset: {
      path: set.path,
      images: set.samples.length,
      hands: labelled.length,
      perLabel: count((x) => x.h.label),
      perSource: count((x) => x.s.source),
      skipped: set.skipped,
    },
    rows: out,
    cases: labelled.map(({ s, h }, i) => ({ image: s.image, truth: h.label as GestureLabel, predicted: predicted[i] })),
    plots,
  };
  if (opts.out) await writeJsonFile(join(opts.out, 'report.json'), report);
  return report;
}

export function formatGestureEval(r: GestureEvalReport): string {
  const d = r.dataset;
  const lines = [
    `hands eval: gestures, ${d.path}: ${d.hands} labelled hands in ${d.images} images/frames`,
    `per label: ${Object.entries(d.perLabel)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    '',
  ];
  lines.push(`${'keypoints'.padEnd(20)} accuracy  correct  missed  ms/img   ${GESTURE_LABELS.map((l) => l.slice(0, 7).padStart(8)).join('')}`);
  for (const row of r.rows) {
    const s = row.scores;
    lines.push(
      `${row.label.padEnd(20)} ${n(s.accuracy * 100, 1, 7)} % ${String(s.correct).padStart(4)}/${String(s.total).padEnd(4)} ${String(row.missed).padStart(6)} ${n(row.msMedian, 0, 7)}   ${s.recall.map((v) => n(v * 100, 0, 8)).join('')}`,
    );
  }
  lines.push('per-label columns: recall (%), - where the set has none of that label; a hand no detection covers counts as wrong (missed).');
  for (const row of r.rows) lines.push(`${row.label}: ${row.description}`);
  if (d.skipped.length) lines.push(`skipped ${d.skipped.length} sample(s): ${d.skipped[0].reason}`);
  if (r.plots.length) lines.push(`confusion matrices: ${r.plots.join(', ')}`);
  return lines.join('\n');
}
