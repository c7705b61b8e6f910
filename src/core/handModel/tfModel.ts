import * as tf from '@tensorflow/tfjs-core';
import type { HandModelData } from './asset';
import { FINGER_CHAINS, FINGERS } from './joints';
import { BONE_SCALE_RANGE, GLOBAL_SCALE_RANGE, paramLayout, type ParamLayout } from './params';
import { boneScaleIndices } from './reference';

const F = FINGERS.length; // 5 fingers
const C = 4; // rotating joints per finger chain (thumb: CMC, MCP, IP, tip; fingers: CMC, MCP, PIP, DIP)
const SLOTS = C * F;
const ORDER = { abd: 0, flex: 1, twist: 2 } as const;

export interface ForwardOutput {
  /** [N, 21, 3] keypoints, camera frame. */
  keypoints: tf.Tensor3D;
  /** [N, 21, 3] keypoints relative to the wrist (camera axes), i.e. keypoints - translation. */
  relative: tf.Tensor3D;
  /** [N, V, 3] skinned vertices, camera frame (when asked for). */
  vertices?: tf.Tensor3D;
  /** [N, 25, 3] WebXR joints, camera frame (when asked for). */
  joints?: tf.Tensor3D;
}

/**
 * The parametric hand as batched TF.js ops: forward kinematics and linear blend skinning for N
 * parameter vectors at once (packed as in params.ts: [rot 3 | trans 3 | pose D | shape S | scale]),
 * on whatever backend is active (WASM in Node, WebGL / WebGPU in the page). Only forward ops, no
 * gradients (tfjs-core ships without gradient kernels in Node), so the fit differentiates by
 * batched finite differences.
 *
 * The 25 joints are laid out as 4 levels x 5 fingers ("slots", parents one level up), so the
 * kinematic chain is 3 batched matMuls deep whatever the number of hands. Always the RIGHT
 * hand: a left hand is fitted and posed as its mirror image (see mirrorParams).
 */
export class HandModelTf {
  readonly layout: ParamLayout;
  readonly numVertices: number;
  private readonly c: Record<string, tf.Tensor>;
  private readonly kpIndex: tf.Tensor1D;
  private readonly jointIndex: tf.Tensor1D;
  private disposed = false;

