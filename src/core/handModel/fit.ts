import * as tf from '@tensorflow/tfjs-core';
import type { Handedness } from '../types';
import type { HandModelData } from './asset';
import { projectPoint, solveTranslation, type PinholeCamera } from './camera';
import { initialParams } from './init';
import type { Vec3 } from './math';
import { BONE_SCALE_RANGE, GLOBAL_SCALE_RANGE, mirrorParams, packParams, unpackParams, type HandParams, type ParamLayout } from './params';
import { referenceForward } from './reference';
import type { ForwardOutput, HandModelTf } from './tfModel';
import { COVERAGE_POINTS, maskTarget, type MaskTarget } from './maskTerm';
import type { RotatedRect } from '../geometry/rect';
import { NUM_KEYPOINTS } from '../keypoints';

/** What a hand is fitted to. */
export interface FitTarget {
  handedness: Handedness;
  /** 21 keypoints (MediaPipe order), metres, camera axes, relative to the wrist. */
  keypoints3d: readonly Vec3[];
  /** 21 keypoints in image pixels; with `camera`, the mesh is also fitted to them (and placed in depth). */
  keypoints2d?: ReadonlyArray<readonly [number, number]>;
  camera?: PinholeCamera;
  /** The previous frame's fit of this hand (tracking): used instead of the analytic start when it starts closer. */
  previous?: HandParams;
  /**
   * The multi-task heads' regressed parameters (camera-frame rotation; translation ignored): a
   * candidate start like `previous`, or the only start with FitOptions.start 'regressor'.
   */
  regressed?: HandParams;
  /** The heads' hand mask (0..255, size x size over `roi`, image pixels): the silhouette term (FitOptions.maskWeight). */
  mask?: { data: ArrayLike<number>; size: number; roi: RotatedRect };
}

export interface FitOptions {
  /**
   * Most Levenberg-Marquardt iterations, each one batched forward pass of every hand and every
   * finite-difference direction (1 = the start only); fewer once every hand has converged.
   */
  iterations: number;
  /** 3D keypoint error that costs as much as one unit of every other term (metres). */
  sigma3d: number;
  /** Weight of the 2D term relative to the 3D one (pixel errors count as metres at the hand's depth). */
  weight2d: number;
  /** Prior of the bone-length scales towards 1 (standard deviation). */
  boneScaleSigma: number;
  /** Weak prior of the pose angles towards the rest pose (radians). */
  poseSigma: number;
  /** Soft penalty outside the joint limits (radians; the forward kinematics also clamps). */
  limitSigma: number;
  /**
   * While tracking: prior of the bone-length and global scales towards the previous frame's
   * (relative standard deviation), so the hand keeps its size and proportions from frame to frame.
   */
  temporalSigma: number;
  /**
   * Also try the mirror-image hand: MediaPipe's handedness label is sometimes wrong on side views
   * while its 3D keypoints keep the true chirality; a mirrored model cannot fit those at all.
   */
  checkChirality: boolean;
  /**
   * 'best': start from whichever candidate (analytic, previous frame, regressed) reproduces the 3D
   * keypoints best; 'regressor': from the regressed parameters whenever a target has them (the
   * coarse-to-fine path of the design: regressor, then this fit as the fine stage).
   */
  start: 'best' | 'regressor';
  /**
   * Weight of the silhouette term (targets with a mask and 2D keypoints): sampled mesh vertices
   * that project outside the predicted hand mask cost their distance to it (pixels), in total as
   * much as `maskWeight` x a 21-keypoint 2D term at unit weight. 0 = off.
   */
  maskWeight: number;
  /**
   * Weight of the silhouette term's coverage half relative to `maskWeight`: sampled mask cells
   * farther than COVERAGE_TOLERANCE cells from every projected vertex cost that excess (so the
   * mesh is not pulled inside the mask and shrunk). 0 = one-sided.
   */
  maskCoverage: number;
}

export const DEFAULT_FIT_OPTIONS: FitOptions = {
  iterations: 16,
  sigma3d: 0.005,
  weight2d: 8,
  boneScaleSigma: 0.15,
  poseSigma: 1.5,
  limitSigma: 0.01,
  temporalSigma: 0.03,
  checkChirality: true,
  start: 'best',
  maskWeight: 0,
  maskCoverage: 1,
};

