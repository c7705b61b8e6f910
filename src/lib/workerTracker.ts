import type { BackendChoice } from '../core/backend';
import { HandsError } from '../core/errors';
import type { LoadProgress } from '../core/models/loadGraphModel';
import type { FrameInput } from '../core/pipeline';
import type { FrameResult } from '../core/types';
import type { HandTracker, HandTrackerOptions } from './tracker';
import type { FromLibraryWorker, ToLibraryWorker } from './workerProtocol';

type Pending = { resolve: (msg: FromLibraryWorker) => void; reject: (err: HandsError) => void };

/**
 * A HandTracker whose models run in the library's Web Worker: each call posts one message (frames
 * as transferred ImageBitmaps) and resolves with the worker's answer to that message's id.
 */
export class WorkerHandTracker implements HandTracker {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private disposed = false;
  private backendChoice: BackendChoice = { name: 'wasm', fallbacks: [] };

  private constructor(
    private readonly worker: Worker,
    private readonly onProgress?: (p: LoadProgress) => void,
  ) {
    worker.onmessage = (e: MessageEvent<FromLibraryWorker>) => this.onMessage(e.data);
    worker.onerror = (e) =>
      this.failAll(
        new HandsError('internal', `the hand tracker's worker failed: ${e.message}`, 'Check that dist-lib/worker.js is served next to the library.'),
      );
  }

  get backend(): BackendChoice {
    return this.backendChoice;
  }

  static async create(scriptUrl: URL, options: HandTrackerOptions): Promise<WorkerHandTracker> {
    const { onProgress, worker: _worker, modelBaseUrl, ...rest } = options;
    const tracker = new WorkerHandTracker(new Worker(scriptUrl, { type: 'module' }), onProgress);
    try {
      const answer = await tracker.request({
        type: 'create',
        id: 0,
        options: { ...rest, ...(modelBaseUrl === undefined ? {} : { modelBaseUrl: String(modelBaseUrl) }) },
      });
      if (answer.type === 'created') tracker.backendChoice = answer.backend;
      return tracker;
    } catch (err) {
      tracker.dispose();
      throw err;
    }
  }

  async detect(image: FrameInput): Promise<FrameResult> {
    const bitmap = await toBitmap(image);
    return resultOf(await this.request({ type: 'detect', id: 0, image: bitmap }, [bitmap]));
  }

  async detectForVideo(frame: FrameInput, timestampMs: number): Promise<FrameResult> {
    const bitmap = await toBitmap(frame);
    return resultOf(await this.request({ type: 'detectForVideo', id: 0, frame: bitmap, timestampMs }, [bitmap]));
  }

  async setOptions(options: Pick<HandTrackerOptions, 'quality' | 'config'>): Promise<void> {
    await this.request({ type: 'setOptions', id: 0, options });
  }

  async reset(): Promise<void> {
    await this.request({ type: 'reset', id: 0 });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.worker.terminate();
    this.failAll(new HandsError('internal', 'the hand tracker was disposed'));
  }

  private request(msg: ToLibraryWorker, transfer: Transferable[] = []): Promise<FromLibraryWorker> {
    if (this.disposed) return Promise.reject(new HandsError('internal', 'the hand tracker was disposed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...msg, id }, transfer);
    });
  }

  private onMessage(msg: FromLibraryWorker): void {
    if (msg.type === 'progress') return void this.onProgress?.(msg.progress);
    const waiting = this.pending.get(msg.id);
    if (!waiting) return;
    this.pending.delete(msg.id);
    if (msg.type === 'error') waiting.reject(HandsError.from(msg.error));
    else waiting.resolve(msg);
  }

  private failAll(err: HandsError): void {
    for (const waiting of this.pending.values()) waiting.reject(err);
    this.pending.clear();
  }
}

function resultOf(answer: FromLibraryWorker): FrameResult {
  if (answer.type !== 'result') throw new HandsError('internal', `the hand tracker's worker answered ${answer.type} to a frame`);
  return answer.result;
}

/** Frames cross to the worker as ImageBitmaps (a tensor cannot: it lives in this thread's backend). */
async function toBitmap(image: FrameInput): Promise<ImageBitmap> {
  if (typeof ImageBitmap !== 'undefined' && image instanceof ImageBitmap) return createImageBitmap(image);
  if (typeof (image as { dataSync?: unknown }).dataSync === 'function')
    throw new HandsError(
      'invalid-config',
      'a worker tracker takes images, not tensors',
      'Pass an image, video, canvas, ImageBitmap or ImageData, or create the tracker without { worker: true }.',
    );
  return createImageBitmap(image as ImageBitmapSource);
}
