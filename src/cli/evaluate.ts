/**
 * `hands eval`: accuracy of the page's pipeline on an annotated data set, with two baselines on the
 * same images, scored by the same code: the real MediaPipe Hands web solution (in headless
 * chromium, cached; the peer to beat) and the MediaPipe landmark network alone. Prints a table
 * (eval/format.ts), writes report.json, plots (PNG) and worst-case contact sheets to --out, and
 * per-image predictions to --dump-predictions.
 */
import * as tf from '@tensorflow/tfjs-core';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, type DeepPartial, type PipelineConfig } from '../core/config';
import { HandsError } from '../core/errors';
import type { Vec2 } from '../core/metrics/keypoints2d';
import { finiteMean, finiteMedian } from '../core/metrics/stats';
import { summariseKeypoints, type KeypointSummary } from '../core/metrics/summary';
import { loadDataset } from './eval/load';
import { n, writeFigures } from './eval/figures';
import type { MaskPolarity } from './eval/masks';
import { SEGMENTERS, type SegmentationCase, type Segmenter } from './eval/segmentation';
import { summariseMasks, type MaskSummary } from '../core/metrics/masks';
import { BASELINE_BOX_SCALE, MATCH_MAX_ERROR, methodsIn, ON_MASK_MIN, runSample, type MethodName, type SampleResult, type WristSource } from './eval/run';
import type { DatasetFormat, EvalDataset } from './eval/types';
import { writeFileAtomic } from './atomicWrite';
import { EXIT } from './exitCodes';
import { createNodePipeline } from './nodePipeline';
import { writeOutput } from './outputFailure';
import { mediapipeWebBaseline, mediapipeWebLabel, type MediapipeWebRun } from './eval/mediapipeWebBaseline';
import { mediapipeWebHands } from './eval/mediapipeWebConvert';

export interface EvalCliOptions {
  dataset: string;
  format: DatasetFormat | 'auto';
  limit?: number;
  out?: string;
  dumpPredictions?: string;
  imagesDir?: string;
  maskPolarity?: MaskPolarity;
  config: DeepPartial<PipelineConfig>;
  /** Run the MediaPipe Hands web baseline row (default true; --no-mediapipe-web). */
  mediapipeWeb?: boolean;
  /** Where its predictions are cached (default .cache/mediapipe-web/). */
  mediapipeWebCacheDir?: string;
  log: (line: string) => void;
}

/**
 * What `hands eval` measures on a data set, by its ground truth: keypoint sets (every format but
 * masks) score the joints; image + mask sets score hands on the GT mask and the masks themselves.
 */
export type EvalKind =
  | {
      kind: 'keypoints';
      /** Every sample is a crop centred on one hand: the landmark-only row sees the whole crop. */
      crop: boolean;
    }
  | { kind: 'masks'; polarity?: MaskPolarity };

/** The kind of a loaded data set; `polarity` (--mask-polarity) is kept for mask sets, which read their masks again for the figures. */
export function evalKind(dataset: EvalDataset, polarity?: MaskPolarity): EvalKind {
  return dataset.format === 'masks' ? { kind: 'masks', polarity } : { kind: 'keypoints', crop: dataset.samples.every((s) => s.crop) };
}

/** Whose wrist cut the hand-only figures of how many images ('none': no hand on the mask, not cut). */
export type HandOnlyWrists = Partial<Record<WristSource | 'none', number>>;

export interface MaskSetSummary {
  images: number;
  /** Images with a predicted hand on the GT mask (>= half its keypoints). */
  found: number;
  detectionRate: number;
  falsePositivesPerImage: number;
  /** Mean fraction of the best hand's keypoints on the GT mask (0 for images without a hand). */
  meanOnMask: number;
  meanPresence: number;
  /** Mean fraction of GT mask pixels left after cutting at this method's found hand's wrist (over the images it found a hand in). */
  handOnlyKept: number;
}

export interface MethodReport {
  name: MethodName;
  /** The row's label in the printed tables. */
  label: string;
  description: string;
  keypoints?: KeypointSummary;
  /** Mean (pred - GT) over found hands, pixels: a constant offset hints at a coordinate-convention gap. */
  bias2dPx?: Vec2;
  masks?: MaskSetSummary;
  /** Median milliseconds per image (pipeline; MediaPipe web: in chromium, the run that filled the cache) or per crop (landmark-only), this machine. */
  msMedian: number;
}