export interface FitResult {
  params: HandParams;
  /** Mean 3D distance (mm) between fitted and target keypoints, both relative to the wrist. */
  residualMm: number;
  /** Mean distance (px) between the projected fitted keypoints and the 2D keypoints; NaN without 2D. */
  residualPx: number;
  /** Fitted keypoints, camera frame [21 * 3]. */
  keypoints: Float32Array;
  /** Skinned vertices, camera frame [V * 3] (when asked for). */
  vertices?: Float32Array;
  /** Which start the fit used. */
  start: FitStart;
  /** Passes this call ran (shared by its hands): at most FitOptions.iterations, fewer once every hand converged. */
  iterations: number;
  /** Milliseconds of this call spent fitting / skinning (shared by the hands of one call). */
  fitMs: number;
  skinMs: number;
}

export type FitStart = 'analytic' | 'previous' | 'regressor';

interface Prepared {
  /** The hand model fitted (the label, or its mirror image when the keypoints say so). */
  handedness: Handedness;
  mirrored: boolean;
  k3: Vec3[];
  k2?: Array<[number, number]>;
  camera?: PinholeCamera;
  x: Float32Array;
  start: FitStart;
  w2: number;
  /** The previous frame's shape (bone scales, then global scale) when tracking. */
  previousShape?: Float32Array;
  /** The silhouette term's data, in the fitted (possibly mirrored) image. */
  mask?: MaskTarget;
}

/**
 * Damping: start at 0.1 (a cautious first step: the analytic start can be far in rotation), x0.3
 * after an accepted step, x10 after a rejected one. On hands.jpg this converges in 8 iterations
 * where Marquardt's classic (1e-3, /3, x4) needed 20 (it spent the first 5 growing the damping).
 */
const LAMBDA = { start: 0.1, accept: 0.3, reject: 10, min: 1e-7, max: 1e7 };
/**
 * A hand has converged when a step changes its cost by less than this fraction. On 156 real
 * hands (fixtures, 1e-3): 15 of at most 16 passes from the analytic start, 7.5 on tracked video
 * from the previous frame's fit, with residuals within 0.1 px of 48 passes (8 fixed passes, as
 * before: 37 of the 156 more than 2 px short).
 */
const CONVERGED = 1e-3;
/** Finite-difference step of each parameter group (radians, metres, radians, scale, scale). */
const STEP = { rot: 1e-3, trans: 1e-4, pose: 1e-3, shape: 1e-3, scale: 1e-3 };
/** The mirror-image hand must start at least this much better (cost ratio) to replace the labelled one. */
const CHIRALITY_MARGIN = 2;
/** Depth floor (metres) of the projection, so a point at or behind the camera stays finite. */
const MIN_DEPTH = 1e-3;
/** Every MASK_VERTEX_STRIDE-th template vertex is sampled by the silhouette term. */
const MASK_VERTEX_STRIDE = 4;
/**
 * Grid cells (of 56 over the crop) a mask cell may lie from the nearest sampled vertex before the
 * coverage term charges it: the sampled vertices' projections are ~1-1.5 cells apart on a hand
 * that fills the crop, so a covered cell is within this of one. A finer mask (the refined one,
 * config heads.maskSize) scales it to its own cells: the same distance on the crop.
 */
const COVERAGE_TOLERANCE = 1.5;
const COVERAGE_TOLERANCE_GRID = 56;

/**
 * Fits the parametric hand to keypoints, all hands of a frame in one batch: analytic start (or
 * the previous frame's fit, whichever starts closer), then Levenberg-Marquardt iterations
 * until every hand has converged (or `iterations`). Each iteration evaluates every hand at the current estimate and at one
 * finite-difference step per parameter in ONE batched forward pass on the TF.js backend, forms
 * J^T J and J^T r there, and reads back only those (P x P per hand); the small damped solve runs
 * on the CPU. Left hands are fitted as the mirror-image right hand and mirrored back.
 */
