/**
 * The overlay's draw order in one place (three.js `renderOrder`, lower first). Only the mesh tests
 * depth (against itself, for its own hidden faces); every other layer is flat and drawn over what
 * came before, so this order decides what covers what: the picture, the dense layers that tint it,
 * the mesh, lines and points on top, air-drawing strokes over all. (The 3D view is another scene
 * with its own order: handMeshes3d.ts.)
 */
export const DRAW_ORDER = {
  picture: 0,
  mask: 0.3,
  heatmaps: 0.4,
  /** The mesh overlay's two passes: depth only, then colour where it is the front surface. */
  meshDepth: 0.5,
  meshColor: 0.6,
  boxes: 1,
  skeleton: 2,
  keypointRims: 3,
  keypointFills: 4,
  strokes: 5,
} as const;
