/**
 * Runs the compared methods on one sample and scores them against its ground truth:
 *  - `pipeline`: the page's full pipeline (palm / box detection -> rotated ROI -> landmarks), image mode;
 *  - `landmark-only`: the MediaPipe landmark network alone on one upright square crop, no detection:
 *    the whole image for crop sets (hgcnn, FreiHAND), else a square 1.5x the GT box's longer side
 *    around its centre (this uses the ground truth box: an upper bound for a detector);
 *  - `mediapipe-web`: the real MediaPipe Hands web solution's predictions for the sample, run
 *    beforehand in chromium (./mediapipeWebBaseline.ts), scored here by the same code as `pipeline`.
 */
import { scoreSegmentation, type SegmentationCase, type Segmenter } from './segmentation';
import { rootRelative, rootRelativeErrors, procrustesErrors } from '../../core/metrics/keypoints3d';
import { jointErrors2d, meanOffset2d, type Vec2 } from '../../core/metrics/keypoints2d';
import { greedyMatch } from '../../core/metrics/detection';
import { cutMaskAtWrist, fractionOnMask } from '../../core/metrics/masks';
import type { HandRecord } from '../../core/metrics/summary';
import type { Vec3 } from '../../core/metrics/procrustes';
import { finiteMean } from '../../core/metrics/stats';
import type { RotatedRect } from '../../core/geometry/rect';
import type { HandPipeline } from '../../core/pipeline';
import { scaleFrameResult } from '../../core/scaleResult';
import type { FrameResult, Keypoint2D, Keypoint3D } from '../../core/types';
import { decodeImageFile, type DecodedImage } from '../decodeImage';
import { cameraFromFov, projectPoints } from '../../core/handModel/camera';
import { readMask, type MaskPolarity } from './masks';
import type { EvalSample, GtHand } from './types';

export const METHODS = ['pipeline', 'mediapipe-web', 'landmark-only', 'mesh'] as const;
export type MethodName = (typeof METHODS)[number];

/** The methods a run measured ('mesh' only with the mesh stage on, 'mediapipe-web' only when it ran), in table order. */
export function methodsIn(results: readonly SampleResult[]): MethodName[] {
  return METHODS.filter((m) => results.every((r) => r.methods[m]));
}

/** Landmark-only crop around a ground-truth box: side = this x the box's longer side. */
export const BASELINE_BOX_SCALE = 1.5;
/** A prediction matches a GT hand when its mean joint error is below this fraction of the normaliser. */
export const MATCH_MAX_ERROR = 0.5;
/** Masks format: a hand is "on" the GT mask when at least this fraction of its keypoints lie on it. */
export const ON_MASK_MIN = 0.5;

/** A pixel box [xMin, yMin, xMax, yMax). */
type Box = [number, number, number, number];

/** Whose wrist the hand-only mask figures cut at (handOnlyWrist). */
export type WristSource = 'ground truth' | 'pipeline' | 'landmark-only';

export interface PredHand {
  /** Source-image pixels. */
  keypoints2d: Vec2[];
  /** Millimetres, image axes, relative to the wrist. */
  keypoints3d: Vec3[];
  score: number;
  handedness: 'left' | 'right';
  roi: RotatedRect;
}

export interface GtHandResult extends HandRecord {
  gtIndex: number;
  /** Index into the method's hands, -1 = not found. */
  predIndex: number;
  meanPx: number;
  /** meanPx / normaliser. */
  normMean: number;
  paMeanMm: number;
  bias: Vec2;
}

export interface MaskCaseResult {
  /** A predicted hand with >= ON_MASK_MIN of its keypoints on the GT mask. */
  found: boolean;
  /** Best hand's fraction of keypoints on the GT mask (0 when no hand). */
  onMask: number;
  /** Predicted hands not on the mask. */
  falsePositives: number;
  /** Fraction of GT mask pixels kept when the GT is cut at the best hand's wrist (hand only). */
  handOnlyKept?: number;
}

export interface MethodResult {
  hands: PredHand[];
  ms: number;
  gt: GtHandResult[];
  mask?: MaskCaseResult;
}

export interface SampleResult {
  id: string;
  /** Segmentation scores (masks format): the heads' mask and the baseline, raw and hand-only. */
  segmentation?: Partial<Record<Segmenter, SegmentationCase>>;
  image: string;
  width: number;
  height: number;
  gtHands: GtHand[];
  mask?: string;
  /** Mask box [xMin, yMin, xMax, yMax] (masks format). */
  maskBox?: Box;
  /** Masks format: whose wrist the hand-only figures cut at, and the fraction of GT mask pixels that cut keeps; absent when no hand was on the mask. */
  handOnlyCut?: { from: WristSource; kept: number };
  /** 'mesh' is present only when the pipeline fitted meshes. */
  methods: Record<MethodName, MethodResult>;
  error?: string;
}

