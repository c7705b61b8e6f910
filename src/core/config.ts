import { HandsError } from './errors';
import type { OneEuroConfig } from './filter/oneEuro';

export type LandmarkVariant = 'full' | 'lite';
/** The palm detector: MediaPipe's 2021 full model (192 px, what @mediapipe/hands runs) or v1 (256 px). */
export type PalmModelName = 'full' | 'v1';

export interface DetectorConfig {
  /** Which palm detector finds hands (src/core/detect/palmDetector.ts, PALM_MODELS). */
  palmModel: PalmModelName;
  /** Palm detections below this probability are dropped. */
  minScore: number;
  /** IoU above which two palm boxes are one palm (weighted NMS). */
  nmsIoU: number;
  /**
   * When the palm detector leaves hands unfound, also run the whole-hand box detector (finds fists
   * and backs of hands the palm detector misses; costs one more network on detection frames).
   */
  boxFallback: boolean;
  /** Box-detector boxes below this probability are dropped. */
  boxMinScore: number;
}

export interface LandmarkConfig {
  /** 'full' (5.4 MB, more accurate) or 'lite' (2.0 MB, faster). */
  variant: LandmarkVariant;
  /** A hand whose presence score falls below this is dropped (and re-detected on video). */
  minPresence: number;
  /**
   * A newly detected hand (every hand of a still; on video, one just (re)detected) is cropped again
   * from its own keypoints and re-run, at most this many times; 0 = MediaPipe's single pass.
   */
  refinePasses: number;
  /** Refinement stops once the new crop moves less than this (mean corner shift / crop side). */
  refineTolerance: number;
}

export interface TrackingConfig {
  /** On video, crop the next frame from this frame's keypoints instead of re-detecting. */
  enabled: boolean;
  /**
   * While fewer than maxHands are tracked (but at least one), look for new hands every this many
   * frames; with none tracked the detector runs every frame. 1 = every frame (MediaPipe's choice).
   */
  detectIntervalFrames: number;
  /**
   * Two hands whose keypoint boxes overlap by more than this IoU, or one of which lies mostly
   * (see duplicateContainment) inside the other, are one hand: the first found is kept.
   */
  duplicateIoU: number;
  /** Fraction of the smaller keypoint box inside the larger one that makes it a duplicate. */
  duplicateContainment: number;
}

export interface FilterConfig extends OneEuroConfig {
  /** Temporal smoothing of keypoints on video (never applied to still images). */
  enabled: boolean;
}

export interface MeshConfig {
  /**
   * Fit the parametric hand mesh to every hand (HandResult.mesh): vertices in the camera frame,
   * parameters, residuals, wrist depth. Loads models/hand-model.json on first use.
   */
  enabled: boolean;
  /** Most Levenberg-Marquardt iterations per frame (each one batched forward pass of all hands; fewer once all converged); 1 = the start only. */
  iterations: number;
  /** Horizontal field of view of the source camera (degrees): sets the focal length, hence the wrist depth. */
  fovDegrees: number;
  /**
   * Where the fit starts: 'best' = whichever of the analytic initialisation, the previous frame's
   * fit and (heads on) the heads' regressed parameters reproduces the 3D keypoints best;
   * 'regressor' = the regressed parameters whenever the heads ran (coarse to fine: the regressor,
   * then the fit refines). Chosen by `hands eval --mesh` on real images.
   */
  start: 'best' | 'regressor';
  /**
   * Weight of the fit's silhouette term when the heads ran (their hand mask): mesh vertices that
   * project outside the mask are pulled in (HIU-DMTL's mask self-supervision). 0 = off.
   */
  maskWeight: number;
  /** The silhouette term's coverage half (mask cells far from every vertex pull the mesh out), relative to maskWeight; 0 = one-sided. */
  maskCoverage: number;
  /**
   * Report the fitted mesh's own joints (wrist-relative) as the hand's keypoints3d: the hand model's
   * shape prior makes them better than the landmark network's world landmarks they are fitted to
   * (dev hgcnn PA-MPJPE 9.5 -> 8.2-8.3 mm with 16 iterations, README).
   */
  keypoints3d: boolean;
  /**
   * Fit the skin's thickness to the heads' hand mask when they ran (handModel/thickness.ts): the
   * template is slimmer than most real hands and the model has no width parameter, so the mesh is
   * inflated along its normals by the offset (0-6 mm) whose silhouette matches the mask best.
   * Joints and keypoints do not move.
   */
  thickness: boolean;
}

