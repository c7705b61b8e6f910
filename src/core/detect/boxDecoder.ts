import { boxIoU, type Box } from '../geometry/rect';

/** A whole-hand box from the box detector, in source-image pixels. */
export interface HandBox {
  score: number;
  box: Box;
}

/** Classes of the EgoHands SSD (`handtrack`): hand, fist, pinch, point, face, tip, pinchtip. */
export const HANDTRACK_CLASSES = 7;
const FACE_CLASS = 4;

/**
 * Decodes the box detector's post-processed outputs: per-anchor class probabilities (background
 * already removed) and boxes as normalised [ymin, xmin, ymax, xmax]. A hand's score is its best
 * non-face class; boxes are then de-duplicated by plain NMS.
 */
export function decodeHandBoxes(
  scores: Float32Array,
  boxes: Float32Array,
  width: number,
  height: number,
  minScore: number,
  iouThreshold: number,
  maxBoxes: number,
): HandBox[] {
  const n = scores.length / HANDTRACK_CLASSES;
  if (boxes.length !== n * 4) throw new Error(`box detector gave ${boxes.length / 4} boxes for ${n} score rows`);
  const cands: HandBox[] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < HANDTRACK_CLASSES; c++) if (c !== FACE_CLASS) s = Math.max(s, scores[i * HANDTRACK_CLASSES + c]);
    if (s < minScore) continue;
    cands.push({
      score: s,
      box: { yMin: boxes[4 * i] * height, xMin: boxes[4 * i + 1] * width, yMax: boxes[4 * i + 2] * height, xMax: boxes[4 * i + 3] * width },
    });
  }
  return nms(cands, iouThreshold, maxBoxes);
}

/** Plain greedy NMS by score. */
export function nms(cands: HandBox[], iouThreshold: number, maxBoxes: number): HandBox[] {
  const sorted = [...cands].sort((a, b) => b.score - a.score);
  const kept: HandBox[] = [];
  for (const c of sorted) {
    if (kept.length >= maxBoxes) break;
    if (kept.every((k) => boxIoU(k.box, c.box) <= iouThreshold)) kept.push(c);
  }
  return kept;
}