export async function fitHands(
  tfModel: HandModelTf,
  model: HandModelData,
  targets: readonly FitTarget[],
  options: Partial<FitOptions> = {},
  opts: { vertices?: boolean } = {},
): Promise<FitResult[]> {
  const o = { ...DEFAULT_FIT_OPTIONS, ...options };
  if (targets.length === 0) return [];
  const t0 = performance.now();
  const L = tfModel.layout;
  const P = L.size;
  const B = targets.length;
  const prepared = targets.map((t) => prepare(model, L, t, o));

  // --- Levenberg-Marquardt
  const x = new Float32Array(B * P);
  prepared.forEach((p, b) => x.set(p.x, b * P));
  const lambda = new Float64Array(B).fill(LAMBDA.start);
  const cur = await evaluate(tfModel, model, prepared, x, o);
  const xCur = x.slice();
  // a hand whose last step barely changed its cost (lower: accepted; higher: a flat minimum) or
  // whose damping ran out takes no more steps; the loop ends when every hand has converged
  const converged = new Uint8Array(B);
  let iterations = 1;
  for (; iterations < o.iterations && !converged.every(Boolean); iterations++) {
    const trial = xCur.slice();
    for (let b = 0; b < B; b++) {
      if (converged[b]) continue;
      const step = solveDamped(cur.JtJ.subarray(b * P * P, (b + 1) * P * P), cur.g.subarray(b * P, (b + 1) * P), lambda[b], P);
      if (step) for (let k = 0; k < P; k++) trial[b * P + k] += step[k];
    }
    const next = await evaluate(tfModel, model, prepared, trial, o);
    for (let b = 0; b < B; b++) {
      if (converged[b]) continue;
      if (next.cost[b] < cur.cost[b]) {
        if (cur.cost[b] - next.cost[b] < CONVERGED * cur.cost[b]) converged[b] = 1;
        xCur.set(trial.subarray(b * P, (b + 1) * P), b * P);
        cur.cost[b] = next.cost[b];
        cur.JtJ.set(next.JtJ.subarray(b * P * P, (b + 1) * P * P), b * P * P);
        cur.g.set(next.g.subarray(b * P, (b + 1) * P), b * P);
        lambda[b] = Math.max(lambda[b] * LAMBDA.accept, LAMBDA.min);
      } else {
        lambda[b] = Math.min(lambda[b] * LAMBDA.reject, LAMBDA.max);
        if (lambda[b] === LAMBDA.max || next.cost[b] - cur.cost[b] < CONVERGED * cur.cost[b]) converged[b] = 1;
      }
    }
  }
  // clamp to the limits (the forward pass clamps too, so the pose is the one that was evaluated)
  const params = prepared.map((_, b) => clampParams(unpackParams(xCur, L, 'right', b * P), model));
  const xFinal = new Float32Array(B * P);
  params.forEach((p, b) => packParams(p, L, xFinal, b * P));
  const t1 = performance.now();

  // --- final forward: keypoints (and vertices) of the fitted hands
  const input = tf.tensor2d(xFinal, [B, P]);
  const out = tfModel.forward(input, { vertices: opts.vertices });
  let kp: Float32Array;
  let verts: Float32Array | undefined;
  try {
    kp = (await out.keypoints.data()) as Float32Array;
    if (out.vertices) verts = (await out.vertices.data()) as Float32Array;
  } finally {
    tf.dispose([input, out.keypoints, out.relative, ...(out.vertices ? [out.vertices] : [])]);
  }
  const t2 = performance.now();
  const nk = model.keypoints.length;
  const nv = tfModel.numVertices;
  return prepared.map((p, b) => {
    const keypoints = kp.slice(b * nk * 3, (b + 1) * nk * 3);
    const vertices = verts?.slice(b * nv * 3, (b + 1) * nv * 3);
    const t = params[b].translation;
    let mm = 0;
    let px = 0;
    for (let i = 0; i < nk; i++) {
      mm += Math.hypot(keypoints[3 * i] - t[0] - p.k3[i][0], keypoints[3 * i + 1] - t[1] - p.k3[i][1], keypoints[3 * i + 2] - t[2] - p.k3[i][2]);
      if (p.k2 && p.camera) {
        const [u, v] = projectPoint(p.camera, keypoints, 3 * i);
        px += Math.hypot(u - p.k2[i][0], v - p.k2[i][1]);
      }
    }
    let result: HandParams = params[b];
    if (p.mirrored) {
      result = mirrorParams(result);
      mirrorX(keypoints);
      if (vertices) mirrorX(vertices);
    }
    return {
      params: result,
      residualMm: (1000 * mm) / nk,
      residualPx: p.k2 && p.camera ? px / nk : Number.NaN,
      keypoints,
      vertices,
      start: p.start,
      iterations,
      fitMs: t1 - t0,
      skinMs: t2 - t1,
    };
  });
}

function mirrorX(a: Float32Array): void {
  for (let i = 0; i < a.length; i += 3) a[i] = -a[i];
}

function clampParams(p: HandParams, model: HandModelData): HandParams {
  const c = (x: number, [lo, hi]: readonly [number, number]) => Math.min(hi, Math.max(lo, x));
  return {
    ...p,
    pose: p.pose.map((a, i) => Math.min(model.dofs[i].max, Math.max(model.dofs[i].min, a))),
    boneScales: p.boneScales.map((s) => c(s, BONE_SCALE_RANGE)),
    globalScale: c(p.globalScale, GLOBAL_SCALE_RANGE),
  };
}

/**
 * Picks the start: the analytic initialisation of the labelled handedness, the previous frame's
 * fit, and (checkChirality) the analytic initialisation of the mirror-image hand, whichever
 * has the lowest data cost, 3D and 2D (the other hand must do at least twice as well: the
 * handedness classifier is usually right, and nearly flat hands fit either). Mirrors a left hand's
 * data into a right hand's and places the start in depth.
 */