export interface EvalReport {
  tool: 'hands eval';
  runtime: string;
  backend: string;
  cpu: string;
  config: PipelineConfig;
  dataset: { path: string; format: DatasetFormat; name: string; images: number; hands: number; hands3d: number; notes: string[] };
  methods: MethodReport[];
  /** When the tables count a hand as found. */
  foundRule: string;
  /** Hands every method found: the like-for-like comparison. */
  paired?: { hands: number; meanPx: Record<string, number>; paMpjpeMm: Record<string, number> };
  mask: { status: string; note?: string; handOnlyWrist?: HandOnlyWrists };
  /** The MediaPipe Hands web row: measured now, from the cache, skipped (note says why) or off. */
  mediapipeWeb: { status: MediapipeWebRun['status']; note?: string; package?: string; options?: MediapipeWebRun['options']; failedImages: number };
  /** Segmentation against the GT masks (masks format): the heads' mask and the skin-colour baseline. */
  segmentation?: Array<{ name: Segmenter; raw: MaskSummary; handOnly: MaskSummary }>;
  plots: string[];
  errors: { image: string; message: string }[];
  cases: unknown[];
}

const DESCRIPTIONS: Record<MethodName, (kind: EvalKind) => string> = {
  pipeline: () =>
    'full pipeline: palm detection (+ box-detector fallback) -> rotated ROI -> landmarks (+ the multi-task heads, keypoints fused where they agree, unless --quality fast), image mode',
  'landmark-only': (kind) =>
    kind.kind === 'keypoints' && kind.crop
      ? 'MediaPipe landmark network alone on the whole crop resized to 224 (no detection)'
      : `MediaPipe landmark network alone on an upright square ${BASELINE_BOX_SCALE}x the GT ${kind.kind === 'masks' ? 'mask' : 'hand'} box's longer side around its centre (no detection; uses the GT box; upright: not rotated to the hand)`,
  'mediapipe-web': () =>
    'the real MediaPipe Hands web solution (npm @mediapipe/hands, its own WASM graph: palm detector -> landmarks, CPU inference) in headless chromium on the whole image, a black frame before each image so none is tracked from the last; ms/img = its send() in chromium',
  mesh: () =>
    "the fitted hand mesh's own 21 keypoints (pipeline + mesh stage): projected with the mesh's camera (2D), wrist-relative (3D); ms/img = the mesh stage alone",
};

function summariseMaskSet(results: readonly SampleResult[], m: MethodName): MaskSetSummary {
  const cases = results.map((r) => r.methods[m]);
  const found = cases.filter((c) => c.mask!.found).length;
  return {
    images: cases.length,
    found,
    detectionRate: cases.length ? found / cases.length : Number.NaN,
    falsePositivesPerImage: cases.length ? cases.reduce((a, c) => a + c.mask!.falsePositives, 0) / cases.length : Number.NaN,
    meanOnMask: finiteMean(cases.map((c) => c.mask!.onMask)),
    meanPresence: finiteMean(cases.flatMap((c) => (c.hands.length ? [Math.max(...c.hands.map((h) => h.score))] : []))),
    handOnlyKept: finiteMean(cases.map((c) => c.mask!.handOnlyKept ?? Number.NaN)),
  };
}

function methodReport(results: readonly SampleResult[], m: MethodName, kind: EvalKind, label: string): MethodReport {
  const head = { name: m, label, description: DESCRIPTIONS[m](kind) };
  const msMedian = finiteMedian(results.map((r) => r.methods[m].ms));
  switch (kind.kind) {
    case 'masks':
      return { ...head, masks: summariseMaskSet(results, m), msMedian };
    case 'keypoints': {
      const recs = results.flatMap((r) => r.methods[m].gt);
      const found = recs.filter((r) => r.found);
      return {
        ...head,
        keypoints: summariseKeypoints(recs),
        bias2dPx: [finiteMean(found.map((r) => r.bias[0])), finiteMean(found.map((r) => r.bias[1]))],
        msMedian,
      };
    }
  }
}

/** The rule behind the tables' found column, with the pixel bound where every GT hand has the same normaliser (crop sets: e.g. hgcnn's 256 px crops -> 128 px). */
function foundRule(kind: EvalKind, results: readonly SampleResult[]): string {
  switch (kind.kind) {
    case 'masks':
      return `a hand with >= ${ON_MASK_MIN * 100}% of its 21 keypoints on the GT mask`;
    case 'keypoints': {
      const norms = new Set(results.flatMap((r) => r.gtHands.map((h) => h.normaliser)));
      const px = norms.size === 1 ? `, here < ${n(MATCH_MAX_ERROR * [...norms][0], 0, 0)} px` : '';
      return `a prediction matched to the GT hand, its mean joint error < ${MATCH_MAX_ERROR} x the normaliser (${kind.crop ? 'crop side' : 'GT box longer side'})${px}; landmark-only has one crop per GT hand, so no found figure (-)`;
    }
  }
}

