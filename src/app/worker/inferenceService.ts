import { HandPipeline } from '../../core/pipeline';
import { HandsError } from '../../core/errors';
import {
  activeWebGLContext,
  crossOriginIsolatedHere,
  DEFAULT_BACKEND_ORDER,
  defaultWasmThreads,
  resetBackend,
  watchWebGLContextLoss,
} from '../../core/backend';
import type { LoadProgress } from '../../core/models/loadGraphModel';
import { BrowserFileSource } from '../browserFileSource';
import { WASM_PATHS } from '../wasmPaths';
import type { FrameResult } from '../../core/types';
import { installInferenceProbe, tensorCount } from './inferenceProbe';
import { meshTopologyOf } from './meshTopologyOf';
import type { FromWorker, ToWorker } from './protocol';

/** Sends a message; `transfer`: buffers handed over (not copied) to the page. */
export type Post = (msg: FromWorker, transfer?: Transferable[]) => void;

/**
 * The inference side of the protocol: owns the HandPipeline, answers each request in arrival
 * order. The worker wraps it around postMessage; the main-thread fallback calls it directly.
 */
export class InferenceService {
  private pipeline: HandPipeline | null = null;
  private queue: Promise<void> = Promise.resolve();
  /** The mesh topology went to the page (once per pipeline). */
  private topologySent = false;
  /** Lost its backend (or disposed): answers nothing more; the page starts a new service. */
  private dead = false;
  private unwatch: () => void = () => {};

  constructor(private readonly post: Post) {
    installInferenceProbe();
  }

  /** Requests run one after another, so a config change never lands in the middle of a frame. */
  handle(msg: ToWorker): void {
    if (this.dead) {
      if (msg.type === 'frame') msg.bitmap.close();
      return;
    }
    this.queue = this.queue.then(() => this.run(msg));
  }

  /** Stops answering and frees the models (main-thread mode; a worker is simply terminated). */
  dispose(): void {
    this.dead = true;
    this.unwatch();
    try {
      this.pipeline?.dispose();
    } catch {
      // a lost context: the memory is gone with it
    }
    this.pipeline = null;
  }

  private async run(msg: ToWorker): Promise<void> {
    if (this.dead) {
      if (msg.type === 'frame') msg.bitmap.close();
      return;
    }
    switch (msg.type) {
      case 'init':
        return this.init(msg);
      case 'frame':
        return this.frame(msg);
      case 'setConfig':
        try {
          const config = await this.ready().setConfig(msg.config, this.progress);
          this.sendTopology();
          this.post({ type: 'config', config });
        } catch (err) {
          this.post({ type: 'error', error: HandsError.from(err).toJSON(), fatal: false });
        }
        return;
      case 'reset':
        this.pipeline?.reset();
        return;
    }
  }

  private readonly progress = (p: LoadProgress) => this.post({ type: 'progress', loaded: p.loaded, total: p.total, file: p.file });

  private async init(msg: Extract<ToWorker, { type: 'init' }>): Promise<void> {
    try {
      this.unwatch();
      this.pipeline?.dispose();
      this.pipeline = null;
      // main-thread mode after a lost context: TF.js still holds the dead WebGL backend
      if (activeWebGLContext()?.isContextLost()) resetBackend('webgl');
      const threads = wasmThreadsFor(msg.wasmThreads);
      const pipeline = await HandPipeline.create({
        files: new BrowserFileSource(),
        config: msg.config,
        backend: { order: msg.backendOrder ?? DEFAULT_BACKEND_ORDER, wasmPaths: WASM_PATHS, wasmThreads: threads.count },
        onProgress: this.progress,
      });
      // shader compilation and first-call costs land here, not on the user's first frame
      await pipeline.warmup();
      this.pipeline = pipeline;
      this.topologySent = false;
      this.unwatch = watchWebGLContextLoss(() => this.lost('the GPU context (WebGL) was lost'));
      this.sendTopology();
      const { name, fallbacks, threads: inUse } = pipeline.backend;
      const threadsNote = name === 'wasm' && inUse === 1 ? threads.note : undefined;
      this.post({ type: 'ready', backend: name, fallbacks, config: pipeline.currentConfig, threads: inUse, threadsNote });
    } catch (err) {
      this.post({ type: 'error', error: HandsError.from(err).toJSON(), fatal: true });
    }
  }

  /** The backend is gone: say so once, then stay silent (a frame in flight may never finish). */
  private lost(reason: string): void {
    if (this.dead) return;
    this.dead = true;
    this.post({ type: 'lost', reason });
  }

  private async frame(msg: Extract<ToWorker, { type: 'frame' }>): Promise<void> {
    try {
      const result = await this.ready().estimate(msg.bitmap, { mode: msg.mode, timestampMs: msg.timestampMs });
      if (this.dead) return;
      this.sendTopology();
      this.post({ type: 'result', frameId: msg.frameId, result, tensors: tensorCount() }, resultBuffers(result));
    } catch (err) {
      if (!this.dead) this.post({ type: 'error', error: HandsError.from(err).toJSON(), frameId: msg.frameId, fatal: false });
    } finally {
      // transferred to us: free the decoded pixels now rather than at garbage collection
      msg.bitmap.close();
    }
  }

  /** The mesh triangles, once, as soon as the mesh stage exists (before any result with a mesh). */
  private sendTopology(): void {
    if (this.topologySent || !this.pipeline) return;
    const topology = meshTopologyOf(this.pipeline);
    if (!topology) return;
    this.topologySent = true;
    this.post({ type: 'meshTopology', topology });
  }

  private ready(): HandPipeline {
    if (!this.pipeline) throw new HandsError('internal', 'the hand models are not loaded yet', 'Wait for loading to finish.');
    return this.pipeline;
  }
}

/**
 * The typed arrays' buffers of a result, transferred rather than copied: the meshes' vertices (each
 * the hand's own: fitHands slices them) and the heads' heat maps (65 KB a hand) and mask (each made
 * per frame by decodeHeads; the pipeline keeps none of them). Only whole buffers are transferred.
 */
function resultBuffers(result: FrameResult): Transferable[] {
  const buffers: Transferable[] = [];
  const add = (a: ArrayBufferView | undefined) => {
    const buf = a?.buffer;
    if (buf instanceof ArrayBuffer && a!.byteOffset === 0 && a!.byteLength === buf.byteLength && !buffers.includes(buf)) buffers.push(buf);
  };
  for (const h of result.hands) {
    add(h.mesh?.vertices);
    add(h.heatmaps?.data);
    add(h.mask?.data);
  }
  return buffers;
}

/**
 * WASM threads for this context, and why it is one when so. Threads are Web Workers started from
 * blob: URLs, which the page's CSP (index.html) forbids on the page's own thread; the inference
 * worker has no CSP of its own. Without cross-origin isolation there is no SharedArrayBuffer.
 */
function wasmThreadsFor(asked: number | undefined): { count: number; note: string } {
  if (asked === 1) return { count: 1, note: 'one thread requested by ?threads=1' };
  if (!('WorkerGlobalScope' in globalThis)) return { count: 1, note: 'inference runs on the page thread, whose CSP allows no blob: workers' };
  if (!crossOriginIsolatedHere()) return { count: 1, note: 'the page is not cross-origin isolated (no COOP/COEP headers), so no SharedArrayBuffer' };
  return { count: asked ?? defaultWasmThreads(), note: '' };
}
