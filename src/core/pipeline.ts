import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendChoice, type BackendOptions } from './backend';
import { resolveConfig, type DeepPartial, type PipelineConfig } from './config';
import { BoxDetector } from './detect/boxDetector';
import { PALM_MODELS, PalmDetector } from './detect/palmDetector';
import { HandsError } from './errors';
import { roiChange, roiFromBox, roiFromDetection, roiFromLandmarks } from './geometry/handRoi';
import { boundsOf, boxContainment, boxIoU, rectBounds, type Box, type RotatedRect } from './geometry/rect';
import { KEYPOINT_NAMES, NUM_KEYPOINTS } from './keypoints';
import { LandmarkModel, type LandmarkOutput } from './landmarks/landmarkModel';
import type { FileSource } from './models/fileSource';
import { loadManifestGraphModel, type LoadProgress } from './models/loadGraphModel';
import { loadManifest, totalBytes, type ModelManifest } from './models/manifest';
import { isImageBitmap, readBitmapPixels } from './pixels';
import { Track } from './tracking/track';
import type { HandModelData } from './handModel/asset';
import { MeshStage } from './handModel/meshStage';
import { decodeHeads } from './multitask/decodeHeads';
import { MultiTaskHeads, type HeadsNeeds } from './multitask/headsModel';
import { classifyGesture } from './gesture/classify';
import { GestureTracker } from './gesture/events';
import { GESTURE_MODEL_NAME, loadGestureModel } from './gesture/load';
import type { GestureModel } from './gesture/mlp';
import type { GestureEvent } from './gesture/types';
import type { BackendName, FrameResult, Handedness, HandResult, HandSource, Keypoint2D, Keypoint3D } from './types';

/** What the pipeline accepts as a frame: a tensor [H, W, 3] (0..255) or anything fromPixels takes. */
export type FrameInput = tf.Tensor3D | Parameters<typeof tf.browser.fromPixels>[0];

export interface EstimateOptions {
  /** 'video' tracks hands across calls and smooths keypoints; 'image' treats every call alone. */
  mode?: 'video' | 'image';
  /** Frame time in milliseconds (video); defaults to performance.now(). */
  timestampMs?: number;
}

export interface CreatePipelineOptions {
  files: FileSource;
  config?: DeepPartial<PipelineConfig>;
  /** Initialise a backend first (omit to use whatever TF.js backend is already active). */
  backend?: BackendOptions;
  onProgress?: (p: LoadProgress) => void;
}

/** The palm detector's model file for a configuration. */
export const palmModelName = (palmModel: PipelineConfig['detector']['palmModel']) => PALM_MODELS[palmModel].file;
export const BOX_DETECTOR_MODEL = 'handtrack';
export const landmarkModelName = (variant: PipelineConfig['landmarks']['variant']) => `handlandmark-${variant}`;

/** The landmark network alone on one crop (`HandPipeline.landmarksOnly`). */
export interface LandmarksOnlyResult {
  keypoints2d: Keypoint2D[];
  /** Metres, image axes, relative to the wrist. */
  keypoints3d: Keypoint3D[];
  /** The network's hand-presence probability (no threshold applied). */
  presence: number;
  handedness: Handedness;
  handednessScore: number;
}

interface Candidate {
  roi: RotatedRect;
  source: HandSource;
  track?: Track;
}

interface Accepted {
  cand: Candidate;
  out: LandmarkOutput;
  box: Box;
  ms: number;
}

/**
 * Detection -> rotated ROI -> landmarks -> keypoints in image pixels, for every hand in a frame.
 * The same code runs in the page (WebGPU / WebGL / WASM) and in Node (WASM).
 */
export class HandPipeline {
  private config: PipelineConfig;
  private tracks: Track[] = [];
  private nextId = 1;
  private framesSinceDetection = Infinity;
  private detectionsSinceBoxDetection = Infinity;
  private disposed = false;
  private readonly landmarkModels = new Map<string, LandmarkModel>();
  /** Loaded on first use (most frames never need it). */
  private boxDetectorModel: BoxDetector | undefined;
  /** The hand-mesh stage (config.mesh), loaded when first enabled. */
  private meshStage: MeshStage | undefined;
  /** The multi-task heads (config.heads), loaded when first enabled. */
  private headsModel: MultiTaskHeads | undefined;
  /** The learned gesture classifier (config.gestures), loaded when first enabled. */
  private gestureModel: GestureModel | undefined;
  /** Gesture start/end and pinch events of tracked hands (config.gestures, video). */
  private gestureTracker = new GestureTracker();

