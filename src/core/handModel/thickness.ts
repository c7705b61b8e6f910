import type { PinholeCamera } from './camera';
import { imageToCrop } from '../geometry/cropTransform';
import type { RotatedRect } from '../geometry/rect';
import { rasteriseTriangles } from './silhouette';

/**
 * How thick the hand is: an outward offset of the fitted mesh's skin along its normals, chosen so
 * that the mesh's silhouette matches the heads' hand mask best (IoU, both cut at the wrist).
 *
 * Why: the template (the WebXR generic hand) is slimmer than most real hands and the hand model has
 * no width parameter, only bone lengths and a global scale, so a mesh fitted to the keypoints lies
 * inside the hand with a rim of hand around it (HGR1 dev: silhouette precision 0.97, recall 0.83).
 * The keypoints fix the skeleton; the mask is the only observation of the skin, and one offset per
 * hand is a 1-D problem: evaluating every candidate is exact, cheap at the mask's grid and needs
 * no gradients (tfjs-core ships none in Node). Joints and keypoints do not move.
 */

/** Offsets tried (metres at template size, times the fit's global scale): 0 to 6 mm in 1 mm steps, then the 0.5 mm steps either side of the best. */
export const THICKNESS_RANGE = { max: 0.006, coarse: 0.001, fine: 0.0005 } as const;
/** The silhouette is compared on a grid of at most this many cells a side over the mask's crop (the heads' 56 up to the refined 224). */
export const THICKNESS_GRID = 112;

/** Per-vertex unit normals (area-weighted face normals), pointing out of a mesh whose triangles are counter-clockwise from outside. */
export function vertexNormals(vertices: ArrayLike<number>, triangles: ArrayLike<number>): Float32Array {
  const n = new Float32Array(vertices.length);
  for (let t = 0; t < triangles.length; t += 3) {
    const a = 3 * triangles[t];
    const b = 3 * triangles[t + 1];
    const c = 3 * triangles[t + 2];
    const e1x = vertices[b] - vertices[a];
    const e1y = vertices[b + 1] - vertices[a + 1];
    const e1z = vertices[b + 2] - vertices[a + 2];
    const e2x = vertices[c] - vertices[a];
    const e2y = vertices[c + 1] - vertices[a + 1];
    const e2z = vertices[c + 2] - vertices[a + 2];
    const nx = e1y * e2z - e1z * e2y;
    const ny = e1z * e2x - e1x * e2z;
    const nz = e1x * e2y - e1y * e2x;
    for (const v of [a, b, c]) {
      n[v] += nx;
      n[v + 1] += ny;
      n[v + 2] += nz;
    }
  }
  for (let v = 0; v < n.length; v += 3) {
    const l = Math.hypot(n[v], n[v + 1], n[v + 2]) || 1;
    n[v] /= l;
    n[v + 1] /= l;
    n[v + 2] /= l;
  }
  return n;
}

/** `vertices` moved `offset` metres along `normals` (a new array). */
export function inflate(vertices: Float32Array, normals: Float32Array, offset: number): Float32Array {
  const out = new Float32Array(vertices.length);
  for (let i = 0; i < vertices.length; i++) out[i] = vertices[i] + offset * normals[i];
  return out;
}

export interface ThicknessTarget {
  /** The heads' hand mask (0..255, size x size over `roi`, image pixels). */
  mask: { data: ArrayLike<number>; size: number; roi: RotatedRect };
  /** The hand's wrist and middle-finger MCP (image pixels): both silhouettes are cut at the wrist line they make (metrics/masks cutMaskAtWrist). */
  wrist: readonly [number, number];
  middleMcp: readonly [number, number];
}

export interface ThicknessFit {
  /** The chosen offset (metres, camera frame: the candidate times the global scale). */
  offset: number;
  /** Silhouette IoU with the mask at that offset, and at 0 (the fitted mesh as it was). */
  iou: number;
  iouAtZero: number;
}

/**
 * The offset in THICKNESS_RANGE x `globalScale` whose silhouette (camera-frame `vertices` +
 * offset x `normals`, projected with `camera`) best matches the mask on its grid, fingers' side of
 * the wrist line only. Undefined when the mask has no hand there.
 */
