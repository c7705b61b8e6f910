import { cropToImage, imageToCrop } from '../geometry/cropTransform';
import { boneLengths, pofTo3d } from './pofTo3d';
import type { RotatedRect } from '../geometry/rect';
import { NUM_KEYPOINTS } from '../keypoints';
import type { HeadsRaw } from '../landmarks/landmarkModel';
import type { HeadsConfig } from '../config';
import type { HeatmapsData, MaskData } from '../types';
import { SOFT_ARGMAX_RADIUS, softArgmaxHWC } from './decodeHeatmaps';
import { HEADS_SIZE } from './headsModel';

const CROP = 224;

/**
 * 'fused' keypoints: the mean of the heat map's and the regression's keypoint where the two agree
 * within the soft-argmax window (2 cells of the 56-px map = 8 crop px: the heat map's peak then lies
 * in the window around the regression, a refinement of the same answer); beyond it they found
 * different things and the regression, the one that holds up on real photos, stands alone. So a
 * fused keypoint never leaves the regression by more than 4 crop px: the heads can refine, not ruin.
 * The gate is set by the map's geometry, not fitted. Measured after the fact (`hands eval`, dev
 * hgcnn, 2021 detector): plain mean 6.22 px mean / 4.75 median / PCK@0.05 0.908 / PCK@0.1 0.993;
 * gated 5.89 / 4.81 / 0.931 / 0.999; regression 6.38 / 5.47 / 0.920 / 0.999. On synthetic crops no
 * gate helped (training/hiu/fusion_calib.py: there the regression is the worse estimate). A weight
 * growing with the map's peak (least squares on synthetic crops) made real images worse (hgcnn 6.96
 * -> 7.09 px, previous heads): on real crops a confident peak can still be wrong.
 */
export const FUSION_GATE_CELLS = SOFT_ARGMAX_RADIUS;

/**
 * The heads' raw outputs -> result data: heat maps and mask as compact 0..255 maps in the crop (the
 * mask refined on the picture when the raw outputs carry it, else the heads' 56 x 56 grid);
 * with config.keypoints3d 'pof', 3D keypoints from the POF (written into `xyz`, root-relative
 * metres, camera axes; bone lengths from the incoming `xyz`); and (unless config.keypoints says
 * 'regression') 2D keypoints from the heat maps, written into `xy` (image pixels) in place of, or
 * fused with (FUSION_GATE_CELLS), the landmark network's regression.
 */
export function decodeHeads(
  raw: HeadsRaw,
  roi: RotatedRect,
  cfg: HeadsConfig,
  xy: Float64Array,
  xyz: Float64Array,
): { heatmaps: HeatmapsData; mask: MaskData } {
  const keypoints = cfg.keypoints;
  const n = HEADS_SIZE * HEADS_SIZE;
  const fine = raw.maskRefined;
  const maskSize = fine ? fine.size : HEADS_SIZE;
  const mask = new Uint8Array(maskSize * maskSize);
  if (fine) for (let i = 0; i < mask.length; i++) mask[i] = Math.round(255 * Math.min(1, Math.max(0, fine.data[i])));
  else for (let i = 0; i < n; i++) mask[i] = Math.round(255 / (1 + Math.exp(-raw.maskLogits[i])));
  const hm = new Uint8Array(n * NUM_KEYPOINTS);
  for (let i = 0; i < hm.length; i++) hm[i] = Math.round(255 * Math.min(1, Math.max(0, raw.heatmaps[i])));
  if (cfg.keypoints3d === 'pof' && raw.pof) {
    // the 3D from the POF, with the landmark network's bone lengths, read along the 2D bones
    const m = { rect: roi, outWidth: CROP, outHeight: CROP };
    const crop2d = new Float64Array(NUM_KEYPOINTS * 2);
    const p = { x: 0, y: 0 };
    for (let k = 0; k < NUM_KEYPOINTS; k++) {
      imageToCrop(m, xy[2 * k], xy[2 * k + 1], p);
      crop2d[2 * k] = p.x;
      crop2d[2 * k + 1] = p.y;
    }
    const local = pofTo3d(raw.pof, HEADS_SIZE, crop2d, boneLengths(xyz), CROP);
    // crop-aligned -> camera axes (as MediaPipe's world landmarks are rotated back)
    const c = Math.cos(roi.rotation);
    const s = Math.sin(roi.rotation);
    for (let k = 0; k < NUM_KEYPOINTS; k++) {
      xyz[3 * k] = local[3 * k] * c - local[3 * k + 1] * s;
      xyz[3 * k + 1] = local[3 * k] * s + local[3 * k + 1] * c;
      xyz[3 * k + 2] = local[3 * k + 2];
    }
  }
  if (keypoints !== 'regression') {
    const { xy: crop } = softArgmaxHWC(raw.heatmaps, HEADS_SIZE, NUM_KEYPOINTS, CROP);
    const m = { rect: roi, outWidth: CROP, outHeight: CROP };
    const p = { x: 0, y: 0 };
    const gate = FUSION_GATE_CELLS * (CROP / HEADS_SIZE) * (roi.width / CROP); // image pixels
    for (let k = 0; k < NUM_KEYPOINTS; k++) {
      cropToImage(m, crop[2 * k], crop[2 * k + 1], p);
      const w = keypoints === 'heatmaps' ? 1 : Math.hypot(p.x - xy[2 * k], p.y - xy[2 * k + 1]) <= gate ? 0.5 : 0;
      xy[2 * k] = (1 - w) * xy[2 * k] + w * p.x;
      xy[2 * k + 1] = (1 - w) * xy[2 * k + 1] + w * p.y;
    }
  }
  return { heatmaps: { size: HEADS_SIZE, data: hm }, mask: { size: maskSize, data: mask } };
}
