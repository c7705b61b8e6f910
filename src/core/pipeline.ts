import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendChoice, type BackendOptions } from './backend';
import { resolveConfig, type DeepPartial, type PipelineConfig } from './config';
import { BoxDetector } from './detect/boxDetector';
import { PALM_MODELS, PalmDetector } from './detect/palmDetector';
import { HandsError } from './errors';
import { roiChange, roiFromBox, roiFromDetection, roiFromLandmarks } from './geometry/handRoi';
import { boundsOf, boxContainment, boxIoU, rectBounds, type Box, type RotatedRect } from './geometry/rect';
import { KEYPOINT_NAMES } from './keypoints';
import { LandmarkModel, type LandmarkOutput } from './landmarks/landmarkModel';
import { handednessOf, keypointArrays, namedKeypoints } from './landmarks/landmarkResult';
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
import { loadGestureModel } from './gesture/load';
import type { GestureModel } from './gesture/mlp';
import type { GestureEvent } from './gesture/types';
import type { BackendName, FrameResult, Handedness, HandResult, HandSource, Keypoint2D, Keypoint3D, MaskData } from './types';

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
  /** With `{ heads: true }` and the heads enabled: their hand mask on the crop (as HandResult.mask). */
  mask?: MaskData;
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

/** The hands found so far on a frame, and what finding them cost; each search step returns a new one. */
interface Search {
  found: readonly Accepted[];
  landmarksMs: number;
  detectMs: number;
  /** A tracked hand was not found again. */
  lostTrack: boolean;
}

/** How much further the zoomed-out palm pass pads the frame (measured on hgcnn crops: 2 finds hands that fill the frame). */
const ZOOM_OUT = 2;
/**
 * Presence below this is doubtful: on hgcnn the skeletons that collapsed onto a cluster of fingers
 * scored 0.58-0.80 and whole hands 0.99 (a few real hands 0.6-0.9 stay: the NMS keeps the best).
 */
const CONFIDENT_PRESENCE = 0.9;