function prepare(model: HandModelData, L: ParamLayout, t: FitTarget, o: FitOptions): Prepared {
  if (t.keypoints3d.length !== model.keypoints.length) throw new Error(`expected ${model.keypoints.length} 3D keypoints, got ${t.keypoints3d.length}`);
  const cam = t.keypoints2d && t.camera ? t.camera : undefined;
  const w = t.keypoints3d[0];
  const other: Handedness = t.handedness === 'left' ? 'right' : 'left';
  let best: Omit<Prepared, 'w2' | 'x' | 'previousShape'> & { p: HandParams; cost: number } = undefined as never;
  const forced = o.start === 'regressor' && t.regressed !== undefined;
  for (const handedness of o.checkChirality && !forced ? [t.handedness, other] : [t.handedness]) {
    const mirrored = handedness === 'left';
    const k3: Vec3[] = t.keypoints3d.map((p) => [(mirrored ? -1 : 1) * (p[0] - w[0]), p[1] - w[1], p[2] - w[2]]);
    const k2 = cam ? t.keypoints2d!.map(([u, v]) => [mirrored ? 2 * cam.cx - u : u, v] as [number, number]) : undefined;
    const candidates: Array<{ p: HandParams; start: FitStart }> = forced ? [] : [{ p: initialParams(model, k3), start: 'analytic' }];
    if (t.previous && t.previous.handedness === handedness && !forced)
      candidates.push({ p: mirrored ? mirrorParams(t.previous) : { ...t.previous }, start: 'previous' });
    if (t.regressed && t.regressed.handedness === handedness)
      candidates.push({ p: mirrored ? mirrorParams(t.regressed) : { ...t.regressed }, start: 'regressor' });
    for (const c of candidates) {
      const pose = referenceForward(model, { ...c.p, translation: [0, 0, 0] });
      if (cam) c.p.translation = solveTranslation(cam, pose.keypoints, k2!) ?? fallbackTranslation(cam, pose.keypoints, k2!, c.p.translation);
      let cost = startCost(pose.keypoints, k3, o, cam && k2 ? { cam, k2, translation: c.p.translation } : undefined);
      if (handedness !== t.handedness) cost *= CHIRALITY_MARGIN;
      if (!best || cost < best.cost) best = { handedness, mirrored, k3, k2, camera: cam, start: c.start, p: c.p, cost };
    }
  }
  const x = packParams({ ...best.p, handedness: 'right' }, L);
  // 2D residuals in "metres at the hand's depth", scaled like the 3D ones
  const w2 = cam && best.p.translation[2] > 0 ? pixelWeight(o, cam, best.p.translation[2]) : 0;
  const prev = t.previous && t.previous.handedness === best.handedness ? t.previous : undefined;
  const previousShape = prev ? Float32Array.from([...prev.boneScales, prev.globalScale]) : undefined;
  const { p: _p, cost: _c, ...rest } = best;
  const mask = o.maskWeight > 0 && cam && t.mask ? maskTarget(t.mask.data, t.mask.size, t.mask.roi, best.mirrored ? cam.cx : undefined) : undefined;
  return { ...rest, x, w2, previousShape, mask };
}

/**
 * The fit's data cost at a start (3D term, plus the 2D term where there are 2D keypoints, weighted
 * as in the iterations), so a start that matches the 3D keypoints but not the picture does not win.
 */
function startCost(
  rel: readonly Vec3[],
  k3: readonly Vec3[],
  o: FitOptions,
  view?: { cam: PinholeCamera; k2: ReadonlyArray<readonly [number, number]>; translation: Vec3 },
): number {
  let c3 = 0;
  for (let i = 0; i < rel.length; i++) c3 += (rel[i][0] - k3[i][0]) ** 2 + (rel[i][1] - k3[i][1]) ** 2 + (rel[i][2] - k3[i][2]) ** 2;
  const cost = c3 / o.sigma3d ** 2;
  if (!view || !(view.translation[2] > 0)) return cost;
  const { cam, k2, translation: t } = view;
  let c2 = 0;
  for (let i = 0; i < rel.length; i++) {
    const [u, v] = projectPoint(cam, [rel[i][0] + t[0], rel[i][1] + t[1], rel[i][2] + t[2]]);
    c2 += (u - k2[i][0]) ** 2 + (v - k2[i][1]) ** 2;
  }
  return cost + pixelWeight(o, cam, t[2]) ** 2 * c2;
}

