import type { FrameResult } from '../core/types';
import type { DenseLayerCost } from './layerCost';

/**
 * What the end-to-end tests read: body[data-state] ('loading' | 'ready' | 'error'),
 * body[data-hands] after each result, and the last result itself.
 */
declare global {
  interface Window {
    __handsLastResult?: FrameResult;
    /** The mesh overlay as drawn: where it put each hand's vertices, and which vertices are keypoints. */
    __handsMeshOverlay?: MeshOverlayProbe;
    /** Shows or hides the picture under the overlay layers (tests read a layer alone on the dark canvas). */
    __handsSetPictureVisible?: (visible: boolean) => void;
    /** Measures the Mask and Heat maps layers' per-frame cost on the latest result (tests, benchmarks). */
    __handsDenseLayerCost?: (frames?: number) => DenseLayerCost | null;
    /** Air drawing's strokes now (source-image pixels). */
    __handsStrokes?: () => ReadonlyArray<{ handId: number; points: ReadonlyArray<readonly [number, number]> }>;
    /** Running counts: results shown, TF.js tensors alive on the inference side after the last one, restarts. */
    __handsStats?: PageStats;
  }
}

export interface PageStats {
  /** Results received (all sources, stale ones excluded). */
  results: number;
  /** Tensors alive on the inference side after the latest result. */
  tensors: number;
  /** Times the inference side was replaced (worker died, WebGL context lost, a frame hung). */
  restarts: number;
  /** Why it was last replaced ('' before any restart). */
  lastRestart: string;
}

const stats: PageStats = { results: 0, tensors: 0, restarts: 0, lastRestart: '' };

export function publishResultStats(tensors: number): void {
  stats.results++;
  stats.tensors = tensors;
  window.__handsStats = stats;
}

export function publishRestart(reason: string): void {
  stats.restarts++;
  stats.lastRestart = reason;
  window.__handsStats = stats;
  document.body.dataset.restarts = String(stats.restarts);
}

export interface MeshOverlayProbe {
  /** Per keypoint (KEYPOINT_NAMES order), the mesh vertex carrying it, or -1 (a joint inside the mesh). */
  readonly keypointVertices: number[];
  /** Image pixels [x0, y0, x1, ...] where the mesh layer last drew hand `handIndex` of the last result, or null. */
  projected(handIndex: number): number[] | null;
}

export function publishMeshOverlay(probe: MeshOverlayProbe): void {
  window.__handsMeshOverlay = probe;
}

export function publishDenseLayerCost(measure: (frames?: number) => DenseLayerCost | null): void {
  window.__handsDenseLayerCost = measure;
}

export function publishPictureSwitch(setVisible: (visible: boolean) => void): void {
  window.__handsSetPictureVisible = setVisible;
}

export type PageState = 'loading' | 'ready' | 'error';

export function publishState(state: PageState): void {
  document.body.dataset.state = state;
}

export function publishResult(result: FrameResult): void {
  window.__handsLastResult = result;
  document.body.dataset.hands = String(result.hands.length);
}

export function publishStrokes(read: NonNullable<Window['__handsStrokes']>): void {
  window.__handsStrokes = read;
}
