/**
 * Messages between a WorkerHandTracker (the app's thread) and the library's worker (worker.ts).
 * Frames travel as transferred ImageBitmaps; every request carries an id its answer repeats.
 */
import type { BackendChoice } from '../core/backend';
import type { HandsError } from '../core/errors';
import type { LoadProgress } from '../core/models/loadGraphModel';
import type { FrameResult } from '../core/types';
import type { HandTrackerOptions } from './tracker';

/** What of HandTrackerOptions can cross to a worker (no callbacks). */
export type WorkerTrackerOptions = Omit<HandTrackerOptions, 'onProgress' | 'modelBaseUrl' | 'worker'> & { modelBaseUrl?: string };

export type ToLibraryWorker =
  | { type: 'create'; id: number; options: WorkerTrackerOptions }
  | { type: 'detect'; id: number; image: ImageBitmap }
  | { type: 'detectForVideo'; id: number; frame: ImageBitmap; timestampMs: number }
  | { type: 'setOptions'; id: number; options: Pick<HandTrackerOptions, 'quality' | 'config'> }
  | { type: 'reset'; id: number };

export type FromLibraryWorker =
  | { type: 'created'; id: number; backend: BackendChoice }
  | { type: 'result'; id: number; result: FrameResult }
  | { type: 'done'; id: number }
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'error'; id: number; error: ReturnType<HandsError['toJSON']> };