export interface HeadsConfig {
  /**
   * Run the multi-task heads (heat maps, hand mask) on the landmark network's features
   * (models/hiu-heads.*; needs the 'full' landmark model, whose features they were trained on).
   */
  enabled: boolean;
  /**
   * Where keypoints2d come from while the heads run: the landmark network's regression, the heads'
   * heat maps (experimental: worse than regression on real photos), or the two fused where they
   * agree ('fused', multitask/decodeHeads.ts). Chosen by `hands eval` on real images.
   */
  keypoints: 'regression' | 'heatmaps' | 'fused';
  /** Where keypoints3d come from: the landmark network's world landmarks, or the heads' POF (HIU-DMTL's 3D encoding). */
  keypoints3d: 'regression' | 'pof';
  /**
   * Side (px) of the hand mask on the hand's crop after the image-guided refinement
   * (multitask/refineMask.ts: a colour guided filter, the crop's pixels guiding the heads' 56 x 56
   * mask); 0 = no refinement, HandResult.mask is the heads' 56 x 56 grid.
   */
  maskSize: number;
  /** The refinement's coefficient grid (px, <= maskSize), window radius (coefficient px) and regularisation (colours in 0..1). */
  maskCoefSize: number;
  maskRadius: number;
  maskEps: number;
}

/** What the hand is doing (src/core/gesture): HandResult.gesture, and FrameResult.gestureEvents on tracked video. */
export interface GesturesConfig {
  enabled: boolean;
}

export interface PipelineConfig {
  /** Most hands reported per frame. */
  maxHands: number;
  detector: DetectorConfig;
  landmarks: LandmarkConfig;
  tracking: TrackingConfig;
  filter: FilterConfig;
  mesh: MeshConfig;
  heads: HeadsConfig;
  gestures: GesturesConfig;
}

/** Defaults; each number is MediaPipe Hands' value unless the comment says otherwise. */
export const DEFAULT_CONFIG: PipelineConfig = {
  maxHands: 2,
  // boxFallback / boxMinScore: ours, from scripts/measure-detectors.ts (0.3 finds every video frame
  // with one false box in 65 frames; false boxes cost time only: the landmark presence rejects them)
  detector: { palmModel: 'full', minScore: 0.5, nmsIoU: 0.3, boxFallback: true, boxMinScore: 0.3 },
  // refinePasses 0: ours, measured (npx hands eval, dev hgcnn): with the 2021 palm detector's crops,
  // 1 / 2 / 3 re-crops from the keypoints move the mean error 6.38 -> 6.53 / 6.59 / 6.62 px (the
  // tracking rule's crop is no better than the detection rule's; with the v1 detector it was);
  // refineTolerance 0.01: the crop change shrinks ~3.5x per pass (median 0.10, 0.025, 0.0075, 0.003
  // of the side on hgcnn), so 1 % stops after 2-3 passes
  landmarks: { variant: 'full', minPresence: 0.5, refinePasses: 0, refineTolerance: 0.01 },
  // detectIntervalFrames 5: ours; the palm detector costs ~2x the landmark model, so with one hand
  // in view we look for the second one five times less often (a new hand shows up within 5 frames).
  tracking: { enabled: true, detectIntervalFrames: 5, duplicateIoU: 0.5, duplicateContainment: 0.6 },
  // MediaPipe's landmark smoothing: min cutoff 0.05 Hz, beta 80, derivative cutoff 1 Hz, with the
  // speed in hand sizes per second.
  filter: { enabled: true, minCutoff: 0.05, beta: 80, derivativeCutoff: 1 },
  // ours: off until the page's mesh layer exists; at most 16 iterations: from the analytic start
  // 8 left 37 of 156 real hands > 2 px short of convergence, 16 none (15 used); tracked video
  // stops after ~8 (fit.ts CONVERGED); 60 degrees: a typical webcam (src/core/handModel/camera.ts)
  mesh: { enabled: false, iterations: 16, fovDegrees: 60, start: 'best', maskWeight: 0, maskCoverage: 1, keypoints3d: false, thickness: true },
  // ours: the heads cost one small network per hand; off unless asked for (qualityConfig 'best', a
  // layer that shows them). 'fused' whenever they run: dev hgcnn 6.38 -> 5.89 px mean, 5.47 -> 4.81
  // median, PCK@0.05 0.920 -> 0.931, PCK@0.1 0.999 both (npx hands eval --keypoints fused)
  heads: { enabled: false, keypoints: 'fused', keypoints3d: 'regression', maskSize: 224, maskCoefSize: 56, maskRadius: 2, maskEps: 0.001 },
  // ours: on; a few hundred arithmetic operations per hand (hands bench: the gestures row)
  gestures: { enabled: true },
};

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