/** Weight of a 2D residual (pixels) at depth `z`: pixels count as metres at the hand's depth, scaled like the 3D term. */
function pixelWeight(o: FitOptions, cam: PinholeCamera, z: number): number {
  return (Math.sqrt(o.weight2d) * z) / cam.fx / o.sigma3d;
}

/** Depth from the hand's 3D size against its 2D size when the least-squares solve fails. */
function fallbackTranslation(cam: PinholeCamera, rel: readonly Vec3[], uv: ReadonlyArray<readonly [number, number]>, prev: Vec3): Vec3 {
  let s3 = 0;
  let s2 = 0;
  for (let i = 1; i < rel.length; i++) {
    s3 += Math.hypot(rel[i][0] - rel[0][0], rel[i][1] - rel[0][1]);
    s2 += Math.hypot(uv[i][0] - uv[0][0], uv[i][1] - uv[0][1]);
  }
  const z = s2 > 0 ? (cam.fx * s3) / s2 : prev[2] || 0.5;
  return [((uv[0][0] - cam.cx) * z) / cam.fx, ((uv[0][1] - cam.cy) * z) / cam.fy, z];
}

interface Evaluation {
  /** [B * P * P] J^T J (data + priors). */
  JtJ: Float32Array;
  /** [B * P] gradient J^T r (data + priors). */
  g: Float32Array;
  /** [B] total cost sum r^2. */
  cost: Float64Array;
}

/** Layout of the per-hand scalars the backend reads ([B * HAND_SCALARS]): the camera, then the 2D term's weight. */
const HAND = { fx: 0, fy: 1, cx: 2, cy: 3, w2: 4 } as const;
const HAND_SCALARS = 5;

/** The targets of all hands, flat for the backend (hands without 2D keypoints: zeros). */
interface BatchTargets {
  /** [B * K * 3] wrist-relative 3D keypoints. */
  keypoints3d: Float32Array;
  /** [B * K * 2] 2D keypoints (pixels). */
  keypoints2d: Float32Array;
  /** [B * HAND_SCALARS] camera and 2D weight of each hand (see HAND). */
  scalars: Float32Array;
  /** Some hand has a 2D term / a silhouette term. */
  any2d: boolean;
  anyMask: boolean;
}

/**
 * One batched evaluation: every hand at x and at x + h e_k for every parameter k in ONE forward
 * pass, residuals and J^T J, J^T r and the cost on the backend (only those are read back), then
 * the priors on the CPU.
 */
async function evaluate(tfModel: HandModelTf, model: HandModelData, prepared: readonly Prepared[], x: Float32Array, o: FitOptions): Promise<Evaluation> {
  const L = tfModel.layout;
  const B = prepared.length;
  const { batch, h } = buildFiniteDifferenceBatch(x, B, L, model);
  const targets = packTargets(prepared, model.keypoints.length);
  const X = tf.tensor2d(batch, [B * (L.size + 1), L.size]);
  const out = tfModel.forward(X, { vertices: targets.anyMask });
  const products = tf.tidy(() => jacobianProducts(residuals(out, targets, prepared, o), h));
  tf.dispose([X, out.keypoints, out.relative, ...(out.vertices ? [out.vertices] : [])]);
  const evaluation = await readBack(products);
  addPriors(evaluation, x, prepared, model, L, o);
  return evaluation;
}

/**
 * The rows of the batched forward pass [B * (P + 1) * P]: per hand its parameters, then P copies
 * each with one parameter stepped by h[k] ([B * P]).
 */
function buildFiniteDifferenceBatch(x: Float32Array, B: number, L: ParamLayout, model: HandModelData): { batch: Float32Array; h: Float32Array } {
  const P = L.size;
  const h = new Float32Array(B * P);
  const batch = new Float32Array(B * (P + 1) * P);
  for (let b = 0; b < B; b++) {
    const xb = x.subarray(b * P, (b + 1) * P);
    for (let k = 0; k < P; k++) {
      let step = k < L.trans ? STEP.rot : k < L.pose ? STEP.trans : k < L.shape ? STEP.pose : k < L.scale ? STEP.shape : STEP.scale;
      // step inwards at an upper limit, so the clamp in the forward pass does not hide the derivative
      const hi =
        k >= L.pose && k < L.shape
          ? model.dofs[k - L.pose].max
          : k >= L.shape && k < L.scale
            ? BONE_SCALE_RANGE[1]
            : k === L.scale
              ? GLOBAL_SCALE_RANGE[1]
              : Infinity;
      if (xb[k] + step > hi) step = -step;
      h[b * P + k] = step;
    }
    const base = b * (P + 1) * P;
    for (let r = 0; r <= P; r++) {
      batch.set(xb, base + r * P);
      if (r > 0) batch[base + r * P + (r - 1)] += h[b * P + r - 1];
    }
  }
  return { batch, h };
}

