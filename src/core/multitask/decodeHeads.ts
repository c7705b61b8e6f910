import { cropToImage } from '../geometry/cropTransform';
import type { RotatedRect } from '../geometry/rect';
import { NUM_KEYPOINTS } from '../keypoints';
import type { HeadsRaw } from '../landmarks/landmarkModel';
import type { HeadsConfig } from '../config';
import type { HeatmapsData, MaskData } from '../types';
import { softArgmaxHWC } from './decodeHeatmaps';
import { HEADS_SIZE } from './headsModel';

const CROP = 224;

/**
 * The heads' raw outputs -> result data: heat maps and mask as compact 0..255 maps in the crop,
 * and (unless config says 'regression') keypoints from the heat maps, written into `xy` (image
 * pixels) in place of, or averaged with, the landmark network's regression.
 */
export function decodeHeads(raw: HeadsRaw, roi: RotatedRect, keypoints: HeadsConfig['keypoints'], xy: Float64Array): { heatmaps: HeatmapsData; mask: MaskData } {
  const n = HEADS_SIZE * HEADS_SIZE;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = Math.round(255 / (1 + Math.exp(-raw.maskLogits[i])));
  const hm = new Uint8Array(n * NUM_KEYPOINTS);
  for (let i = 0; i < hm.length; i++) hm[i] = Math.round(255 * Math.min(1, Math.max(0, raw.heatmaps[i])));
  if (keypoints !== 'regression') {
    const { xy: crop } = softArgmaxHWC(raw.heatmaps, HEADS_SIZE, NUM_KEYPOINTS, CROP);
    const m = { rect: roi, outWidth: CROP, outHeight: CROP };
    const p = { x: 0, y: 0 };
    for (let k = 0; k < NUM_KEYPOINTS; k++) {
      cropToImage(m, crop[2 * k], crop[2 * k + 1], p);
      const w = keypoints === 'fused' ? 0.5 : 1;
      xy[2 * k] = (1 - w) * xy[2 * k] + w * p.x;
      xy[2 * k + 1] = (1 - w) * xy[2 * k + 1] + w * p.y;
    }
  }
  return { heatmaps: { size: HEADS_SIZE, data: hm }, mask: { size: HEADS_SIZE, data: mask } };
}
