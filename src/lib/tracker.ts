import type { BackendChoice } from '../core/backend';
import { qualityConfig, resolveConfig, type DeepPartial, type PipelineConfig, type Quality } from '../core/config';
import { HandsError } from '../core/errors';
import type { FileSource } from '../core/models/fileSource';
import type { LoadProgress } from '../core/models/loadGraphModel';
import { HandPipeline, type FrameInput } from '../core/pipeline';
import type { BackendName, FrameResult } from '../core/types';

/**
 * The package's API, in the style of MediaPipe's HandLandmarker and tfjs-models' createDetector:
 * `createHandTracker(options)` -> `detect(image)` / `detectForVideo(frame, timestampMs)` /
 * `setOptions()` / `dispose()`. One HandPipeline underneath, the same code the page and the CLI
 * run; the browser and Node entries (browser.ts, node.ts) only say where files come from.
 */
export interface HandTrackerOptions {
  /**
   * Where the model files are: a URL (browser: fetched; Node: http(s) fetched, file: read) or, in
   * Node, a folder path. Default: the models shipped in the package.
   */
  modelBaseUrl?: string | URL;
  /**
   * Where the TF.js WASM binaries are (a folder URL ending in "/"); default: the ones shipped
   * with the package. Never TF.js's CDN default.
   */
  wasmPaths?: string;
  /** Backends to try in order. Default: webgpu, webgl, wasm in a browser; wasm in Node. */
  backend?: BackendName | readonly BackendName[];
  /**
   * 'fast': MediaPipe's path (palm detector, crop, landmark network). 'best' (default): adds the
   * multi-task heads, and on stills the fitted hand mesh (README "Figures": lower 2D and 3D error).
   */
  quality?: Quality;
  /** Any pipeline setting (src/core/config.ts), over the quality preset, e.g. `{ maxHands: 4 }`. */
  config?: DeepPartial<PipelineConfig>;
  /** Model download progress. */
  onProgress?: (p: LoadProgress) => void;
  /**
   * Browser only: run the models in a Web Worker (the library's own, dist-lib/worker.js), so the
   * page's thread stays free. Frames then go as ImageBitmaps (any ImageBitmapSource is accepted).
   */
  worker?: boolean;
}

/** What createHandTracker returns, on the calling thread or in a worker (the same methods). */
export interface HandTracker {
  /** The backend that runs, and the ones that fell through (with the reason). */
  readonly backend: BackendChoice;
  /** Every hand in one image; nothing is carried over from earlier calls. */
  detect(image: FrameInput): Promise<FrameResult>;
  /**
   * One frame of a video: hands are tracked from the previous frame (ids stay, keypoints are
   * smoothed, gesture events fire). Timestamps must increase, as in MediaPipe's detectForVideo.
   */
  detectForVideo(frame: FrameInput, timestampMs: number): Promise<FrameResult>;
  /** Changes options between calls (loads a model on first use, e.g. the lite landmark network). */
  setOptions(options: Pick<HandTrackerOptions, 'quality' | 'config'>): Promise<void>;
  reset(): Promise<void> | void;
  /** Frees the models' memory (and the worker); the tracker cannot be used afterwards. */
  dispose(): void;
}

/** What one environment (browser or Node) supplies: its defaults for files and binaries. */
export interface TrackerEnvironment {
  files(modelBaseUrl: string | URL | undefined): FileSource;
  wasmPaths: string;
  defaultBackends: readonly BackendName[];
}

type Source = 'still' | 'video';

/** A HandTracker on this thread: one HandPipeline. */
export class LocalHandTracker implements HandTracker {
  private source: Source = 'still';
  private lastTimestampMs = -Infinity;
  private disposed = false;

  private constructor(
    private readonly pipeline: HandPipeline,
    private options: HandTrackerOptions,
  ) {}

  get backend(): BackendChoice {
    return this.pipeline.backend;
  }

  /** @internal use createHandTracker */
  static async create(env: TrackerEnvironment, options: HandTrackerOptions): Promise<LocalHandTracker> {
    const backends = options.backend === undefined ? env.defaultBackends : typeof options.backend === 'string' ? [options.backend] : options.backend;
    const pipeline = await HandPipeline.create({
      files: env.files(options.modelBaseUrl),
      config: configFor(options, 'still'),
      backend: { order: backends, wasmPaths: options.wasmPaths ?? env.wasmPaths },
      onProgress: options.onProgress,
    });
    return new LocalHandTracker(pipeline, options);
  }

  async detect(image: FrameInput): Promise<FrameResult> {
    await this.use('still');
    return this.pipeline.estimate(image, { mode: 'image' });
  }

  async detectForVideo(frame: FrameInput, timestampMs: number): Promise<FrameResult> {
    if (!(timestampMs > this.lastTimestampMs))
      throw new HandsError(
        'invalid-config',
        `detectForVideo: timestamp ${timestampMs} ms is not after the previous frame's (${this.lastTimestampMs} ms)`,
        'Pass increasing timestamps, e.g. video.currentTime * 1000 or performance.now().',
      );
    await this.use('video');
    this.lastTimestampMs = timestampMs;
    return this.pipeline.estimate(frame, { mode: 'video', timestampMs });
  }

  async setOptions(options: Pick<HandTrackerOptions, 'quality' | 'config'>): Promise<void> {
    this.assertLive();
    this.options = { ...this.options, ...options };
    await this.pipeline.setConfig(configFor(this.options, this.source));
  }

  reset(): void {
    this.pipeline.reset();
    this.lastTimestampMs = -Infinity;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pipeline.dispose();
  }

  /** Stills and video differ in their preset (the mesh runs on stills only): switch when the kind changes. */
  private async use(source: Source): Promise<void> {
    this.assertLive();
    if (source === this.source) return;
    this.source = source;
    await this.pipeline.setConfig(configFor(this.options, source));
    this.reset();
  }

  private assertLive(): void {
    if (this.disposed) throw new HandsError('internal', 'the hand tracker was disposed');
  }
}

/** The whole configuration for a source: defaults, then the quality preset, then the caller's settings. */
function configFor(options: HandTrackerOptions, source: Source): PipelineConfig {
  const variant = options.config?.landmarks?.variant ?? 'full';
  const preset = resolveConfig(qualityConfig(options.quality ?? 'best', variant, source));
  return resolveConfig(options.config ?? {}, preset);
}

/** @internal the entries' shared constructor */
export function createTracker(env: TrackerEnvironment, options: HandTrackerOptions = {}): Promise<LocalHandTracker> {
  return LocalHandTracker.create(env, options);
}