  private constructor(
    private readonly files: FileSource,
    private readonly manifest: ModelManifest,
    private detector: PalmDetector,
    landmarks: LandmarkModel,
    config: PipelineConfig,
    readonly backend: BackendChoice,
  ) {
    this.config = config;
    this.landmarkModels.set(landmarkModelName(config.landmarks.variant), landmarks);
  }

  static async create(opts: CreatePipelineOptions): Promise<HandPipeline> {
    const config = resolveConfig(opts.config);
    const backend: BackendChoice = opts.backend ? await initBackend(opts.backend) : { name: tf.getBackend() as BackendName, fallbacks: [] };
    const manifest = await loadManifest(opts.files);
    const names = [palmModelName(config.detector.palmModel), landmarkModelName(config.landmarks.variant)];
    if (config.detector.boxFallback) names.push(BOX_DETECTOR_MODEL);
    const progress = { loaded: 0, total: totalBytes(manifest, names) };
    const detector = new PalmDetector(await loadManifestGraphModel(opts.files, manifest, names[0], opts.onProgress, progress), PALM_MODELS[config.detector.palmModel]);
    const landmarks = new LandmarkModel(await loadManifestGraphModel(opts.files, manifest, names[1], opts.onProgress, progress));
    const pipeline = new HandPipeline(opts.files, manifest, detector, landmarks, config, backend);
    if (config.mesh.enabled) pipeline.meshStage = await MeshStage.load(opts.files, manifest);
    if (config.heads.enabled) pipeline.headsModel = await MultiTaskHeads.load(opts.files, manifest);
    if (config.gestures.enabled) pipeline.gestureModel = await loadGestureModel(opts.files, manifest);
    if (config.detector.boxFallback) pipeline.boxDetectorModel = new BoxDetector(await loadManifestGraphModel(opts.files, manifest, BOX_DETECTOR_MODEL, opts.onProgress, progress));
    return pipeline;
  }

  get currentConfig(): PipelineConfig {
    return this.config;
  }

  /** Changes options between frames; loads the other landmark variant on first use. */
  async setConfig(partial: DeepPartial<PipelineConfig>, onProgress?: (p: LoadProgress) => void): Promise<PipelineConfig> {
    const next = resolveConfig(partial, this.config);
    const name = landmarkModelName(next.landmarks.variant);
    if (!this.landmarkModels.has(name)) {
      const progress = { loaded: 0, total: totalBytes(this.manifest, [name]) };
      this.landmarkModels.set(name, new LandmarkModel(await loadManifestGraphModel(this.files, this.manifest, name, onProgress, progress)));
    }
    if (next.detector.palmModel !== this.config.detector.palmModel) {
      const file = palmModelName(next.detector.palmModel);
      const progress = { loaded: 0, total: totalBytes(this.manifest, [file]) };
      const detector = new PalmDetector(await loadManifestGraphModel(this.files, this.manifest, file, onProgress, progress), PALM_MODELS[next.detector.palmModel]);
      this.detector.dispose();
      this.detector = detector;
    }
    if (next.filter.enabled !== this.config.filter.enabled || next.landmarks.variant !== this.config.landmarks.variant || next.detector.palmModel !== this.config.detector.palmModel) this.reset();
    if (next.heads.enabled && !this.headsModel) this.headsModel = await MultiTaskHeads.load(this.files, this.manifest);
    if (next.gestures.enabled && !this.gestureModel) this.gestureModel = await loadGestureModel(this.files, this.manifest);
    if (next.mesh.enabled && !this.meshStage) {
      this.meshStage = await MeshStage.load(this.files, this.manifest);
      // first-use costs (shader compilation on GPU backends) before a user frame, not on it
      await this.meshStage.warmup(next.mesh);
    }
    this.config = next;
    return next;
  }

  /** Forgets tracked hands (e.g. when the source changes). */
  reset(): void {
    this.meshStage?.reset();
    this.gestureTracker = new GestureTracker();
    this.tracks = [];
    this.framesSinceDetection = Infinity;
    this.detectionsSinceBoxDetection = Infinity;
  }