/** Every hand's targets (K keypoints each) in the flat layout of BatchTargets. */
function packTargets(prepared: readonly Prepared[], K: number): BatchTargets {
  const B = prepared.length;
  const keypoints3d = new Float32Array(B * K * 3);
  const keypoints2d = new Float32Array(B * K * 2);
  const scalars = new Float32Array(B * HAND_SCALARS);
  prepared.forEach((p, b) => {
    p.k3.forEach((k, i) => keypoints3d.set(k, (b * K + i) * 3));
    if (p.k2 && p.camera) {
      p.k2.forEach((k, i) => keypoints2d.set(k, (b * K + i) * 2));
      scalars.set([p.camera.fx, p.camera.fy, p.camera.cx, p.camera.cy, p.w2], b * HAND_SCALARS);
    }
  });
  const any2d = prepared.some((p) => p.w2 > 0);
  return { keypoints3d, keypoints2d, scalars, any2d, anyMask: any2d && prepared.some((p) => p.mask && p.w2 > 0) };
}

/**
 * The residuals of every batch row [B, P + 1, R]: the 3D keypoints, then (some hand with 2D) the
 * projected keypoints against the 2D ones, then (some hand with a mask) the silhouette.
 */
function residuals(out: ForwardOutput, t: BatchTargets, prepared: readonly Prepared[], o: FitOptions): tf.Tensor3D {
  const B = prepared.length;
  const [rows, K] = out.relative.shape;
  const N = rows / B;
  const r3 = tf.mul(tf.sub(tf.reshape(out.relative, [B, N, K * 3]), tf.tensor3d(t.keypoints3d, [B, 1, K * 3])), 1 / o.sigma3d) as tf.Tensor3D;
  if (!t.any2d) return r3;
  const scalars = tf.tensor2d(t.scalars, [B, HAND_SCALARS]);
  const { u, v } = projectPinhole(tf.reshape(out.keypoints, [B, N, K, 3]), scalars);
  const uv = tf.reshape(tf.stack([u, v], 3), [B, N, K * 2]);
  const r2 = tf.mul(tf.sub(uv, tf.tensor3d(t.keypoints2d, [B, 1, K * 2])), perHand(scalars, HAND.w2)) as tf.Tensor3D;
  const parts = [r3, r2];
  if (t.anyMask) parts.push(silhouetteResiduals(out.vertices!, prepared, scalars, o));
  return tf.concat(parts, 2);
}

/** Forward differences of the residuals [B, P + 1, R] by the steps h [B * P] -> J^T J [B, P, P], J^T r [B, P, 1], cost [B]. */
function jacobianProducts(r: tf.Tensor3D, h: Float32Array): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const [B, N, R] = r.shape;
  const P = N - 1;
  const r0 = tf.slice(r, [0, 0, 0], [B, 1, R]);
  const Jt = tf.div(tf.sub(tf.slice(r, [0, 1, 0], [B, P, R]), r0), tf.tensor3d(h, [B, P, 1]));
  return [tf.matMul(Jt, Jt, false, true), tf.matMul(Jt, r0, false, true), tf.sum(tf.square(r0), [1, 2])];
}

/** Reads J^T J, J^T r and the cost back to the CPU, and frees them. */
async function readBack(products: [tf.Tensor, tf.Tensor, tf.Tensor]): Promise<Evaluation> {
  try {
    const [JtJ, g, cost] = (await Promise.all(products.map((t) => t.data()))) as Float32Array[];
    return { JtJ, g, cost: Float64Array.from(cost) };
  } finally {
    tf.dispose(products);
  }
}

/**
 * Adds the priors and soft limits into `e` (residuals that are simple functions of one parameter
 * each, so their J^T J is diagonal): pose towards rest, joint limits, bone scales towards 1 and,
 * while tracking, the shape towards the previous frame's.
 */
