import { boxIoU, type Box } from '../geometry/rect';
import type { PalmDetection } from './palmDecoder';

export function palmBox(d: PalmDetection): Box {
  return { xMin: d.cx - d.width / 2, yMin: d.cy - d.height / 2, xMax: d.cx + d.width / 2, yMax: d.cy + d.height / 2 };
}

/**
 * MediaPipe's weighted non-maximum suppression: detections are taken in score order; each one
 * absorbs every remaining detection that overlaps it by at least `iouThreshold`, and the kept
 * detection is the score-weighted mean of the cluster (steadier than plain NMS on video).
 */
export function weightedNms(dets: PalmDetection[], iouThreshold: number, maxDetections: number): PalmDetection[] {
  const remaining = [...dets].sort((a, b) => b.score - a.score);
  const kept: PalmDetection[] = [];
  while (remaining.length > 0 && kept.length < maxDetections) {
    const best = remaining[0];
    const bestBox = palmBox(best);
    const cluster: PalmDetection[] = [];
    const rest: PalmDetection[] = [];
    for (const d of remaining) (boxIoU(bestBox, palmBox(d)) >= iouThreshold ? cluster : rest).push(d);
    let w = 0;
    let cx = 0;
    let cy = 0;
    let width = 0;
    let height = 0;
    const kps = best.keypoints.map(() => ({ x: 0, y: 0 }));
    for (const d of cluster) {
      w += d.score;
      cx += d.cx * d.score;
      cy += d.cy * d.score;
      width += d.width * d.score;
      height += d.height * d.score;
      d.keypoints.forEach((p, k) => {
        kps[k].x += p.x * d.score;
        kps[k].y += p.y * d.score;
      });
    }
    kept.push({
      score: best.score,
      cx: cx / w,
      cy: cy / w,
      width: width / w,
      height: height / w,
      keypoints: kps.map((p) => ({ x: p.x / w, y: p.y / w })),
    });
    remaining.length = 0;
    remaining.push(...rest);
  }
  return kept;
}