  /** Runs both networks once so shader compilation / first-call costs do not land on a user frame. */
  async warmup(): Promise<void> {
    const blank = tf.zeros([1, 256, 256, 3]) as tf.Tensor4D;
    try {
      await this.detector.detect(blank, this.config.detector, 1);
      await this.landmarks().run(blank, { cx: 128, cy: 128, width: 256, height: 256, rotation: 0 }, this.heads(), this.headsNeeds());
      if (this.config.detector.boxFallback) await (await this.boxDetector()).detect(blank, 1, 1);
      if (this.config.mesh.enabled && this.meshStage) await this.meshStage.warmup(this.config.mesh);
    } finally {
      blank.dispose();
    }
  }

  /** The heads' optional outputs this configuration reads (the rest is not computed). */
  private headsNeeds(): HeadsNeeds {
    const h = this.config.heads;
    return { pof: h.keypoints3d === 'pof', params: this.config.mesh.enabled, ...(h.maskSize > 0 ? { maskRefine: { size: h.maskSize, coefSize: h.maskCoefSize, radius: h.maskRadius, eps: h.maskEps } } : {}) };
  }

  /** The heads when enabled (they read the full landmark model's features). */
  private heads(): MultiTaskHeads | undefined {
    return this.config.heads.enabled && this.config.landmarks.variant === 'full' ? this.headsModel : undefined;
  }

  private landmarks(): LandmarkModel {
    const m = this.landmarkModels.get(landmarkModelName(this.config.landmarks.variant));
    if (!m) throw new HandsError('internal', 'landmark model not loaded');
    return m;
  }