export interface RunOptions {
  maskPolarity?: MaskPolarity;
  /** Predictions of a method run elsewhere on this sample (MediaPipe web in chromium), scored like the pipeline's. */
  mediapipeWeb?: { hands: PredHand[]; ms: number };
}

const toVec2 = (k: readonly Keypoint2D[], s = 1): Vec2[] => k.map((p) => [p.x * s, p.y * s]);
const toMm = (k: readonly Keypoint3D[]): Vec3[] => k.map((p) => [p.x * 1000, p.y * 1000, p.z * 1000]);

/** The landmark-only crop (upright square) for a GT hand. */
export function baselineRoi(sample: EvalSample, hand: { box: readonly number[] } | undefined, width: number, height: number): RotatedRect {
  if (sample.crop || !hand) {
    const side = Math.max(width, height);
    return { cx: width / 2, cy: height / 2, width: side, height: side, rotation: 0 };
  }
  const [x0, y0, x1, y1] = hand.box;
  const side = BASELINE_BOX_SCALE * Math.max(x1 - x0, y1 - y0, 1);
  return { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, width: side, height: side, rotation: 0 };
}

/** Scores one predicted hand against one GT hand. */
export function scoreHand(gt: GtHand, gtIndex: number, pred: PredHand | undefined, predIndex: number): GtHandResult {
  if (!pred) {
    // a missed hand is wrong on every labelled joint (Infinity), unlabelled joints stay NaN
    const miss2d = gt.keypoints2d.map((_, i) => (gt.visible[i] ? Number.POSITIVE_INFINITY : Number.NaN));
    const miss3d = gt.keypoints3d?.map((_, i) => (!gt.valid3d || gt.valid3d[i] ? Number.POSITIVE_INFINITY : Number.NaN));
    return {
      found: false,
      errors2d: miss2d,
      normaliser: gt.normaliser,
      errors3d: miss3d,
      errorsPa: miss3d,
      gtIndex,
      predIndex: -1,
      meanPx: Number.POSITIVE_INFINITY,
      normMean: Number.POSITIVE_INFINITY,
      paMeanMm: Number.NaN,
      bias: [Number.NaN, Number.NaN],
    };
  }
  const errors2d = jointErrors2d(pred.keypoints2d, gt.keypoints2d, gt.visible);
  const meanPx = finiteMean(errors2d);
  const rec: GtHandResult = {
    found: true,
    errors2d,
    normaliser: gt.normaliser,
    gtIndex,
    predIndex,
    meanPx,
    normMean: meanPx / gt.normaliser,
    paMeanMm: Number.NaN,
    bias: meanOffset2d(pred.keypoints2d, gt.keypoints2d, gt.visible),
  };
  if (gt.keypoints3d) {
    rec.errors3d = rootRelativeErrors(pred.keypoints3d, gt.keypoints3d, gt.valid3d);
    rec.errorsPa = procrustesErrors(pred.keypoints3d, rootRelative(gt.keypoints3d), gt.valid3d);
    rec.paMeanMm = finiteMean(rec.errorsPa);
  }
  return rec;
}

/** Matches predictions to GT hands (lowest mean joint error first) and scores every GT hand. */
export function scoreFrame(gtHands: readonly GtHand[], preds: readonly PredHand[]): GtHandResult[] {
  const cost = gtHands.map((g) => preds.map((p) => finiteMean(jointErrors2d(p.keypoints2d, g.keypoints2d, g.visible))));
  const match = greedyMatch(
    cost,
    gtHands.map((g) => MATCH_MAX_ERROR * g.normaliser),
  );
  return gtHands.map((g, i) => scoreHand(g, i, match[i] >= 0 ? preds[match[i]] : undefined, match[i]));
}

/**
 * The fitted meshes' own 21 keypoints as predictions: projected with the mesh's camera (2D, source
 * pixels) and wrist-relative (3D, mm).
 */
function meshKeypoints(frame: FrameResult): PredHand[] {
  return frame.hands
    .filter((h) => h.mesh)
    .map((h) => {
      const m = h.mesh!;
      const uv = projectPoints(cameraFromFov(frame.width, frame.height, m.fovDegrees), m.keypoints);
      const k = m.keypoints;
      return {
        keypoints2d: Array.from({ length: 21 }, (_, i) => [uv[2 * i], uv[2 * i + 1]] as Vec2),
        keypoints3d: Array.from({ length: 21 }, (_, i) => [1000 * (k[3 * i] - k[0]), 1000 * (k[3 * i + 1] - k[1]), 1000 * (k[3 * i + 2] - k[2])] as Vec3),
        score: h.score,
        handedness: m.handedness,
        roi: h.roi,
      };
    });
}

