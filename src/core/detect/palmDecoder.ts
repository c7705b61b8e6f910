import type { Point2 } from '../geometry/rect';

/** One palm detection, in source-image pixels. */
export interface PalmDetection {
  score: number;
  /** Axis-aligned palm box. */
  cx: number;
  cy: number;
  width: number;
  height: number;
  /** 7 palm keypoints: 0 wrist, 1 index base, 2 middle-finger base, 3 ring base, 4 pinky base, 5-6 thumb. */
  keypoints: Point2[];
}

export interface PalmDecodeConfig {
  /** Detector input side in pixels (the raw outputs are in these units). */
  inputSize: number;
  /** Keep rows whose sigmoid(score) is at least this. */
  minScore: number;
  /** Raw score logits are clipped to +-this before the sigmoid (as MediaPipe does). */
  scoreClip: number;
}

export const NUM_PALM_KEYPOINTS = 7;
const ROW = 1 + 4 + NUM_PALM_KEYPOINTS * 2;

/**
 * Letterbox geometry: the detector saw the source image padded (centred, black) to a square of side
 * `side` pixels. Normalised detector coordinates n map to source pixels as (n - 0.5) * side + centre.
 */
export interface Letterbox {
  side: number;
  centreX: number;
  centreY: number;
}

export function letterboxFor(width: number, height: number, zoom = 1): Letterbox {
  return { side: Math.max(width, height) * zoom, centreX: width / 2, centreY: height / 2 };
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * Decodes the palm detector's [N, 19] output: column 0 is the score logit, then box (cx, cy, w, h)
 * and 7 keypoints (x, y), all in input pixels relative to the anchor centre.
 */
export function decodePalms(raw: Float32Array, anchors: Float32Array, lb: Letterbox, cfg: PalmDecodeConfig): PalmDetection[] {
  const n = anchors.length / 2;
  if (raw.length !== n * ROW) throw new Error(`palm detector output has ${raw.length} values, expected ${n * ROW}`);
  const out: PalmDetection[] = [];
  const inv = 1 / cfg.inputSize;
  const toX = (nx: number) => (nx - 0.5) * lb.side + lb.centreX;
  const toY = (ny: number) => (ny - 0.5) * lb.side + lb.centreY;
  for (let i = 0; i < n; i++) {
    const o = i * ROW;
    const logit = Math.max(-cfg.scoreClip, Math.min(cfg.scoreClip, raw[o]));
    const score = sigmoid(logit);
    if (score < cfg.minScore) continue;
    const ax = anchors[2 * i];
    const ay = anchors[2 * i + 1];
    const keypoints: Point2[] = [];
    for (let k = 0; k < NUM_PALM_KEYPOINTS; k++) {
      keypoints.push({ x: toX(raw[o + 5 + 2 * k] * inv + ax), y: toY(raw[o + 6 + 2 * k] * inv + ay) });
    }
    out.push({
      score,
      cx: toX(raw[o + 1] * inv + ax),
      cy: toY(raw[o + 2] * inv + ay),
      width: raw[o + 3] * inv * lb.side,
      height: raw[o + 4] * inv * lb.side,
      keypoints,
    });
  }
  return out;
}