  async estimate(input: FrameInput, opts: EstimateOptions = {}): Promise<FrameResult> {
    if (this.disposed) throw new HandsError('internal', 'estimate() called after dispose()');
    const cfg = this.config;
    const video = (opts.mode ?? 'image') === 'video';
    const tracking = video && cfg.tracking.enabled;
    const now = opts.timestampMs ?? performance.now();
    const t0 = performance.now();
    const image = this.toImageTensor(input);
    const [, height, width] = image.shape;
    const t1 = performance.now();
    try {
      if (!tracking) this.tracks = [];
      const stats = { landmarksMs: 0, detectMs: 0, lostTrack: false };
      const found: Accepted[] = [];
      // 1. hands tracked from the previous frame
      for (const track of this.tracks) await this.tryCandidate(image, { roi: track.roi, source: 'tracking', track }, found, stats);
      // 2. detectors, when hands may be missing
      const needDetection =
        !tracking || this.tracks.length === 0 || (this.tracks.length < cfg.maxHands && this.framesSinceDetection + 1 >= cfg.tracking.detectIntervalFrames);
      let boxDetectorRan = false;
      if (needDetection) {
        this.framesSinceDetection = 0;
        await this.detectPalms(image, 1, found, stats);
        // the box detector finds fists and backs of hands the palm detector misses, and gives a
        // second opinion where the palm detector fired on a cluster of fingers (a collapsed
        // skeleton, lower presence, which the NMS below then drops). It runs while no hand is
        // found with confidence: with the 2021 palm detector, running it whenever fewer than
        // maxHands were found added no hand on hgcnn (200), HGR1 (236) or the fixtures and doubled
        // the time of a one-hand still (hgcnn 163 -> 69 ms/img, same keypoints). On video only
        // every detectIntervalFrames-th detection frame, so that with no hand in view it does not
        // double the per-frame cost.
        const wanted = found.every((f) => f.out.presence < CONFIDENT_PRESENCE);
        const boxDue = wanted && (!tracking || ++this.detectionsSinceBoxDetection >= cfg.tracking.detectIntervalFrames);
        if (cfg.detector.boxFallback && boxDue) {
          boxDetectorRan = true;
          this.detectionsSinceBoxDetection = 0;
          const boxDetector = await this.boxDetector();
          const td = performance.now();
          const boxes = await boxDetector.detect(image, cfg.detector.boxMinScore, cfg.maxHands * 2);
          stats.detectMs += performance.now() - td;
          for (const hb of boxes) {
            // a box on a hand already found whole: skip before paying for its landmarks
            if (found.some((a) => boxIoU(a.box, hb.box) > cfg.tracking.duplicateIoU)) continue;
            await this.tryCandidate(image, { roi: roiFromBox(hb.box), source: 'box-detection' }, found, stats, 1);
          }
        }
        // a hand that fills the frame is too big for the palm detector (nothing found, or only a
        // doubtful skeleton on a cluster of fingers): look again zoomed out
        const doubtful = found.every((f) => f.out.presence < CONFIDENT_PRESENCE);
        if (doubtful && (!tracking || boxDetectorRan)) await this.detectPalms(image, ZOOM_OUT, found, stats);
      } else {
        this.framesSinceDetection++;
      }
      const accepted = suppressDuplicates(found, cfg.maxHands, (a, b) => this.isDuplicate(a, b), (kept, dropped) => {
        // the same hand, better seen from a fresh detection: it keeps its track (id, filter)
        if (dropped.cand.track && !kept.cand.track) kept.cand = { ...kept.cand, track: dropped.cand.track };
      });
      // a hand just vanished: look for hands again on the next frame instead of waiting
      if (stats.lostTrack) this.framesSinceDetection = Infinity;

      const tp = performance.now();
      const hands: HandResult[] = [];
      const nextTracks: Track[] = [];
      const regression: Array<Float32Array | undefined> = [];
      for (const { cand, out, box, ms } of accepted) {
        regression.push(out.heads?.params);
        const track = tracking ? (cand.track ?? new Track(this.nextId++, cand.roi, cfg.filter)) : undefined;
        const xy = new Float64Array(NUM_KEYPOINTS * 2);
        const xyz = new Float64Array(NUM_KEYPOINTS * 3);
        for (let i = 0; i < NUM_KEYPOINTS; i++) {
          xy[2 * i] = out.keypoints[i].x;
          xy[2 * i + 1] = out.keypoints[i].y;
          for (let k = 0; k < 3; k++) xyz[3 * i + k] = out.world[3 * i + k] - out.world[k];
        }
        const dense = out.heads ? decodeHeads(out.heads, cand.roi, cfg.heads, xy, xyz) : undefined;
        if (track) {
          track.roi = roiFromLandmarks(out.keypoints);
          if (cfg.filter.enabled) track.smooth(xy, xyz, now / 1000, Math.max(box.xMax - box.xMin, box.yMax - box.yMin), handSize3d(xyz));
          nextTracks.push(track);
        }
        const right = out.rightProbability >= 0.5;
        const keypoints2d = KEYPOINT_NAMES.map((name, i) => ({ name, x: xy[2 * i], y: xy[2 * i + 1] }));
        hands.push({
          id: track ? track.id : hands.length + 1,
          handedness: right ? 'right' : 'left',
          handednessScore: right ? out.rightProbability : 1 - out.rightProbability,
          score: out.presence,
          box: boundsOf(keypoints2d),
          roi: cand.roi,
          source: cand.source,
          keypoints2d,
          keypoints3d: KEYPOINT_NAMES.map((name, i) => ({ name, x: xyz[3 * i], y: xyz[3 * i + 1], z: xyz[3 * i + 2] })),
          ...(dense ? { heatmaps: dense.heatmaps, mask: dense.mask } : {}),
          timings: { landmarksMs: ms },
        });
      }
      this.tracks = nextTracks;
      // 4. the hand mesh: fitted to the keypoints of all hands at once (HandResult.mesh)
      const meshMs = cfg.mesh.enabled && this.meshStage ? (await this.meshStage.run(hands, width, height, cfg.mesh, tracking, regression)).totalMs : 0;
      if (cfg.mesh.keypoints3d) for (const h of hands) if (h.mesh) h.keypoints3d = meshKeypoints3d(h.mesh.keypoints);
      // 5. what each hand is doing, from its final keypoints (the mesh's 3D where it gives them)
      let gestureEvents: GestureEvent[] = [];
      if (cfg.gestures.enabled) {
        for (const h of hands) h.gesture = classifyGesture(h, this.gestureModel);
        if (tracking) gestureEvents = this.gestureTracker.update(now, hands.map((h) => ({ id: h.id, gesture: h.gesture! })));
      }
      const tEnd = performance.now();
      return {
        hands,
        width,
        height,
        detectorRan: needDetection,
        boxDetectorRan,
        gestureEvents,
        backend: this.backend.name,
        timings: { inputMs: t1 - t0, detectMs: stats.detectMs, landmarksMs: stats.landmarksMs, postMs: tEnd - tp - meshMs, meshMs, totalMs: tEnd - t0 },
      };
    } finally {
      image.dispose();
    }
  }

