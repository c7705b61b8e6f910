/**
 * Messages between the page and the inference worker (or its main-thread stand-in).
 *
 * Our own protocol rather than comlink: there are a handful of messages, the one that matters every frame
 * must *transfer* an ImageBitmap (comlink needs an extra `transfer()` wrapper for that and hides
 * it behind proxies), progress and errors are pushed by the worker unasked (comlink is call/return,
 * so these would need callback proxies), and it costs no dependency. Discriminated unions keep
 * both ends type-checked.
 */
import type { DeepPartial, PipelineConfig } from '../../core/config';
import type { HandsErrorCode } from '../../core/errors';
import type { BackendName, FrameResult } from '../../core/types';
import type { MeshTopology } from '../../render/meshTopology';

export type FrameMode = 'video' | 'image';

/** Page -> worker. */
export type ToWorker =
  | {
      type: 'init';
      config: DeepPartial<PipelineConfig>;
      /** Backends to try in order; omitted: core's default (webgpu -> webgl -> wasm). */
      backendOrder?: BackendName[];
      /** WASM backend threads; omitted: core's default. Read once per worker (TF.js starts wasm once). */
      wasmThreads?: number;
    }
  | {
      type: 'frame';
      frameId: number;
      /** Transferred: the receiver owns it and closes it after use. */
      bitmap: ImageBitmap;
      timestampMs: number;
      mode: FrameMode;
    }
  | { type: 'setConfig'; config: DeepPartial<PipelineConfig> }
  /** Forget tracked hands (the source changed). */
  | { type: 'reset' };

export interface BackendFallback {
  name: BackendName;
  reason: string;
}

export interface ErrorPayload {
  code: HandsErrorCode;
  message: string;
  hint: string;
}

/** Worker -> page. */
export type FromWorker =
  | { type: 'progress'; loaded: number; total: number; file: string }
  /** `threads`: wasm only, the threads it runs on; `threadsNote`: why only one, when so. */
  | { type: 'ready'; backend: BackendName; fallbacks: BackendFallback[]; config: PipelineConfig; threads?: number; threadsNote?: string }
  /**
   * The hand mesh's triangles, sent ONCE, when the mesh stage is first loaded and before any
   * result that carries a mesh; results then carry only vertices (HandMesh.vertices, whose
   * buffers are transferred, not copied).
   */
  | { type: 'meshTopology'; topology: MeshTopology }
  /**
   * `tensors`: TF.js tensors alive after this frame (flat over a long run, or something leaks).
   * The result's typed arrays (mesh vertices, the heads' heat maps and mask) are transferred, not copied.
   */
  | { type: 'result'; frameId: number; result: FrameResult; tensors: number }
  | { type: 'config'; config: PipelineConfig }
  /** `frameId` set: that frame failed (the page may send the next one). `fatal`: init failed. */
  | { type: 'error'; error: ErrorPayload; frameId?: number; fatal: boolean }
  /**
   * The inference side cannot go on (its WebGL context was lost: every model on the GPU is gone
   * and a read-back may never finish). Nothing more comes from it: the page starts a new one.
   */
  | { type: 'lost'; reason: string }
  /** Worker only, handled by WorkerClient: the worker holds its life lock (see inference.worker.ts). */
  | { type: 'alive' };

/** Where inference runs, for the HUD. */
export type InferenceMode = 'worker' | 'main-thread';
