import { NUM_KEYPOINTS } from '../../core/keypoints';
import type { FrameResult, HandResult, MaskData } from '../../core/types';

/** Metres to 1 micrometre, pixels to 1/1000 px: enough for any use, and half the bytes. */
const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** The mask's area in image pixels: crop pixels of probability >= 0.5 times the image area one covers. */
function maskAreaPx(mask: MaskData, h: HandResult): number {
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i] >= 128) n++;
  return Math.round((n * h.roi.width * h.roi.height) / (mask.size * mask.size));
}

function handJson(h: HandResult) {
  const m = h.mesh;
  return {
    id: h.id,
    handedness: h.handedness,
    handednessScore: round(h.handednessScore, 4),
    score: round(h.score, 4),
    source: h.source,
    box: h.box,
    roi: h.roi,
    keypoints2d: h.keypoints2d.map((k) => ({ name: k.name, x: round(k.x, 3), y: round(k.y, 3) })),
    keypoints3d: h.keypoints3d.map((k) => ({ name: k.name, x: round(k.x, 6), y: round(k.y, 6), z: round(k.z, 6) })),
    // the heads' dense outputs: whether they were computed, not the arrays (the mask is in the Mask (.png) export)
    mask: h.mask ? { size: h.mask.size, areaPx: maskAreaPx(h.mask, h) } : null,
    heatmaps: h.heatmaps ? { size: h.heatmaps.size, keypoints: NUM_KEYPOINTS } : null,
    gesture: h.gesture
      ? {
          label: h.gesture.label,
          score: round(h.gesture.score, 4),
          pinch: round(h.gesture.pinch.strength, 4),
          fingers: Object.fromEntries(Object.entries(h.gesture.fingers).map(([f, p]) => [f, p.state])),
        }
      : null,
    mesh: m && {
      handedness: m.handedness,
      params: m.params,
      residualMm: round(m.residualMm, 3),
      residualPx: round(m.residualPx, 3),
      wristDepth: round(m.wristDepth, 6),
      thickness: round(m.thickness, 6),
      fovDegrees: m.fovDegrees,
      vertexCount: m.vertices.length / 3,
      vertices: Array.from(m.vertices, (v) => round(v, 6)),
    },
  };
}

/**
 * One frame's result as a JSON document: per hand the keypoints (2D px and 3D m), handedness,
 * scores, box, and the fitted mesh's parameters, residuals and vertices (the triangles are the
 * same for every frame: take them from the .glb / .obj export).
 */
export function resultToJson(result: FrameResult, source: string): string {
  return JSON.stringify(
    {
      format: 'hands/result',
      version: 1,
      source,
      image: { width: result.width, height: result.height },
      backend: result.backend,
      heads: result.hands.some((h) => h.mask || h.heatmaps),
      conventions: {
        keypoints2d: 'image pixels of the analysed frame, x right, y down, (0, 0) the top-left corner',
        keypoints3d: 'metres, camera axes (x right, y down, z forward), relative to the wrist',
        mesh: 'vertices [x0, y0, z0, x1, ...]: metres, camera frame (x right, y down, z forward), absolute; params.translation = the wrist; image = pinhole camera with fovDegrees horizontal, principal point at the centre',
        handedness: 'of the real hand in the un-mirrored image',
        mask: "null when the multi-task heads were off; else the size of the size x size mask in the hand's roi crop and its area (probability >= 0.5) in image pixels; the pixels themselves: the Mask (.png) export",
        heatmaps: "null when the multi-task heads were off; else size x size x keypoints maps in the hand's roi crop (not exported)",
      },
      timings: result.timings,
      hands: result.hands.map(handJson),
    },
    null,
    1,
  );
}