  /**
   * Milliseconds for the MediaPipe landmark model ALONE on one crop of `input`: upload, crop,
   * network, read-back; no detection, tracking or filtering. The benchmark's baseline.
   */
  async timeLandmarksOnly(input: FrameInput, roi: RotatedRect): Promise<number> {
    const t0 = performance.now();
    const image = this.toImageTensor(input);
    try {
      await this.landmarks().run(image, roi);
    } finally {
      image.dispose();
    }
    return performance.now() - t0;
  }

  /**
   * The MediaPipe landmark network ALONE on one crop of `input` (no detection, tracking, filtering
   * or presence threshold): the accuracy baseline of `hands eval`. Keypoints in `input` pixels; 3D
   * in metres, image axes, relative to the wrist (as `estimate` reports them).
   */
  async landmarksOnly(input: FrameInput, roi: RotatedRect): Promise<LandmarksOnlyResult> {
    const image = tf.tidy(() => {
      const t = input instanceof tf.Tensor ? input : tf.browser.fromPixels(input);
      return tf.expandDims(tf.cast(t, 'float32'), 0) as tf.Tensor4D;
    });
    let out: LandmarkOutput;
    try {
      out = await this.landmarks().run(image, roi);
    } finally {
      image.dispose();
    }
    const w = out.world;
    const right = out.rightProbability >= 0.5;
    return {
      keypoints2d: KEYPOINT_NAMES.map((name, i) => ({ name, x: out.keypoints[i].x, y: out.keypoints[i].y })),
      keypoints3d: KEYPOINT_NAMES.map((name, i) => ({ name, x: w[3 * i] - w[0], y: w[3 * i + 1] - w[1], z: w[3 * i + 2] - w[2] })),
      presence: out.presence,
      handedness: right ? 'right' : 'left',
      handednessScore: right ? out.rightProbability : 1 - out.rightProbability,
    };
  }

  /** Any frame input -> [1, H, W, 3] float32 0..255 on the active backend. */
  private toImageTensor(input: FrameInput): tf.Tensor4D {
    const cpuBackend = this.backend.name === 'wasm' || this.backend.name === 'cpu';
    const pixels = cpuBackend && isImageBitmap(input) ? (readBitmapPixels(input) ?? input) : input;
    return tf.tidy(() => {
      const t = pixels instanceof tf.Tensor ? pixels : tf.browser.fromPixels(pixels);
      if (t.rank !== 3 || t.shape[2] !== 3) throw new HandsError('unsupported-file', `expected an RGB image [H, W, 3], got shape [${t.shape.join(', ')}]`);
      return tf.expandDims(tf.cast(t, 'float32'), 0) as tf.Tensor4D;
    });
  }

  /** Same hand: boxes overlap by IoU, or the smaller lies mostly inside the larger. */
  private isDuplicate(a: Box, b: Box): boolean {
    const t = this.config.tracking;
    return boxIoU(a, b) > t.duplicateIoU || boxContainment(a, b) > t.duplicateContainment;
  }

  /**
   * Runs the landmark network on one candidate crop and keeps it when a hand is present.
   * A detected hand (not a tracked one) then refines its crop: cropped again from its own keypoints
   * (MediaPipe's tracking rule, roiFromLandmarks) and run again, until the crop moves less than
   * landmarks.refineTolerance or landmarks.refinePasses re-crops were made. `minPasses`: re-crops
   * made whatever the settings (a box-detector crop has no orientation: at least one).
   * Duplicates are resolved afterwards (suppressDuplicates), so candidates that converge onto one
   * hand become one.
   */
  private async tryCandidate(image: tf.Tensor4D, cand: Candidate, found: Accepted[], stats: { landmarksMs: number; lostTrack: boolean }, minPasses = 0): Promise<void> {
    const cfg = this.config;
    const lm = this.landmarks();
    const t0 = performance.now();
    let out = await lm.run(image, cand.roi, this.heads(), this.headsNeeds());
    const passes = cand.track ? 0 : Math.max(minPasses, cfg.landmarks.refinePasses);
    for (let pass = 0; pass < passes && out.presence >= cfg.landmarks.minPresence; pass++) {
      const roi = roiFromLandmarks(out.keypoints);
      if (pass >= minPasses && roiChange(cand.roi, roi) < cfg.landmarks.refineTolerance) break;
      cand = { ...cand, roi };
      out = await lm.run(image, roi, this.heads(), this.headsNeeds());
    }
    const ms = performance.now() - t0;
    stats.landmarksMs += ms;
    if (out.presence < cfg.landmarks.minPresence) {
      if (cand.track) stats.lostTrack = true;
      return;
    }
    found.push({ cand, out, box: boundsOf(out.keypoints), ms });
  }