function fail(path: string, what: string, value: unknown): never {
  throw new HandsError('invalid-config', `config.${path} must be ${what} (got ${JSON.stringify(value)})`, 'Fix the option or leave it out to use the default.');
}

function num(path: string, v: unknown, min: number, max: number, integer = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    fail(path, `${integer ? 'an integer' : 'a number'} in [${min}, ${max}]`, v);
  }
  return v;
}

function bool(path: string, v: unknown): boolean {
  if (typeof v !== 'boolean') fail(path, 'true or false', v);
  return v;
}

/** Merges `partial` over `base` and checks every field; throws HandsError('invalid-config'). */
export function resolveConfig(partial: DeepPartial<PipelineConfig> = {}, base: PipelineConfig = DEFAULT_CONFIG): PipelineConfig {
  if (partial === null || typeof partial !== 'object') fail('', 'an object', partial);
  const known: Record<string, readonly string[]> = {
    '': ['maxHands', 'detector', 'landmarks', 'tracking', 'filter', 'mesh', 'heads', 'gestures'],
    detector: Object.keys(base.detector),
    landmarks: Object.keys(base.landmarks),
    tracking: Object.keys(base.tracking),
    filter: Object.keys(base.filter),
    mesh: Object.keys(base.mesh),
    heads: Object.keys(base.heads),
    gestures: Object.keys(base.gestures),
  };
  for (const [section, keys] of Object.entries(known)) {
    const obj = section === '' ? partial : (partial as Record<string, unknown>)[section];
    if (obj === undefined) continue;
    if (obj === null || typeof obj !== 'object') fail(section, 'an object', obj);
    for (const k of Object.keys(obj)) if (!keys.includes(k)) fail(section ? `${section}.${k}` : k, `one of the known options (${keys.join(', ')})`, k);
  }
  const d = { ...base.detector, ...partial.detector };
  const l = { ...base.landmarks, ...partial.landmarks };
  const t = { ...base.tracking, ...partial.tracking };
  const f = { ...base.filter, ...partial.filter };
  const m = { ...base.mesh, ...partial.mesh };
  const h = { ...base.heads, ...partial.heads };
  if (!['regression', 'heatmaps', 'fused'].includes(h.keypoints)) fail('heads.keypoints', '"regression", "heatmaps" or "fused"', h.keypoints);
  if (!['regression', 'pof'].includes(h.keypoints3d)) fail('heads.keypoints3d', '"regression" or "pof"', h.keypoints3d);
  if (h.enabled && l.variant !== 'full') fail('heads.enabled', 'false with landmarks.variant "lite" (the heads read the full model\'s features)', h.enabled);
  if (!['best', 'regressor'].includes(m.start)) fail('mesh.start', '"best" or "regressor"', m.start);
  if (l.variant !== 'full' && l.variant !== 'lite') fail('landmarks.variant', '"full" or "lite"', l.variant);
  if (d.palmModel !== 'full' && d.palmModel !== 'v1') fail('detector.palmModel', '"full" or "v1"', d.palmModel);
  return {
    maxHands: num('maxHands', partial.maxHands ?? base.maxHands, 1, 8, true),
    detector: {
      palmModel: d.palmModel,
      minScore: num('detector.minScore', d.minScore, 0, 1),
      nmsIoU: num('detector.nmsIoU', d.nmsIoU, 0, 1),
      boxFallback: bool('detector.boxFallback', d.boxFallback),
      boxMinScore: num('detector.boxMinScore', d.boxMinScore, 0, 1),
    },
    landmarks: {
      variant: l.variant,
      minPresence: num('landmarks.minPresence', l.minPresence, 0, 1),
      refinePasses: num('landmarks.refinePasses', l.refinePasses, 0, 10, true),
      refineTolerance: num('landmarks.refineTolerance', l.refineTolerance, 0, 1),
    },
    tracking: {
      enabled: bool('tracking.enabled', t.enabled),
      detectIntervalFrames: num('tracking.detectIntervalFrames', t.detectIntervalFrames, 1, 1000, true),
      duplicateIoU: num('tracking.duplicateIoU', t.duplicateIoU, 0, 1),
      duplicateContainment: num('tracking.duplicateContainment', t.duplicateContainment, 0, 1),
    },
    filter: {
      enabled: bool('filter.enabled', f.enabled),
      minCutoff: num('filter.minCutoff', f.minCutoff, 1e-6, 1000),
      beta: num('filter.beta', f.beta, 0, 1e6),
      derivativeCutoff: num('filter.derivativeCutoff', f.derivativeCutoff, 1e-6, 1000),
    },
    mesh: {
      enabled: bool('mesh.enabled', m.enabled),
      iterations: num('mesh.iterations', m.iterations, 1, 100, true),
      fovDegrees: num('mesh.fovDegrees', m.fovDegrees, 10, 150),
      start: m.start,
      maskWeight: num('mesh.maskWeight', m.maskWeight, 0, 1000),
      maskCoverage: num('mesh.maskCoverage', m.maskCoverage, 0, 100),
      keypoints3d: bool('mesh.keypoints3d', m.keypoints3d),
      thickness: bool('mesh.thickness', m.thickness),
    },
    heads: {
      enabled: bool('heads.enabled', h.enabled),
      keypoints: h.keypoints,
      keypoints3d: h.keypoints3d,
      maskSize: num('heads.maskSize', h.maskSize, 0, 1024, true),
      maskCoefSize: num('heads.maskCoefSize', Math.min(h.maskCoefSize, h.maskSize || h.maskCoefSize), 8, 1024, true),
      maskRadius: num('heads.maskRadius', h.maskRadius, 1, 64, true),
      maskEps: num('heads.maskEps', h.maskEps, 1e-8, 10),
    },
    gestures: { enabled: bool('gestures.enabled', { ...base.gestures, ...partial.gestures }.enabled) },
  };
}