  constructor(readonly model: HandModelData) {
    if (model.handedness !== 'right') throw new Error('HandModelTf takes the right-hand model (left hands are mirrored)');
    this.layout = paramLayout(model);
    const L = this.layout;
    const names = model.jointNames;
    const jointIdx = (n: string) => names.indexOf(n);
    const J = (j: number) => [model.joints[3 * j], model.joints[3 * j + 1], model.joints[3 * j + 2]];
    const slotOf = new Map<number, number>();
    const slotJoint: number[] = [];
    for (let c = 0; c < C; c++)
      for (let f = 0; f < F; f++) {
        const j = jointIdx(FINGER_CHAINS[FINGERS[f]][c]);
        if (j < 0) throw new Error(`joint ${FINGER_CHAINS[FINGERS[f]][c]} missing`);
        slotOf.set(j, c * F + f);
        slotJoint.push(j);
      }
    const wrist = jointIdx('wrist');
    const { incoming, outgoing, outDir } = boneScaleIndices(model);

    // rest offsets from the parent, and which shape entry scales them
    const restOff = new Float32Array(SLOTS * 3);
    const inSel = new Float32Array(L.shapes * SLOTS);
    const inConst = new Float32Array(SLOTS);
    const outSel = new Float32Array(L.shapes * SLOTS);
    const outConst = new Float32Array(SLOTS);
    const dd = new Float32Array(SLOTS * 9);
    const slotRest = new Float32Array(SLOTS * 3);
    slotJoint.forEach((j, s) => {
      const p = model.parents[j];
      const jp = J(j);
      const pp = J(p);
      for (let k = 0; k < 3; k++) {
        restOff[3 * s + k] = jp[k] - pp[k];
        slotRest[3 * s + k] = jp[k];
      }
      if (incoming[j] >= 0) inSel[incoming[j] * SLOTS + s] = 1;
      else inConst[s] = 1;
      if (outgoing[j] >= 0) outSel[outgoing[j] * SLOTS + s] = 1;
      else outConst[s] = 1;
      const d = outDir[j];
      for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) dd[9 * s + 3 * r + c] = d[r] * d[c];
    });
    // DoFs -> (slot, order) and their axes' cross-product matrices K and K^2 (Rodrigues)
    const dofSel = new Float32Array(L.dofs * SLOTS * 3);
    const K = new Float32Array(SLOTS * 3 * 9);
    const K2 = new Float32Array(SLOTS * 3 * 9);
    const usedCols = new Set<number>();
    model.dofs.forEach((d, i) => {
      const s = slotOf.get(d.joint);
      if (s === undefined) throw new Error(`DoF ${d.name} on joint ${names[d.joint]}, which is not in a finger chain`);
      const col = ORDER[d.kind] * SLOTS + s;
      if (usedCols.has(col)) throw new Error(`two ${d.kind} DoFs on ${names[d.joint]}`);
      usedCols.add(col);
      dofSel[i * SLOTS * 3 + col] = 1;
      const [x, y, z] = d.axis;
      const k = [0, -z, y, z, 0, -x, -y, x, 0];
      for (let r = 0; r < 3; r++)
        for (let c = 0; c < 3; c++) {
          K[9 * col + 3 * r + c] = k[3 * r + c];
          K2[9 * col + 3 * r + c] = k[3 * r] * k[c] + k[3 * r + 1] * k[3 + c] + k[3 * r + 2] * k[6 + c];
        }
    });
    // fingertip vertices and finger tip joints: rigid with the last slot (level 3) of their finger
    const tipU = new Float32Array(F * 3);
    const tipW = new Float32Array(F * 3);
    const tipSel = new Float32Array(L.shapes * F);
    const tipConst = new Float32Array(F);
    const kpSource: number[] = [];
    const tipOfFinger = new Array<number>(F).fill(-1);
    for (const kp of model.keypoints) {
      if (kp.joint === wrist && kp.vertex < 0) {
        kpSource.push(0);
        continue;
      }
      const s = slotOf.get(kp.joint);
      if (s === undefined) throw new Error(`keypoint ${kp.name} on joint ${names[kp.joint]}, not in a finger chain`);
      if (kp.vertex < 0) {
        kpSource.push(1 + s);
        continue;
      }
      const f = s % F;
      // the vertex must be rigid with level 3 of its finger: no DoF between its carrier and level 3
      for (let c = Math.floor(s / F) + 1; c < C; c++)
        if (model.dofs.some((d) => d.joint === slotJoint[c * F + f])) throw new Error(`fingertip of ${kp.name} is not rigid with the end of its chain`);
      const last = slotJoint[3 * F + f];
      const v = [model.vertices[3 * kp.vertex], model.vertices[3 * kp.vertex + 1], model.vertices[3 * kp.vertex + 2]];
      const jl = J(last);
      const u = [v[0] - jl[0], v[1] - jl[1], v[2] - jl[2]];
      const d = outDir[last];
      const du = u[0] * d[0] + u[1] * d[1] + u[2] * d[2];
      for (let k = 0; k < 3; k++) {
        tipU[3 * f + k] = u[k];
        tipW[3 * f + k] = du * d[k];
      }
      if (outgoing[last] >= 0) tipSel[outgoing[last] * F + f] = 1;
      else tipConst[f] = 1;
      tipOfFinger[f] = kpSource.length;
      kpSource.push(1 + SLOTS + f);
    }
    // WebXR joints not in the slots (the fingers' *-tip joints): rigid with level 3
    const extraOff = new Float32Array(F * 3);
    const extraSel = new Float32Array(L.shapes * F);
    const extraConst = new Float32Array(F);
    const jointSource = new Array<number>(names.length).fill(-1);
    jointSource[wrist] = 0;
    slotJoint.forEach((j, s) => (jointSource[j] = 1 + s));
    names.forEach((_, j) => {
      if (jointSource[j] >= 0) return;
      const p = model.parents[j];
      const s = slotOf.get(p);
      if (s === undefined || Math.floor(s / F) !== C - 1) throw new Error(`joint ${names[j]} is not a tip of a chain`);
      const f = s % F;
      const jj = J(j);
      const jp = J(p);
      for (let k = 0; k < 3; k++) extraOff[3 * f + k] = jj[k] - jp[k];
      if (incoming[j] >= 0) extraSel[incoming[j] * F + f] = 1;
      else extraConst[f] = 1;
      jointSource[j] = 1 + SLOTS + F + f;
    });
    // skin weights per transform: 0 = wrist, 1 + s = slot s; tip joints use their parent's slot
    const nv = model.vertices.length / 3;
    this.numVertices = nv;
    const W = new Float32Array(nv * (1 + SLOTS));
    for (let v = 0; v < nv; v++)
      for (let k = 0; k < model.influences; k++) {
        const w = model.skinWeights[v * model.influences + k];
        if (w === 0) continue;
        let j = model.skinJoints[v * model.influences + k];
        if (!slotOf.has(j) && j !== wrist) j = model.parents[j];
        W[v * (1 + SLOTS) + (j === wrist ? 0 : 1 + slotOf.get(j)!)] += w;
      }
    const lo = new Float32Array(model.dofs.map((d) => d.min));
    const hi = new Float32Array(model.dofs.map((d) => d.max));