function paired(results: readonly SampleResult[]): EvalReport['paired'] {
  const methods = methodsIn(results);
  const both = results.flatMap((r) => r.gtHands.map((_, i) => methods.map((m) => r.methods[m].gt[i]))).filter((hs) => hs.every((h) => h.found));
  if (both.length === 0) return undefined;
  const meanPx: Record<string, number> = {};
  const pa: Record<string, number> = {};
  methods.forEach((m, j) => {
    meanPx[m] = finiteMean(both.flatMap((hs) => hs[j].errors2d));
    pa[m] = finiteMean(both.flatMap((hs) => hs[j].errorsPa ?? []));
  });
  return { hands: both.length, meanPx, paMpjpeMm: pa };
}

function compactCase(r: SampleResult, kind: EvalKind): unknown {
  const per = (m: MethodName) => {
    switch (kind.kind) {
      case 'masks':
        return r.methods[m].mask;
      case 'keypoints':
        return r.methods[m].gt.map((g) => ({
          found: g.found,
          meanPx: Number.isFinite(g.meanPx) ? +g.meanPx.toFixed(3) : null,
          paMm: Number.isFinite(g.paMeanMm) ? +g.paMeanMm.toFixed(2) : null,
        }));
    }
  };
  return { id: r.id, image: r.image, ...Object.fromEntries(Object.keys(r.methods).map((m) => [m, per(m as MethodName)])) };
}

function predictionsJson(dataset: EvalDataset, results: readonly SampleResult[]): string {
  const r6 = (v: number) => Math.round(v * 1e6) / 1e6;
  return `${JSON.stringify({
    tool: 'hands eval --dump-predictions',
    dataset: dataset.path,
    format: dataset.format,
    units: {
      keypoints2d: 'source-image pixels, x right, y down (pixel i covers [i, i+1))',
      keypoints3d: 'metres, image axes, relative to the wrist',
      mask: "not written here (hands analyze --mask writes the heads' mask): always null",
    },
    keypointNames: 'MediaPipe 21: wrist, thumb_cmc..thumb_tip, index_finger_mcp..tip, middle, ring, pinky',
    images: results.map((r) => ({
      id: r.id,
      image: r.image,
      width: r.width,
      height: r.height,
      methods: Object.fromEntries(
        methodsIn(results).map((m) => [
          m,
          {
            hands: r.methods[m].hands.map((h) => ({
              score: r6(h.score),
              handedness: h.handedness,
              keypoints2d: h.keypoints2d.map(([x, y]) => [r6(x), r6(y)]),
              keypoints3d: h.keypoints3d.map((p) => p.map((v) => r6(v / 1000))),
              roi: h.roi,
            })),
          },
        ]),
      ),
      mask: null,
    })),
  })}\n`;
}

/** The report's fields that depend on the kind of data set (mask sets: the mask's status and the segmentation). */
function kindReport(kind: EvalKind, results: readonly SampleResult[]): Pick<EvalReport, 'paired' | 'mask' | 'segmentation'> {
  switch (kind.kind) {
    case 'keypoints':
      return { paired: paired(results), mask: { status: 'not measured on this format (no GT masks)' } };
    case 'masks': {
      const kept = finiteMean(results.map((r) => r.handOnlyCut?.kept ?? Number.NaN));
      const handOnlyWrist: HandOnlyWrists = {};
      for (const r of results) {
        const from = r.handOnlyCut?.from ?? 'none';
        handOnlyWrist[from] = (handOnlyWrist[from] ?? 0) + 1;
      }
      return {
        paired: undefined,
        mask: {
          status: 'multi-task heads (models/hiu-heads.*), thresholded at 0.5, all hands of an image together',
          note: `GT polarity ${kind.polarity ?? 'auto'} (BMP: dark = hand); the hand-only GT keeps ${(100 * kept).toFixed(0)}% of the GT mask pixels on average; baseline: a YCrCb skin-colour rule, same images`,
          handOnlyWrist,
        },
        segmentation: SEGMENTERS.filter((name) => results.some((r) => r.segmentation?.[name])).map((name) => {
          const cases = results.map((r) => r.segmentation?.[name]).filter((c): c is SegmentationCase => Boolean(c));
          return { name, raw: summariseMasks(cases.map((c) => c.raw)), handOnly: summariseMasks(cases.map((c) => c.handOnly)) };
        }),
      };
    }
  }
}

