import { maskCountsRawAndHandOnly, maskCountsWithBoundary, type MaskCounts } from '../../core/metrics/masks';
import type { Vec2 } from '../../core/metrics/keypoints2d';
import type { FrameResult } from '../../core/types';
import { frameMask } from '../../core/multitask/frameMask';
import { cameraFromFov } from '../../core/handModel/camera';
import { meshSilhouette } from '../../core/handModel/silhouette';
import type { Handedness } from '../../core/types';

/**
 * Hand segmentation scored against a GT mask, raw and hand-only (prediction and GT cut at one
 * wrist line: the GT's own where the set labels keypoints, else the pipeline's; run.ts
 * handOnlyWrist), for the multi-task heads' mask, the fitted meshes' silhouette (with
 * the mesh stage on) and, in the same run, a classical baseline: a YCrCb skin-colour rule.
 */
export const SEGMENTERS = ['heads mask', 'mesh silhouette', 'skin-colour rule'] as const;
export type Segmenter = (typeof SEGMENTERS)[number];

export interface SegmentationCase {
  raw: MaskCounts;
  handOnly: MaskCounts;
}

/** Skin by the classic YCrCb box (Chai & Ngan 1999): 133 <= Cr <= 173, 77 <= Cb <= 127. */
export function skinRule(rgb: ArrayLike<number>, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const r = rgb[3 * i];
    const g = rgb[3 * i + 1];
    const b = rgb[3 * i + 2];
    const cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
    const cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
    out[i] = cr >= 133 && cr <= 173 && cb >= 77 && cb <= 127 ? 1 : 0;
  }
  return out;
}

/** 0/1 from 0..255 at 50 %. */
export function binarise(m: Uint8Array): Uint8Array {
  const out = new Uint8Array(m.length);
  for (let i = 0; i < m.length; i++) out[i] = m[i] >= 128 ? 1 : 0;
  return out;
}

/**
 * Scores the segmenters on one image. `cut`: the wrist line of the hand-only figures
 * (handOnlyWrist); without it, hand-only equals raw.
 */
export function scoreSegmentation(
  frame: FrameResult,
  rgb: ArrayLike<number>,
  gt: Uint8Array,
  cut?: { wrist: Vec2; middleMcp: Vec2 },
  meshTriangles?: (handedness: Handedness) => ArrayLike<number> | undefined,
): Partial<Record<Segmenter, SegmentationCase>> {
  const { width, height } = frame;
  const out: Partial<Record<Segmenter, SegmentationCase>> = {};
  const score = (pred: Uint8Array): SegmentationCase => {
    if (cut) return maskCountsRawAndHandOnly(pred, gt, width, height, cut.wrist, cut.middleMcp);
    const c = maskCountsWithBoundary(pred, gt, width, height);
    return { raw: c, handOnly: c };
  };
  if (frame.hands.some((h) => h.mask)) out['heads mask'] = score(binarise(frameMask(frame)));
  if (meshTriangles && frame.hands.some((h) => h.mesh)) {
    const sil = new Uint8Array(width * height);
    for (const h of frame.hands) {
      const tris = h.mesh && meshTriangles(h.mesh.handedness);
      if (tris) meshSilhouette(cameraFromFov(width, height, h.mesh!.fovDegrees), h.mesh!.vertices, tris, width, height, sil);
    }
    out['mesh silhouette'] = score(sil);
  }
  out['skin-colour rule'] = score(skinRule(rgb, width, height));
  return out;
}
