import type { FrameResult } from '../core/types';

/**
 * What the end-to-end tests read: body[data-state] ('loading' | 'ready' | 'error'),
 * body[data-hands] after each result, and the last result itself.
 */
declare global {
  interface Window {
    __handsLastResult?: FrameResult;
    /** The mesh overlay as drawn: where it put each hand's vertices, and which vertices are keypoints. */
    __handsMeshOverlay?: MeshOverlayProbe;
  }
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

export type PageState = 'loading' | 'ready' | 'error';

export function publishState(state: PageState): void {
  document.body.dataset.state = state;
}

export function publishResult(result: FrameResult): void {
  window.__handsLastResult = result;
  document.body.dataset.hands = String(result.hands.length);
}