/**
 * What a user picks instead of stage switches: 'fast' is MediaPipe's own path (detector, crop,
 * landmark network); 'best' adds the multi-task heads, whose heat maps refine the 2D keypoints where
 * they agree with the landmark network (HeadsConfig.keypoints 'fused'), and on stills the hand mesh,
 * fitted to those keypoints from the heads' regressed start, whose joints become the 3D keypoints
 * (MeshConfig.keypoints3d). The heads read the full landmark model's features, so with 'lite'
 * 'best' is 'fast'. Measured (README: `hands eval`, `hands bench`): dev hgcnn 6.38 -> 5.89 px,
 * PA-MPJPE 9.5 -> 8.2 mm; tracked video 1.24x the landmark model alone (no mesh on video: its fit
 * would double the frame time).
 */
export type Quality = 'fast' | 'best';

export function qualityConfig(quality: Quality, variant: LandmarkVariant, source: 'still' | 'video'): DeepPartial<PipelineConfig> {
  const best = quality === 'best' && variant === 'full';
  if (!best || source === 'video') return { heads: { enabled: best } };
  // 16 iterations: the fit is not converged at 8 (dev hgcnn PA 8.4 mm at 8, 8.2 at 16, 8.3 at 24)
  return { heads: { enabled: true }, mesh: { enabled: true, iterations: 16, start: 'regressor', keypoints3d: true } };
}