function addPriors(e: Evaluation, x: Float32Array, prepared: readonly Prepared[], model: HandModelData, L: ParamLayout, o: FitOptions): void {
  const P = L.size;
  for (let b = 0; b < prepared.length; b++) {
    const add = (k: number, residual: number, sigma: number) => {
      e.JtJ[b * P * P + k * P + k] += 1 / (sigma * sigma);
      e.g[b * P + k] += residual / sigma;
      e.cost[b] += residual * residual;
    };
    const xb = x.subarray(b * P, (b + 1) * P);
    for (let i = 0; i < L.dofs; i++) {
      const a = xb[L.pose + i];
      const d = model.dofs[i];
      add(L.pose + i, a / o.poseSigma, o.poseSigma);
      if (a > d.max) add(L.pose + i, (a - d.max) / o.limitSigma, o.limitSigma);
      if (a < d.min) add(L.pose + i, (a - d.min) / o.limitSigma, o.limitSigma);
    }
    for (let i = 0; i < L.shapes; i++) add(L.shape + i, (xb[L.shape + i] - 1) / o.boneScaleSigma, o.boneScaleSigma);
    const prev = prepared[b].previousShape;
    if (prev) {
      for (let i = 0; i < L.shapes; i++) add(L.shape + i, (xb[L.shape + i] - prev[i]) / o.temporalSigma, o.temporalSigma);
      const sigma = o.temporalSigma * prev[L.shapes];
      add(L.scale, (xb[L.scale] - prev[L.shapes]) / sigma, sigma);
    }
  }
}

/** One per-hand scalar (see HAND) as [B, 1, 1], to broadcast over a hand's batch rows and points. */
function perHand(scalars: tf.Tensor2D, field: number): tf.Tensor3D {
  const B = scalars.shape[0];
  return tf.reshape(tf.slice(scalars, [0, field], [B, 1]), [B, 1, 1]);
}

/** Pinhole projection of camera-frame points [B, N, M, 3] with each hand's camera: pixels u, v [B, N, M]. */
function projectPinhole(points: tf.Tensor4D, scalars: tf.Tensor2D): { u: tf.Tensor3D; v: tf.Tensor3D } {
  const [B, N, M] = points.shape;
  const coordinate = (k: number) => tf.reshape(tf.slice(points, [0, 0, 0, k], [B, N, M, 1]), [B, N, M]);
  const z = tf.maximum(coordinate(2), MIN_DEPTH);
  return {
    u: tf.add(tf.mul(perHand(scalars, HAND.fx), tf.div(coordinate(0), z)), perHand(scalars, HAND.cx)),
    v: tf.add(tf.mul(perHand(scalars, HAND.fy), tf.div(coordinate(1), z)), perHand(scalars, HAND.cy)),
  };
}

/**
 * Weight of one silhouette residual (pixels): scaled like the 2D keypoint residuals (metres at the
 * hand's depth over sigma3d), so that `count` of them weigh in total `share` x maskWeight x a
 * NUM_KEYPOINTS-keypoint 2D term at unit weight.
 */
function maskResidualWeight(p: Prepared, mask: MaskTarget, o: FitOptions, share: number, count: number): number {
  return (p.w2 / Math.sqrt(o.weight2d)) * mask.pixelsPerCell * Math.sqrt((o.maskWeight * share * NUM_KEYPOINTS) / count);
}

/**
 * The silhouette residuals [B, P + 1, Vs (+ COVERAGE_POINTS)]: for the sampled vertices, the
 * distance (pixels) from their projection to the predicted mask (bilinear in the mask's distance
 * transform; beyond the mask's grid, plus the distance to the grid); then (maskCoverage) the
 * coverage half. Hands without a mask: 0.
 */
function silhouetteResiduals(vertices: tf.Tensor3D, prepared: readonly Prepared[], scalars: tf.Tensor2D, o: FitOptions): tf.Tensor3D {
  const B = prepared.length;
  const [rows, nv] = vertices.shape;
  const N = rows / B;
  const sample = tf.range(0, nv, MASK_VERTEX_STRIDE, 'int32');
  const Vs = sample.shape[0];
  const size = prepared.find((p) => p.mask)!.mask!.size;
  // the hands the term applies to (one mask size per batch; 2D needed for its scale)
  const masks = prepared.map((p) => (p.mask && p.mask.size === size && p.w2 > 0 ? p.mask : undefined));
  const dist = new Float32Array(B * size * size);
  const aff = new Float32Array(B * 6);
  const weight = new Float32Array(B);
  masks.forEach((m, b) => {
    if (!m) return;
    dist.set(m.distance, b * size * size);
    aff.set(m.affine, b * 6);
    weight[b] = maskResidualWeight(prepared[b], m, o, 1, Vs);
  });
  const { u, v } = projectPinhole(tf.reshape(tf.gather(vertices, sample, 1), [B, N, Vs, 3]), scalars);
  // fit-space pixels -> mask grid coordinates
  const A = tf.tensor2d(aff, [B, 6]);
  const a = (i: number) => perHand(A, i);
  const gx = tf.add(tf.add(tf.mul(a(0), u), tf.mul(a(1), v)), a(2));
  const gy = tf.add(tf.add(tf.mul(a(3), u), tf.mul(a(4), v)), a(5));
  const cx = tf.clipByValue(gx, 0, size - 1);
  const cy = tf.clipByValue(gy, 0, size - 1);
  const outside = tf.add(tf.abs(tf.sub(gx, cx)), tf.abs(tf.sub(gy, cy)));
  const x0 = tf.minimum(tf.floor(cx), size - 2);
  const y0 = tf.minimum(tf.floor(cy), size - 2);
  const fx = tf.sub(cx, x0);
  const fy = tf.sub(cy, y0);
  const base = tf.reshape(tf.mul(tf.range(0, B, 1, 'float32'), size * size), [B, 1, 1]);
  const distT = tf.tensor1d(dist);
  const at = (dx: number, dy: number) => tf.gather(distT, tf.cast(tf.add(base, tf.add(tf.mul(tf.add(y0, dy), size), tf.add(x0, dx))), 'int32'));
  const top = tf.add(tf.mul(at(0, 0), tf.sub(1, fx)), tf.mul(at(1, 0), fx));
  const bottom = tf.add(tf.mul(at(0, 1), tf.sub(1, fx)), tf.mul(at(1, 1), fx));
  const d = tf.add(tf.add(tf.mul(top, tf.sub(1, fy)), tf.mul(bottom, fy)), outside);
  const inside = tf.mul(d, tf.tensor3d(weight, [B, 1, 1])) as tf.Tensor3D;
  if (!(o.maskCoverage > 0)) return inside;
  return tf.concat([inside, coverageResiduals(gx, gy, masks, prepared, size, o)], 2);
}