/** Pixel box [xMin, yMin, xMax, yMax) of a mask's nonzero pixels, undefined when empty. */
export function maskBounds(mask: Uint8Array, width: number, height: number): Box | undefined {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 >= x0 ? [x0, y0, x1 + 1, y1 + 1] : undefined;
}

/**
 * A sample's ground truth as it is scored: keypoint sets carry only the GT hands; image + mask
 * sets also the GT mask (and its box, the landmark-only crop when there are no GT hands).
 */
export type SampleTruth = { kind: 'keypoints' } | { kind: 'masks'; mask: Uint8Array; box?: Box };

/** The decoded image and its ground truth. */
interface DecodedSample {
  img: DecodedImage;
  truth: SampleTruth;
}

/** Each method's predictions on one sample, in table order, with the pipeline's frame (for segmentation). */
interface SamplePredictions {
  frame: FrameResult;
  methods: Partial<Record<MethodName, { hands: PredHand[]; ms: number }>>;
}

/** Decodes the image and, for a mask set, reads its GT mask (which must be the image's size). */
async function decodeSample(sample: EvalSample, polarity?: MaskPolarity): Promise<DecodedSample> {
  const img = await decodeImageFile(sample.image);
  if (!sample.mask) return { img, truth: { kind: 'keypoints' } };
  try {
    const m = await readMask(sample.mask, polarity);
    if (m.width !== img.width || m.height !== img.height) throw new Error(`mask ${sample.mask} is ${m.width}x${m.height}, image is ${img.width}x${img.height}`);
    return { img, truth: { kind: 'masks', mask: m.data, box: maskBounds(m.data, img.width, img.height) } };
  } catch (err) {
    img.tensor.dispose();
    throw err;
  }
}

/** Runs the pipeline (image mode), its mesh keypoints, and the landmark network alone on one crop per GT hand (one per image for masks). */
async function runMethods(
  pipeline: HandPipeline,
  sample: EvalSample,
  { img, truth }: DecodedSample,
  mediapipeWeb: RunOptions['mediapipeWeb'],
): Promise<SamplePredictions> {
  const { width, height, scale } = img;
  let t = performance.now();
  const frame = scaleFrameResult(await pipeline.estimate(img.tensor, { mode: 'image' }), scale, width, height);
  const pipelineMs = performance.now() - t;
  const pipeHands: PredHand[] = frame.hands.map((h) => ({
    keypoints2d: toVec2(h.keypoints2d),
    keypoints3d: toMm(h.keypoints3d),
    score: h.score,
    handedness: h.handedness,
    roi: h.roi,
  }));
  const crops = sample.hands.length ? sample.hands : [truth.kind === 'masks' && truth.box ? { box: truth.box } : undefined];
  const baseHands: PredHand[] = [];
  t = performance.now();
  for (const hand of crops) {
    const roi = baselineRoi(sample, hand, width, height);
    const r = await pipeline.landmarksOnly(img.tensor, {
      ...roi,
      cx: roi.cx / scale,
      cy: roi.cy / scale,
      width: roi.width / scale,
      height: roi.height / scale,
    });
    baseHands.push({ keypoints2d: toVec2(r.keypoints2d, scale), keypoints3d: toMm(r.keypoints3d), score: r.presence, handedness: r.handedness, roi });
  }
  const baseMs = (performance.now() - t) / Math.max(1, crops.length);
  return {
    frame,
    methods: {
      pipeline: { hands: pipeHands, ms: pipelineMs },
      'landmark-only': { hands: baseHands, ms: baseMs },
      ...(pipeline.currentConfig.mesh.enabled ? { mesh: { hands: meshKeypoints(frame), ms: frame.timings.meshMs } } : {}),
      ...(mediapipeWeb ? { 'mediapipe-web': mediapipeWeb } : {}),
    },
  };
}

/** Scores every method's hands against the GT hands: the landmark-only crop i against GT hand i, the others matched (scoreFrame). */
function scoreKeypoints(sample: EvalSample, predictions: SamplePredictions['methods']): Record<MethodName, MethodResult> {
  const methods = {} as Record<MethodName, MethodResult>;
  for (const [name, p] of Object.entries(predictions) as [MethodName, { hands: PredHand[]; ms: number }][]) {
    const gt = name === 'landmark-only' ? sample.hands.map((g, i) => scoreHand(g, i, p.hands[i], i)) : scoreFrame(sample.hands, p.hands);
    methods[name] = { hands: p.hands, ms: p.ms, gt };
  }
  return methods;
}