    this.c = {
      restOff: tf.tensor3d(restOff, [1, SLOTS, 3]),
      inSel: tf.tensor2d(inSel, [L.shapes, SLOTS]),
      inConst: tf.tensor2d(inConst, [1, SLOTS]),
      outSel: tf.tensor2d(outSel, [L.shapes, SLOTS]),
      outConst: tf.tensor2d(outConst, [1, SLOTS]),
      dd: tf.tensor4d(dd, [1, SLOTS, 3, 3]),
      slotRest: tf.tensor4d(slotRest, [1, SLOTS, 3, 1]),
      dofSel: tf.tensor2d(dofSel, [L.dofs, SLOTS * 3]),
      K: tf.tensor4d(K, [1, SLOTS * 3, 3, 3]),
      K2: tf.tensor4d(K2, [1, SLOTS * 3, 3, 3]),
      eye: tf.tensor4d([1, 0, 0, 0, 1, 0, 0, 0, 1], [1, 1, 3, 3]),
      tipU: tf.tensor3d(tipU, [1, F, 3]),
      tipW: tf.tensor3d(tipW, [1, F, 3]),
      tipSel: tf.tensor2d(tipSel, [L.shapes, F]),
      tipConst: tf.tensor2d(tipConst, [1, F]),
      extraOff: tf.tensor3d(extraOff, [1, F, 3]),
      extraSel: tf.tensor2d(extraSel, [L.shapes, F]),
      extraConst: tf.tensor2d(extraConst, [1, F]),
      W: tf.tensor2d(W, [nv, 1 + SLOTS]),
      restVerts: tf.tensor4d(model.vertices, [1, nv, 1, 3]),
      lo: tf.tensor2d(lo, [1, L.dofs]),
      hi: tf.tensor2d(hi, [1, L.dofs]),
      // [r]x = reshape(r @ skew): rows of the cross-product matrix from the axis-angle vector
      skew: tf.tensor2d([0, 0, 0, 0, 0, -1, 0, 1, 0, 0, 0, 1, 0, 0, 0, -1, 0, 0, 0, -1, 0, 1, 0, 0, 0, 0, 0], [3, 9]),
      wristT: tf.tensor3d([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0], [1, 1, 12]),
    };
    this.kpIndex = tf.tensor1d(kpSource, 'int32');
    this.jointIndex = tf.tensor1d(jointSource, 'int32');
  }

  /** Rotation matrices [N, 3, 3] of axis-angle vectors [N, 3] (Rodrigues, stable near 0). */
  rotationMatrices(r: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => {
      const n = r.shape[0];
      const theta = tf.sqrt(tf.add(tf.sum(tf.square(r), 1, true), 1e-12)); // [N, 1]
      const a = tf.div(tf.sin(theta), theta);
      const half = tf.mul(theta, 0.5);
      const b = tf.mul(tf.square(tf.div(tf.sin(half), half)), 0.5); // (1 - cos t) / t^2
      const k = tf.reshape(tf.matMul(r, this.c.skew as tf.Tensor2D), [n, 3, 3]);
      const k2 = tf.matMul(k, k);
      return tf.add(tf.add(tf.reshape(this.c.eye, [1, 3, 3]), tf.mul(k, tf.reshape(a, [n, 1, 1]))), tf.mul(k2, tf.reshape(b, [n, 1, 1]))) as tf.Tensor3D;
    });
  }

  /**
   * Forward kinematics (and skinning) of N packed parameter vectors [N, size]. The pose is
   * clamped to the limits, the scales to their ranges. Returns new tensors (caller disposes).
   */
  forward(params: tf.Tensor2D, opts: { vertices?: boolean; joints?: boolean } = {}): ForwardOutput {
    if (this.disposed) throw new Error('HandModelTf used after dispose()');
    const L = this.layout;
    return tf.tidy(() => {
      const n = params.shape[0];
      const c = this.c;
      const rot = tf.slice(params, [0, L.rot], [n, 3]);
      const trans = tf.slice(params, [0, L.trans], [n, 3]);
      const pose = tf.minimum(tf.maximum(tf.slice(params, [0, L.pose], [n, L.dofs]), c.lo), c.hi);
      const shape = tf.clipByValue(tf.slice(params, [0, L.shape], [n, L.shapes]), BONE_SCALE_RANGE[0], BONE_SCALE_RANGE[1]);
      const gscale = tf.clipByValue(tf.slice(params, [0, L.scale], [n, 1]), GLOBAL_SCALE_RANGE[0], GLOBAL_SCALE_RANGE[1]);

      // local rotations: per slot R(abd) R(flex) R(twist), Rodrigues with fixed axes
      // (all slices on rank-3 tensors along axis 1: the WASM backend's Unpack and high-rank
      // Slice are ~100x slower than a contiguous slice)
      const ang = tf.reshape(tf.matMul(pose, c.dofSel as tf.Tensor2D), [n, 3 * SLOTS, 1, 1]); // column = order * SLOTS + slot
      const R = tf.reshape(tf.add(tf.add(c.eye, tf.mul(tf.sin(ang), c.K)), tf.mul(tf.sub(1, tf.cos(ang)), c.K2)), [n, 3, SLOTS * 9]);
      const part = (o: number) => tf.reshape(tf.slice(R, [0, o, 0], [n, 1, SLOTS * 9]), [n * SLOTS, 3, 3]);
      const local = tf.reshape(tf.matMul(tf.matMul(part(0), part(1)), part(2)), [n, C, F * 9]);
      // chain: G_c = G_{c-1} L_c, level by level
      const lv = Array.from({ length: C }, (_, l) => tf.reshape(tf.slice(local, [0, l, 0], [n, 1, F * 9]), [n, F, 3, 3]) as tf.Tensor4D);
      const G: tf.Tensor4D[] = [lv[0]];
      for (let l = 1; l < C; l++) G.push(tf.matMul(G[l - 1], lv[l]));
      // positions: p_c = p_{c-1} + G_{c-1} (s * rest offset)
      const sIn = tf.add(tf.matMul(shape, c.inSel as tf.Tensor2D), c.inConst); // [n, SLOTS]
      const off = tf.reshape(tf.mul(c.restOff, tf.reshape(sIn, [n, SLOTS, 1])), [n, C, F, 3, 1]);
      const Gprev = tf.stack([tf.tile(tf.reshape(c.eye, [1, 1, 3, 3]), [n, F, 1, 1]), G[0], G[1], G[2]], 1); // [n, C, F, 3, 3]
      const P = tf.cumsum(tf.reshape(tf.matMul(Gprev, off), [n, C, F, 3]), 1); // [n, C, F, 3]
      const G3 = G[C - 1];
      const P3 = tf.reshape(tf.slice(tf.reshape(P, [n, C, F * 3]), [0, C - 1, 0], [n, 1, F * 3]), [n, F, 3]);
      // fingertip vertices: P3 + G3 S3 (v - J3), S3 stretching along the last bone
      const sTip = tf.add(tf.matMul(shape, c.tipSel as tf.Tensor2D), c.tipConst); // [n, F]
      const tipOff = tf.add(c.tipU, tf.mul(tf.reshape(tf.sub(sTip, 1), [n, F, 1]), c.tipW));
      const tips = tf.add(P3, tf.reshape(tf.matMul(G3, tf.reshape(tipOff, [n, F, 3, 1])), [n, F, 3]));
      const Pflat = tf.reshape(P, [n, SLOTS, 3]);
      const zero = tf.zeros([n, 1, 3]);
      const points = tf.concat([zero, Pflat, tips], 1); // [n, 1 + SLOTS + F, 3]
      const Rg = this.rotationMatrices(rot);
      const sg = tf.reshape(gscale, [n, 1, 1]);
      const t = tf.reshape(trans, [n, 1, 3]);
      const toCamera = (x: tf.Tensor3D) => tf.mul(tf.matMul(x, Rg, false, true), sg);
      const relative = toCamera(tf.gather(points, this.kpIndex, 1) as tf.Tensor3D) as tf.Tensor3D;
      const out: ForwardOutput = { relative, keypoints: tf.add(relative, t) as tf.Tensor3D };
      if (opts.joints) {
        const sEx = tf.add(tf.matMul(shape, c.extraSel as tf.Tensor2D), c.extraConst);
        const extra = tf.add(P3, tf.reshape(tf.matMul(G3, tf.reshape(tf.mul(c.extraOff, tf.reshape(sEx, [n, F, 1])), [n, F, 3, 1])), [n, F, 3]));
        const all = tf.concat([zero, Pflat, tips, extra], 1) as tf.Tensor3D;
        out.joints = tf.add(toCamera(tf.gather(all, this.jointIndex, 1) as tf.Tensor3D), t) as tf.Tensor3D;
      }
      if (opts.vertices) {
        // skinning transform per slot: x -> A x + b with A = G S, b = p - A J
        const sOut = tf.add(tf.matMul(shape, c.outSel as tf.Tensor2D), c.outConst);
        const S = tf.add(c.eye, tf.mul(tf.reshape(tf.sub(sOut, 1), [n, SLOTS, 1, 1]), c.dd));
        const Gall = tf.reshape(tf.stack(G, 1), [n, SLOTS, 3, 3]);
        const A = tf.matMul(Gall, S); // [n, SLOTS, 3, 3]
        const b = tf.sub(Pflat, tf.reshape(tf.matMul(A, tf.tile(c.slotRest, [n, 1, 1, 1])), [n, SLOTS, 3]));
        const T = tf.concat([tf.tile(c.wristT, [n, 1, 1]), tf.concat([tf.reshape(A, [n, SLOTS, 9]), b], 2)], 1); // [n, 1 + SLOTS, 12]
        const nv = this.numVertices;
        const Tv = tf.transpose(tf.reshape(tf.matMul(c.W as tf.Tensor2D, tf.reshape(tf.transpose(T, [1, 0, 2]), [1 + SLOTS, n * 12])), [nv, n, 12]), [1, 0, 2]);
        const Av = tf.reshape(tf.slice(Tv, [0, 0, 0], [n, nv, 9]), [n, nv, 3, 3]);
        const bv = tf.slice(Tv, [0, 0, 9], [n, nv, 3]);
        const posed = tf.add(tf.sum(tf.mul(Av, c.restVerts), 3), bv) as tf.Tensor3D;
        out.vertices = tf.add(toCamera(posed), t) as tf.Tensor3D;
      }
      return out as unknown as tf.TensorContainer;
    }) as unknown as ForwardOutput;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose(Object.values(this.c));
    this.kpIndex.dispose();
    this.jointIndex.dispose();
  }
}