export function fitThickness(
  vertices: Float32Array,
  normals: Float32Array,
  triangles: ArrayLike<number>,
  camera: PinholeCamera,
  target: ThicknessTarget,
  globalScale = 1,
): ThicknessFit | undefined {
  const { data, size, roi } = target.mask;
  const g = Math.min(size, THICKNESS_GRID);
  const crop = { rect: roi, outWidth: g, outHeight: g };
  // the fingers' side of the wrist line, and the mask there, on the grid
  const w = imageToCrop(crop, target.wrist[0], target.wrist[1]);
  const m = imageToCrop(crop, target.middleMcp[0], target.middleMcp[1]);
  const len = Math.hypot(m.x - w.x, m.y - w.y) || 1;
  const ux = (m.x - w.x) / len;
  const uy = (m.y - w.y) / len;
  const keep = new Uint8Array(g * g);
  const hand = new Uint8Array(g * g);
  let handCells = 0;
  for (let y = 0; y < g; y++)
    for (let x = 0; x < g; x++) {
      const i = y * g + x;
      keep[i] = (x + 0.5 - w.x) * ux + (y + 0.5 - w.y) * uy >= 0 ? 1 : 0;
      // nearest mask cell to this grid cell's centre
      const mx = Math.min(size - 1, Math.floor(((x + 0.5) * size) / g));
      const my = Math.min(size - 1, Math.floor(((y + 0.5) * size) / g));
      hand[i] = keep[i] && data[my * size + mx] >= 128 ? 1 : 0;
      handCells += hand[i];
    }
  if (handCells === 0) return undefined;
  // image pixels -> grid: the inverse of the crop's rotation and scale (imageToCrop), once
  const c = Math.cos(roi.rotation);
  const s = Math.sin(roi.rotation);
  const kx = g / roi.width;
  const ky = g / roi.height;
  const nv = vertices.length / 3;
  const uv = new Float32Array(2 * nv);
  const sil = new Uint8Array(g * g);
  const iouAt = (offset: number): number => {
    for (let v = 0; v < nv; v++) {
      const z = Math.max(1e-6, vertices[3 * v + 2] + offset * normals[3 * v + 2]);
      const dx = camera.fx * ((vertices[3 * v] + offset * normals[3 * v]) / z) + camera.cx - roi.cx;
      const dy = camera.fy * ((vertices[3 * v + 1] + offset * normals[3 * v + 1]) / z) + camera.cy - roi.cy;
      uv[2 * v] = (dx * c + dy * s) * kx + g / 2;
      uv[2 * v + 1] = (-dx * s + dy * c) * ky + g / 2;
    }
    sil.fill(0);
    rasteriseTriangles(uv, triangles, g, g, sil, (v) => vertices[3 * v + 2] + offset * normals[3 * v + 2] > 0);
    let inter = 0;
    let union = 0;
    for (let i = 0; i < sil.length; i++) {
      const on = sil[i] & keep[i];
      inter += on & hand[i];
      union += on | hand[i];
    }
    return inter / union;
  };
  const tried = new Map<number, number>();
  const tryStep = (step: number) => {
    if (step < 0 || step > THICKNESS_RANGE.max / THICKNESS_RANGE.fine || tried.has(step)) return;
    tried.set(step, iouAt(step * THICKNESS_RANGE.fine * globalScale));
  };
  const perCoarse = THICKNESS_RANGE.coarse / THICKNESS_RANGE.fine;
  for (let k = 0; k * THICKNESS_RANGE.coarse <= THICKNESS_RANGE.max + 1e-12; k++) tryStep(k * perCoarse);
  const bestOf = () => [...tried].reduce((a, b) => (b[1] > a[1] ? b : a));
  const coarse = bestOf()[0];
  tryStep(coarse - 1);
  tryStep(coarse + 1);
  const [step, iou] = bestOf();
  return { offset: step * THICKNESS_RANGE.fine * globalScale, iou, iouAtZero: tried.get(0)! };
}

/**
 * On video a track's thickness is the running mean of its fits (a hand's girth does not change;
 * one noisy mask must not make the mesh breathe), over at most this many fits.
 */
export const THICKNESS_TRACK_FITS = 30;
/** Once a track's mean holds THICKNESS_TRACK_FITS fits, it is fitted again only every this many frames (a fit is ~5 ms a hand). */
export const THICKNESS_REFIT_FRAMES = 8;

/** A track's thickness: the running mean (metres), how many fits it holds, frames since the last fit. */
export interface ThicknessState {
  offset: number;
  fits: number;
  sinceFit: number;
}

/**
 * A track's thickness after one more frame: `fitNow()` (this frame's offset, undefined when the mask
 * had no hand) joins the running mean, unless the mean is settled and a refit is not due. No state
 * before (a new track, or a still): this frame's fit alone.
 */
export function trackThickness(before: ThicknessState | undefined, fitNow: () => number | undefined): ThicknessState | undefined {
  if (before && before.fits >= THICKNESS_TRACK_FITS && before.sinceFit + 1 < THICKNESS_REFIT_FRAMES) return { ...before, sinceFit: before.sinceFit + 1 };
  const offset = fitNow();
  if (offset === undefined) return before && { ...before, sinceFit: before.sinceFit + 1 };
  if (!before) return { offset, fits: 1, sinceFit: 0 };
  const fits = Math.min(THICKNESS_TRACK_FITS, before.fits + 1);
  return { offset: before.offset + (offset - before.offset) / fits, fits, sinceFit: 0 };
}