/**
 * The coverage half [B, P + 1, COVERAGE_POINTS]: each hand's mask points against its projected
 * vertices (grid coordinates gx, gy [B, P + 1, Vs]), the excess of the nearest one's distance over
 * the tolerance. Unused point slots (a mask with fewer cells) weigh 0.
 */
function coverageResiduals(
  gx: tf.Tensor,
  gy: tf.Tensor,
  masks: ReadonlyArray<MaskTarget | undefined>,
  prepared: readonly Prepared[],
  size: number,
  o: FitOptions,
): tf.Tensor3D {
  const B = prepared.length;
  const M = COVERAGE_POINTS;
  const pts = new Float32Array(B * M * 2);
  const covWeight = new Float32Array(B * M);
  masks.forEach((mask, b) => {
    if (!mask) return;
    const m = mask.coverage.length / 2;
    pts.set(mask.coverage, b * M * 2);
    covWeight.fill(maskResidualWeight(prepared[b], mask, o, o.maskCoverage, Math.max(1, m)), b * M, b * M + m);
  });
  // mask points [B, 1, M, 1] against vertices [B, P + 1, 1, Vs]
  const P4 = tf.tensor4d(pts, [B, 1, M, 2]);
  const px = tf.slice(P4, [0, 0, 0, 0], [B, 1, M, 1]);
  const py = tf.slice(P4, [0, 0, 0, 1], [B, 1, M, 1]);
  const dx = tf.sub(tf.expandDims(gx, 2), px);
  const dy = tf.sub(tf.expandDims(gy, 2), py);
  const nearest = tf.sqrt(tf.min(tf.add(tf.square(dx), tf.square(dy)), 3)); // [B, P + 1, M]
  const excess = tf.relu(tf.sub(nearest, (COVERAGE_TOLERANCE * size) / COVERAGE_TOLERANCE_GRID));
  return tf.mul(excess, tf.tensor3d(covWeight, [B, 1, M])) as tf.Tensor3D;
}

/** Solves (A + lambda diag(A) + eps I) x = -g by Cholesky; null if it fails. */
function solveDamped(A: Float32Array, g: Float32Array, lambda: number, n: number): Float64Array | null {
  const M = new Float64Array(n * n);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += A[i * n + i];
  const eps = 1e-9 * (trace / n) + 1e-12;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) M[i * n + j] = A[i * n + j];
  for (let i = 0; i < n; i++) M[i * n + i] += lambda * (A[i * n + i] + eps) + eps;
  // Cholesky M = L L^T, in place (lower triangle)
  for (let j = 0; j < n; j++) {
    let s = M[j * n + j];
    for (let k = 0; k < j; k++) s -= M[j * n + k] * M[j * n + k];
    if (!(s > 0)) return null;
    const d = Math.sqrt(s);
    M[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = M[i * n + j];
      for (let k = 0; k < j; k++) t -= M[i * n + k] * M[j * n + k];
      M[i * n + j] = t / d;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = -g[i];
    for (let k = 0; k < i; k++) s -= M[i * n + k] * y[k];
    y[i] = s / M[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= M[k * n + i] * y[k];
    y[i] = s / M[i * n + i];
  }
  return y;
}
