import type { Handedness } from '../core/types';

/**
 * What stays the same for every frame's hand mesh (HandResult.mesh): sent by the worker once,
 * shared by the mesh layers and the exporters. Plain data (survives postMessage).
 */
export interface MeshTopology {
  /** Vertices per hand (HandMesh.vertices holds vertexCount * 3 numbers). */
  vertexCount: number;
  /**
   * Triangles [T * 3] of each model, counter-clockwise seen from outside; pick them with
   * `mesh.handedness` (the model fitted), which may differ from the hand's label.
   */
  triangles: Record<Handedness, Uint16Array>;
  /**
   * For each of the 21 keypoints (KEYPOINT_NAMES order): the mesh vertex that carries it (the
   * fingertips), or -1 where the keypoint is a joint inside the mesh.
   */
  keypointVertices: Int16Array;
}