function scoreMask(preds: readonly PredHand[], mask: Uint8Array, width: number, height: number): MaskCaseResult {
  const on = preds.map((p) => fractionOnMask(p.keypoints2d, mask, width, height));
  const best = on.length ? on.indexOf(Math.max(...on)) : -1;
  const found = best >= 0 && on[best] >= ON_MASK_MIN;
  const res: MaskCaseResult = { found, onMask: best >= 0 ? on[best] : 0, falsePositives: on.filter((f) => f < ON_MASK_MIN).length };
  if (found) res.handOnlyKept = keptFraction(mask, width, height, preds[best].keypoints2d);
  return res;
}

/** Fraction of the mask's pixels on the fingers' side of the wrist line of `keypoints` (NaN for an empty mask). */
function keptFraction(mask: Uint8Array, width: number, height: number, keypoints: readonly Vec2[]): number {
  const total = mask.reduce((a, b) => a + b, 0);
  return total ? cutMaskAtWrist(mask, width, height, keypoints[0], keypoints[9]).reduce((a, b) => a + b, 0) / total : Number.NaN;
}

/** The hand of `hands` with most of its keypoints on the mask (the first on a tie). */
function mostOnMask(hands: readonly (readonly Vec2[])[], mask: Uint8Array, width: number, height: number): readonly Vec2[] {
  return hands.reduce((a, b) => (fractionOnMask(b, mask, width, height) > fractionOnMask(a, mask, width, height) ? b : a));
}

/**
 * Where the hand-only figures cut prediction and GT: at the data set's own wrist (a GT hand with
 * its wrist and middle MCP labelled, the one most on the mask) where it has keypoints, so that the
 * hand-only GT does not depend on the prediction; else at the wrist of the pipeline's hand on the
 * mask (or the landmark-only one's); none when no hand is on it.
 */
export function handOnlyWrist(
  gtHands: readonly GtHand[],
  methods: Record<MethodName, MethodResult>,
  mask: Uint8Array,
  width: number,
  height: number,
): { from: WristSource; keypoints: readonly Vec2[] } | undefined {
  const labelled = gtHands.filter((g) => g.visible[0] && g.visible[9]).map((g) => g.keypoints2d);
  if (labelled.length) return { from: 'ground truth', keypoints: mostOnMask(labelled, mask, width, height) };
  const from = (['pipeline', 'landmark-only'] as const).find((m) => methods[m].mask?.found);
  return from
    ? {
        from,
        keypoints: mostOnMask(
          methods[from].hands.map((h) => h.keypoints2d),
          mask,
          width,
          height,
        ),
      }
    : undefined;
}

/** Mask sets: per method whether a hand is on the GT mask; segmentation (heads, mesh, skin rule) raw and hand-only. */
async function scoreMasks(
  result: SampleResult,
  truth: Extract<SampleTruth, { kind: 'masks' }>,
  img: DecodedImage,
  frame: FrameResult,
  pipeline: HandPipeline,
): Promise<SampleResult> {
  const { width, height, methods } = result;
  for (const m of METHODS) if (methods[m]) methods[m].mask = scoreMask(methods[m].hands, truth.mask, width, height);
  const wrist = handOnlyWrist(result.gtHands, methods, truth.mask, width, height);
  // the skin rule reads the image's own pixels: only where the analysed tensor is the image itself
  const rgb = img.scale === 1 ? await img.tensor.data() : undefined;
  return {
    ...result,
    maskBox: truth.box,
    segmentation: rgb
      ? scoreSegmentation(frame, rgb, truth.mask, wrist && { wrist: wrist.keypoints[0], middleMcp: wrist.keypoints[9] }, (h) => pipeline.meshTriangles(h))
      : undefined,
    handOnlyCut: wrist ? { from: wrist.from, kept: keptFraction(truth.mask, width, height, wrist.keypoints) } : undefined,
  };
}

export async function runSample(pipeline: HandPipeline, sample: EvalSample, opts: RunOptions = {}): Promise<SampleResult> {
  const decoded = await decodeSample(sample, opts.maskPolarity);
  try {
    const { frame, methods } = await runMethods(pipeline, sample, decoded, opts.mediapipeWeb);
    const { width, height } = decoded.img;
    const result: SampleResult = {
      id: sample.id,
      image: sample.image,
      width,
      height,
      gtHands: sample.hands,
      mask: sample.mask,
      methods: scoreKeypoints(sample, methods),
    };
    switch (decoded.truth.kind) {
      case 'keypoints':
        return result;
      case 'masks':
        return await scoreMasks(result, decoded.truth, decoded.img, frame, pipeline);
    }
  } finally {
    decoded.img.tensor.dispose();
  }
}