/** No hand found with confidence (also when none is found): the detection fallbacks are wanted. */
const allDoubtful = (found: readonly Accepted[]) => found.every((f) => f.out.presence < CONFIDENT_PRESENCE);

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
    const detector = new PalmDetector(
      await loadManifestGraphModel(opts.files, manifest, names[0], opts.onProgress, progress),
      PALM_MODELS[config.detector.palmModel],
    );
    const landmarks = new LandmarkModel(await loadManifestGraphModel(opts.files, manifest, names[1], opts.onProgress, progress));
    const pipeline = new HandPipeline(opts.files, manifest, detector, landmarks, config, backend);
    if (config.mesh.enabled) pipeline.meshStage = await MeshStage.load(opts.files, manifest);
    if (config.heads.enabled) pipeline.headsModel = await MultiTaskHeads.load(opts.files, manifest);
    if (config.gestures.enabled) pipeline.gestureModel = await loadGestureModel(opts.files, manifest);
    if (config.detector.boxFallback)
      pipeline.boxDetectorModel = new BoxDetector(await loadManifestGraphModel(opts.files, manifest, BOX_DETECTOR_MODEL, opts.onProgress, progress));
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
      const detector = new PalmDetector(
        await loadManifestGraphModel(this.files, this.manifest, file, onProgress, progress),
        PALM_MODELS[next.detector.palmModel],
      );
      this.detector.dispose();
      this.detector = detector;
    }
    if (
      next.filter.enabled !== this.config.filter.enabled ||
      next.landmarks.variant !== this.config.landmarks.variant ||
      next.detector.palmModel !== this.config.detector.palmModel
    )
      this.reset();
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
    return {
      pof: h.keypoints3d === 'pof',
      params: this.config.mesh.enabled,
      ...(h.maskSize > 0 ? { maskRefine: { size: h.maskSize, coefSize: h.maskCoefSize, radius: h.maskRadius, eps: h.maskEps } } : {}),
    };
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

  /** Every hand in one frame: tracked hands, the detectors when due, one result per hand, then the mesh and gestures. */
  async estimate(input: FrameInput, opts: EstimateOptions = {}): Promise<FrameResult> {
    if (this.disposed) throw new HandsError('internal', 'estimate() called after dispose()');
    const tracking = (opts.mode ?? 'image') === 'video' && this.config.tracking.enabled;
    const now = opts.timestampMs ?? performance.now();
    const t0 = performance.now();
    const image = this.toImageTensor(input);
    const [, height, width] = image.shape;
    const t1 = performance.now();
    try {
      if (!tracking) this.tracks = [];
      // 1. hands tracked from the previous frame
      let search = await this.followTracks(image);
      // 2. detectors, when hands may be missing
      const detectorRan = this.detectionDue(tracking);
      let boxDetectorRan = false;
      if (detectorRan) ({ search, boxDetectorRan } = await this.detectHands(image, search, tracking));
      else this.framesSinceDetection++;
      const accepted = this.oneResultPerHand(search.found);
      // a hand just vanished: look for hands again on the next frame instead of waiting
      if (search.lostTrack) this.framesSinceDetection = Infinity;

      // 3. a result per hand (tracks updated, keypoints smoothed on video)
      const tp = performance.now();
      const { hands: assembled, tracks, regression } = this.assembleHands(accepted, tracking, now);
      this.tracks = tracks;
      // 4. the hand mesh: fitted to the keypoints of all hands at once (HandResult.mesh)
      const { hands: meshed, meshMs } = await this.addMesh(assembled, width, height, tracking, regression);
      // 5. what each hand is doing, from its final keypoints (the mesh's 3D where it gives them)
      const { hands, gestureEvents } = this.addGestures(meshed, tracking, now);
      const tEnd = performance.now();
      return {
        hands,
        width,
        height,
        detectorRan,
        boxDetectorRan,
        gestureEvents,
        backend: this.backend.name,
        timings: { inputMs: t1 - t0, detectMs: search.detectMs, landmarksMs: search.landmarksMs, postMs: tEnd - tp - meshMs, meshMs, totalMs: tEnd - t0 },
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
    await this.landmarksOn(input, roi);
    return performance.now() - t0;
  }

  /**
   * The MediaPipe landmark network ALONE on one crop of `input` (no detection, tracking, filtering
   * or presence threshold): the accuracy baseline of `hands eval`. Keypoints in `input` pixels; 3D
   * in metres, image axes, relative to the wrist (as `estimate` reports them). `heads`: also run
   * the multi-task heads (when enabled) and return their hand mask (synthetic validation per scene
   * type, scripts/measure-scene-masks.ts); the keypoints stay the network's own.
   */
  async landmarksOnly(input: FrameInput, roi: RotatedRect, opts: { heads?: boolean } = {}): Promise<LandmarksOnlyResult> {
    const out = await this.landmarksOn(input, roi, opts.heads);
    const { xy, xyz } = keypointArrays(out);
    const mask = out.heads ? decodeHeads(out.heads, roi, this.config.heads, xy, xyz).mask : undefined;
    return { ...namedKeypoints(xy, xyz), presence: out.presence, ...handednessOf(out), ...(mask ? { mask } : {}) };
  }

  /** The landmark network on one crop of a frame (and the heads, when asked for and enabled). */
  private async landmarksOn(input: FrameInput, roi: RotatedRect, withHeads = false): Promise<LandmarkOutput> {
    const image = this.toImageTensor(input);
    try {
      const heads = withHeads ? this.heads() : undefined;
      return await this.landmarks().run(image, roi, heads, heads && this.headsNeeds());
    } finally {
      image.dispose();
    }
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

  /** Step 1: the landmark network on every tracked hand's crop from the previous frame. */
  private async followTracks(image: tf.Tensor4D): Promise<Search> {
    let search: Search = { found: [], landmarksMs: 0, detectMs: 0, lostTrack: false };
    for (const track of this.tracks) search = await this.tryCandidate(image, search, { roi: track.roi, source: 'tracking', track });
    return search;
  }

  /** Whether the detectors run on this frame: always on stills; on video when hands may be missing, every detectIntervalFrames-th frame. */
  private detectionDue(tracking: boolean): boolean {
    const cfg = this.config;
    return !tracking || this.tracks.length === 0 || (this.tracks.length < cfg.maxHands && this.framesSinceDetection + 1 >= cfg.tracking.detectIntervalFrames);
  }

  /**
   * Step 2: the palm detector, then the fallbacks while no hand is found with confidence: the box
   * detector (detectBoxes) and the zoomed-out palm pass.
   */
  private async detectHands(image: tf.Tensor4D, tracked: Search, tracking: boolean): Promise<{ search: Search; boxDetectorRan: boolean }> {
    const cfg = this.config;
    this.framesSinceDetection = 0;
    let search = await this.detectPalms(image, tracked, 1);
    // the box detector finds fists and backs of hands the palm detector misses, and gives a
    // second opinion where the palm detector fired on a cluster of fingers (a collapsed
    // skeleton, lower presence, which the NMS then drops). It runs while no hand is found with
    // confidence: with the 2021 palm detector, running it whenever fewer than maxHands were found
    // added no hand on hgcnn (200), HGR1 (236) or the fixtures and doubled the time of a one-hand
    // still (hgcnn 163 -> 69 ms/img, same keypoints). On video only every detectIntervalFrames-th
    // detection frame, so that with no hand in view it does not double the per-frame cost.
    const boxDue = allDoubtful(search.found) && (!tracking || ++this.detectionsSinceBoxDetection >= cfg.tracking.detectIntervalFrames);
    const boxDetectorRan = cfg.detector.boxFallback && boxDue;
    if (boxDetectorRan) {
      this.detectionsSinceBoxDetection = 0;
      search = await this.detectBoxes(image, search);
    }
    // a hand that fills the frame is too big for the palm detector (nothing found, or only a
    // doubtful skeleton on a cluster of fingers): look again zoomed out
    if (allDoubtful(search.found) && (!tracking || boxDetectorRan)) search = await this.detectPalms(image, search, ZOOM_OUT);
    return { search, boxDetectorRan };
  }

  /** Palm detections -> candidates. `zoom` > 1 pads the frame further (for hands that fill it). */
  private async detectPalms(image: tf.Tensor4D, before: Search, zoom: number): Promise<Search> {
    const cfg = this.config;
    const td = performance.now();
    const palms = await this.detector.detect(image, cfg.detector, cfg.maxHands * 2, zoom);
    let search: Search = { ...before, detectMs: before.detectMs + performance.now() - td };
    for (const palm of palms) {
      const roi = roiFromDetection(palm);
      const b = rectBounds(roi);
      // a palm on a hand we already have (and trust): skip before paying for its landmarks
      if (search.found.some((a) => a.out.presence >= CONFIDENT_PRESENCE && boxIoU(rectBounds(a.cand.roi), b) > cfg.tracking.duplicateIoU)) continue;
      search = await this.tryCandidate(image, search, { roi, source: 'palm-detection' });
    }
    return search;
  }

  /** Whole-hand boxes of the box detector -> candidates (a box has no orientation: re-cropped at least once). */
  private async detectBoxes(image: tf.Tensor4D, before: Search): Promise<Search> {
    const cfg = this.config;
    const boxDetector = await this.boxDetector();
    const td = performance.now();
    const boxes = await boxDetector.detect(image, cfg.detector.boxMinScore, cfg.maxHands * 2);
    let search: Search = { ...before, detectMs: before.detectMs + performance.now() - td };
    for (const hb of boxes) {
      // a box on a hand already found whole: skip before paying for its landmarks
      if (search.found.some((a) => boxIoU(a.box, hb.box) > cfg.tracking.duplicateIoU)) continue;
      search = await this.tryCandidate(image, search, { roi: roiFromBox(hb.box), source: 'box-detection' }, 1);
    }
    return search;
  }

  /**
   * Runs the landmark network on one candidate crop; the search with it added when a hand is
   * present. A detected hand (not a tracked one) then refines its crop: cropped again from its own
   * keypoints (MediaPipe's tracking rule, roiFromLandmarks) and run again, until the crop moves
   * less than landmarks.refineTolerance or landmarks.refinePasses re-crops were made. `minPasses`:
   * re-crops made whatever the settings (a box-detector crop has no orientation: at least one).
   * Duplicates are resolved afterwards (oneResultPerHand), so candidates that converge onto one
   * hand become one.
   */
  private async tryCandidate(image: tf.Tensor4D, search: Search, cand: Candidate, minPasses = 0): Promise<Search> {
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
    const landmarksMs = search.landmarksMs + ms;
    if (out.presence < cfg.landmarks.minPresence) return { ...search, landmarksMs, lostTrack: search.lostTrack || cand.track !== undefined };
    return { ...search, landmarksMs, found: [...search.found, { cand, out, box: boundsOf(out.keypoints), ms }] };
  }

  /**
   * At most maxHands hands, one answer per hand (suppressDuplicates). A fresh detection that wins
   * over its tracked duplicate (the same hand, better seen) takes over its track: id and filter.
   */
  private oneResultPerHand(found: readonly Accepted[]): Accepted[] {
    const inherited = new Map<Accepted, Track>();
    const kept = suppressDuplicates(
      found,
      this.config.maxHands,
      (a, b) => this.isDuplicate(a, b),
      (winner, dropped) => {
        if (dropped.cand.track && !winner.cand.track && !inherited.has(winner)) inherited.set(winner, dropped.cand.track);
      },
    );
    return kept.map((a) => {
      const track = inherited.get(a);
      return track ? { ...a, cand: { ...a.cand, track } } : a;
    });
  }

  /**
   * Step 3: the accepted hands as results: keypoints in image pixels (smoothed by their track on
   * video), the heads' dense outputs; the tracks for the next frame; the heads' regressed mesh
   * parameters of each hand (for the mesh stage).
   */
  private assembleHands(
    accepted: readonly Accepted[],
    tracking: boolean,
    now: number,
  ): { hands: HandResult[]; tracks: Track[]; regression: Array<Float32Array | undefined> } {
    const cfg = this.config;
    const tracks: Track[] = [];
    const hands = accepted.map(({ cand, out, box, ms }, i): HandResult => {
      const track = tracking ? (cand.track ?? new Track(this.nextId++, cand.roi, cfg.filter)) : undefined;
      const { xy, xyz } = keypointArrays(out);
      const dense = out.heads ? decodeHeads(out.heads, cand.roi, cfg.heads, xy, xyz) : undefined;
      if (track) {
        track.roi = roiFromLandmarks(out.keypoints);
        if (cfg.filter.enabled) track.smooth(xy, xyz, now / 1000, Math.max(box.xMax - box.xMin, box.yMax - box.yMin), handSize3d(xyz));
        tracks.push(track);
      }
      const { keypoints2d, keypoints3d } = namedKeypoints(xy, xyz);
      return {
        id: track ? track.id : i + 1,
        ...handednessOf(out),
        score: out.presence,
        box: boundsOf(keypoints2d),
        roi: cand.roi,
        source: cand.source,
        keypoints2d,
        keypoints3d,
        ...(dense ? { heatmaps: dense.heatmaps, mask: dense.mask } : {}),
        timings: { landmarksMs: ms },
      };
    });
    return { hands, tracks, regression: accepted.map((a) => a.out.heads?.params) };
  }

  /**
   * Step 4 (config.mesh): the mesh stage sets each hand's `mesh`; with mesh.keypoints3d the mesh's
   * joints replace the network's 3D keypoints.
   */
  private async addMesh(
    hands: HandResult[],
    width: number,
    height: number,
    tracking: boolean,
    regression: ReadonlyArray<Float32Array | undefined>,
  ): Promise<{ hands: HandResult[]; meshMs: number }> {
    const cfg = this.config.mesh;
    if (!cfg.enabled || !this.meshStage) return { hands, meshMs: 0 };
    const meshMs = (await this.meshStage.run(hands, width, height, cfg, tracking, regression)).totalMs;
    if (!cfg.keypoints3d) return { hands, meshMs };
    return { hands: hands.map((h) => (h.mesh ? { ...h, keypoints3d: meshKeypoints3d(h.mesh.keypoints) } : h)), meshMs };
  }

  /** Step 5 (config.gestures): each hand's gesture; on video, the tracked hands' gesture events. */
  private addGestures(hands: HandResult[], tracking: boolean, now: number): { hands: HandResult[]; gestureEvents: GestureEvent[] } {
    if (!this.config.gestures.enabled) return { hands, gestureEvents: [] };
    const classified = hands.map((h) => ({ ...h, gesture: classifyGesture(h, this.gestureModel) }));
    const gestureEvents = tracking
      ? this.gestureTracker.update(
          now,
          classified.map((h) => ({ id: h.id, gesture: h.gesture })),
        )
      : [];
    return { hands: classified, gestureEvents };
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