export async function evaluate(opts: EvalCliOptions): Promise<{ report: EvalReport; code: number }> {
  const dataset = await loadDataset(opts.dataset, opts.format, { limit: opts.limit, imagesDir: opts.imagesDir });
  if (dataset.samples.length === 0)
    throw new HandsError('unsupported-file', `${opts.dataset}: no samples with ground truth found (${dataset.format})`, 'Check --format and the files.');
  const kind = evalKind(dataset, opts.maskPolarity);
  const hands = dataset.samples.reduce((a, s) => a + s.hands.length, 0);
  opts.log(`eval: ${dataset.name} (${dataset.format}): ${dataset.samples.length} images${kind.kind === 'masks' ? '' : `, ${hands} hands`}`);
  // mask sets measure the multi-task heads' mask (models/hiu-heads.*, shipped with the repository)
  const config = resolveConfig(kind.kind === 'masks' ? { ...opts.config, heads: { ...opts.config.heads, enabled: true } } : opts.config);
  // the real MediaPipe web solution first, in chromium (or from its cache), before our pipeline loads
  const mp: MediapipeWebRun =
    opts.mediapipeWeb === false
      ? { status: 'off' }
      : await mediapipeWebBaseline(
          dataset.samples.map((s) => s.image),
          { maxHands: config.maxHands, variant: config.landmarks.variant, cacheDir: opts.mediapipeWebCacheDir, log: opts.log },
        );
  if (mp.status === 'skipped') opts.log(`eval: MediaPipe Hands web row skipped: ${mp.note}`);
  const label = (m: MethodName) => (m === 'mediapipe-web' ? mediapipeWebLabel(config.landmarks.variant) : m);
  const { results, errors } = await runAll(dataset, config, mp, opts);
  if (results.length === 0)
    throw new HandsError(
      'unsupported-file',
      `${opts.dataset}: no image could be evaluated (first error: ${errors[0]?.message})`,
      'Check that the images are where the annotations say (or pass --images).',
    );
  const { paired: pairedHands, mask, segmentation } = kindReport(kind, results);
  const report: EvalReport = {
    tool: 'hands eval',
    runtime: `Node ${process.version}`,
    backend: `${tf.getBackend()} (${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD' : 'no SIMD'}, ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'threads' : '1 thread'})`,
    cpu: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`,
    config,
    dataset: {
      path: dataset.path,
      format: dataset.format,
      name: dataset.name,
      images: results.length,
      hands: results.reduce((a, r) => a + r.gtHands.length, 0),
      hands3d: results.reduce((a, r) => a + r.gtHands.filter((h) => h.keypoints3d).length, 0),
      notes: dataset.notes,
    },
    methods: methodsIn(results).map((m) => methodReport(results, m, kind, label(m))),
    foundRule: foundRule(kind, results),
    paired: pairedHands,
    mask,
    mediapipeWeb: {
      status: mp.status,
      note: mp.note,
      package: mp.version ? `@mediapipe/hands@${mp.version}` : undefined,
      options: mp.options,
      failedImages: mp.results?.filter((r) => r.error).length ?? 0,
    },
    segmentation,
    plots: [],
    errors,
    cases: results.map((r) => compactCase(r, kind)),
  };
  let code: number = errors.length ? EXIT.badInput : EXIT.ok;
  const { out, dumpPredictions } = opts;
  if (out) {
    code = Math.max(
      code,
      await writeOutput(out, opts.log, async () => {
        report.plots = await writeFigures(results, report, dataset, kind, out);
        await writeFileAtomic(join(out, 'report.json'), `${JSON.stringify(report, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
        opts.log(`eval: wrote ${join(out, 'report.json')} and ${report.plots.join(', ')}`);
      }),
    );
  }
  if (dumpPredictions) {
    code = Math.max(
      code,
      await writeOutput(dumpPredictions, opts.log, async () => {
        await writeFileAtomic(dumpPredictions, predictionsJson(dataset, results));
        opts.log(`eval: wrote predictions to ${dumpPredictions}`);
      }),
    );
  }
  return { report, code };
}

/** Every sample through runSample on one pipeline; an image that fails is logged and listed, the rest go on. */
async function runAll(
  dataset: EvalDataset,
  config: PipelineConfig,
  mp: MediapipeWebRun,
  opts: EvalCliOptions,
): Promise<{ results: SampleResult[]; errors: { image: string; message: string }[] }> {
  const pipeline = await createNodePipeline(config);
  const results: SampleResult[] = [];
  const errors: { image: string; message: string }[] = [];
  const t0 = performance.now();
  try {
    await pipeline.warmup();
    for (const [i, sample] of dataset.samples.entries()) {
      try {
        const raw = mp.results?.[i];
        results.push(
          await runSample(pipeline, sample, { maskPolarity: opts.maskPolarity, mediapipeWeb: raw ? { hands: mediapipeWebHands(raw), ms: raw.ms } : undefined }),
        );
      } catch (err) {
        const e = HandsError.from(err);
        errors.push({ image: sample.image, message: e.message });
        opts.log(`eval: ${sample.image}: ${e.message}`);
      }
      if ((i + 1) % 25 === 0 || i + 1 === dataset.samples.length)
        opts.log(`eval: ${i + 1}/${dataset.samples.length} images, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
  } finally {
    pipeline.dispose();
  }
  return { results, errors };
}
