/**
 * The library's Web Worker (dist-lib/worker.js, started by WorkerHandTracker): one LocalHandTracker,
 * answering each message of workerProtocol.ts in order.
 */
import { HandsError } from '../core/errors';
import { browserEnvironment } from './browserEnvironment';
import { createTracker, type LocalHandTracker } from './tracker';
import type { FromLibraryWorker, ToLibraryWorker } from './workerProtocol';

const scope = self as unknown as { postMessage(msg: FromLibraryWorker): void; onmessage: ((e: MessageEvent<ToLibraryWorker>) => void) | null };
let tracker: LocalHandTracker | null = null;
// one message at a time, in arrival order: the pipeline is not re-entrant
let queue: Promise<void> = Promise.resolve();

scope.onmessage = (e) => {
  queue = queue.then(() => handle(e.data));
};

async function handle(msg: ToLibraryWorker): Promise<void> {
  try {
    scope.postMessage(await answer(msg));
  } catch (err) {
    scope.postMessage({ type: 'error', id: msg.id, error: HandsError.from(err).toJSON() });
  } finally {
    if (msg.type === 'detect') msg.image.close();
    if (msg.type === 'detectForVideo') msg.frame.close();
  }
}

async function answer(msg: ToLibraryWorker): Promise<FromLibraryWorker> {
  if (msg.type === 'create') {
    tracker = await createTracker(browserEnvironment, { ...msg.options, onProgress: (progress) => scope.postMessage({ type: 'progress', progress }) });
    return { type: 'created', id: msg.id, backend: tracker.backend };
  }
  if (!tracker) throw new HandsError('internal', 'the worker got a frame before create');
  switch (msg.type) {
    case 'detect':
      return { type: 'result', id: msg.id, result: await tracker.detect(msg.image) };
    case 'detectForVideo':
      return { type: 'result', id: msg.id, result: await tracker.detectForVideo(msg.frame, msg.timestampMs) };
    case 'setOptions':
      await tracker.setOptions(msg.options);
      return { type: 'done', id: msg.id };
    case 'reset':
      tracker.reset();
      return { type: 'done', id: msg.id };
    default: {
      const unknown: never = msg;
      throw new HandsError('internal', `unknown message ${JSON.stringify(unknown)}`);
    }
  }
}