  /** Palm detections -> candidates. `zoom` > 1 pads the frame further (for hands that fill it). */
  private async detectPalms(image: tf.Tensor4D, zoom: number, found: Accepted[], stats: { landmarksMs: number; detectMs: number; lostTrack: boolean }): Promise<void> {
    const cfg = this.config;
    const td = performance.now();
    const palms = await this.detector.detect(image, cfg.detector, cfg.maxHands * 2, zoom);
    stats.detectMs += performance.now() - td;
    for (const palm of palms) {
      const roi = roiFromDetection(palm);
      const b = rectBounds(roi);
      // a palm on a hand we already have (and trust): skip before paying for its landmarks
      if (found.some((a) => a.out.presence >= CONFIDENT_PRESENCE && boxIoU(rectBounds(a.cand.roi), b) > cfg.tracking.duplicateIoU)) continue;
      await this.tryCandidate(image, { roi, source: 'palm-detection' }, found, stats);
    }
  }

  private async boxDetector(): Promise<BoxDetector> {
    if (!this.boxDetectorModel) {
      const progress = { loaded: 0, total: totalBytes(this.manifest, [BOX_DETECTOR_MODEL]) };
      this.boxDetectorModel = new BoxDetector(await loadManifestGraphModel(this.files, this.manifest, BOX_DETECTOR_MODEL, undefined, progress));
    }
    return this.boxDetectorModel;
  }

  /**
   * The hand-mesh template of one hand (triangles, rest vertices, joints, skin weights), the same
   * for every frame; undefined until the mesh stage is enabled. `mesh.vertices` index into its
   * `triangles` (Uint16, counter-clockwise seen from outside).
   */
  meshModel(handedness: Handedness): HandModelData | undefined {
    return this.meshStage?.model(handedness);
  }

  /** Triangles of the hand mesh [T * 3] for one hand (see meshModel). */
  meshTriangles(handedness: Handedness): Uint16Array | undefined {
    return this.meshStage?.model(handedness).triangles;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.meshStage?.dispose();
    this.detector.dispose();
    for (const m of this.landmarkModels.values()) m.dispose();
    this.boxDetectorModel?.dispose();
    this.headsModel?.dispose();
    this.landmarkModels.clear();
    this.tracks = [];
  }
}

/** How much further the zoomed-out palm pass pads the frame (measured on hgcnn crops: 2 finds hands that fill the frame). */
const ZOOM_OUT = 2;
/**
 * Presence below this is doubtful: on hgcnn the skeletons that collapsed onto a cluster of fingers
 * scored 0.58-0.80 and whole hands 0.99 (a few real hands 0.6-0.9 stay: the NMS keeps the best).
 */
const CONFIDENT_PRESENCE = 0.9;

/**
 * Non-maximum suppression over hands: highest presence first, a hand that duplicates a kept one
 * (same keypoint box, or mostly inside it) is dropped, at most `max` kept. One hand never yields
 * two results, and of two answers for one hand the more confident wins.
 */
export function suppressDuplicates<T extends { box: Box; out: { presence: number } }>(
  found: readonly T[],
  max: number,
  isDuplicate: (a: Box, b: Box) => boolean,
  onDuplicate: (kept: T, dropped: T) => void = () => undefined,
): T[] {
  const kept: T[] = [];
  for (const f of [...found].sort((a, b) => b.out.presence - a.out.presence)) {
    const same = kept.find((k) => isDuplicate(k.box, f.box));
    if (same) onDuplicate(same, f);
    else if (kept.length < max) kept.push(f);
  }
  return kept;
}

/** The mesh's 21 keypoints (camera frame) as wrist-relative Keypoint3Ds, the form of HandResult.keypoints3d. */
function meshKeypoints3d(k: ArrayLike<number>): Keypoint3D[] {
  return KEYPOINT_NAMES.map((name, i) => ({ name, x: k[3 * i] - k[0], y: k[3 * i + 1] - k[1], z: k[3 * i + 2] - k[2] }));
}

/** Largest extent of root-relative 3D keypoints (metres); the hand's size for the filter. */
function handSize3d(xyz: Float64Array): number {
  let max = 0;
  for (let i = 0; i < xyz.length; i += 3) max = Math.max(max, Math.hypot(xyz[i], xyz[i + 1], xyz[i + 2]));
  return max;
}

