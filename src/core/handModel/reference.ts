import type { HandModelData } from './asset';
import { add, apply3, axisAngleMatrix, identity3, matMul3, rotationFromVector, scale, sub, type Mat3, type Vec3 } from './math';
import { clampPose, type HandParams } from './params';

/**
 * Plain-TS forward kinematics and linear blend skinning, joint by joint in float64: the
 * reference the batched TF.js model (tfModel.ts) is tested against, and the CPU helper the fit
 * uses to compare starting points. Clamps the pose to the limits like the TF.js model.
 */
export interface ReferencePose {
  /** Joint world rotations in the model frame (before the global transform), row-major 3x3. */
  rotations: Mat3[];
  /** Joint positions, camera frame (metres). */
  joints: Vec3[];
  /** Skinning transform per joint, model frame (posed = A x + b), global transform not applied. */
  skin: Array<{ A: Mat3; b: Vec3 }>;
  /** The 21 keypoints, camera frame. */
  keypoints: Vec3[];
}

const DOF_ORDER = { abd: 0, flex: 1, twist: 2 } as const;

/** Per joint: the shape index scaling its incoming bone (-1 none) and its outgoing bone (for skinning). */
export function boneScaleIndices(model: HandModelData): { incoming: Int32Array; outgoing: Int32Array; outDir: Vec3[] } {
  const n = model.jointNames.length;
  const incoming = new Int32Array(n).fill(-1);
  model.shape.forEach((s, i) => s.bones.forEach((j) => (incoming[j] = i)));
  const outgoing = new Int32Array(n).fill(-1);
  const outDir: Vec3[] = Array.from({ length: n }, () => [0, 0, 0] as Vec3);
  const jp = (j: number): Vec3 => [model.joints[3 * j], model.joints[3 * j + 1], model.joints[3 * j + 2]];
  for (let j = 0; j < n; j++) {
    const children = [];
    for (let c = 0; c < n; c++) if (model.parents[c] === j) children.push(c);
    if (children.length === 1) {
      outgoing[j] = incoming[children[0]];
      const d = sub(jp(children[0]), jp(j));
      outDir[j] = scale(d, 1 / Math.hypot(...d));
    } else if (children.length === 0) {
      // a tip: rigid with its parent's bone
      outgoing[j] = outgoing[model.parents[j]];
      outDir[j] = outDir[model.parents[j]];
    }
  }
  return { incoming, outgoing, outDir };
}

export function referenceForward(model: HandModelData, params: HandParams): ReferencePose {
  const n = model.jointNames.length;
  const pose = clampPose(params.pose, model);
  const { incoming, outgoing, outDir } = boneScaleIndices(model);
  const local: Mat3[] = Array.from({ length: n }, () => identity3());
  // per joint, its DoFs in the order abd, flex, twist: L = R(abd) R(flex) R(twist)
  const perJoint: Array<Array<{ order: number; axis: Vec3; angle: number }>> = Array.from({ length: n }, () => []);
  model.dofs.forEach((d, i) => perJoint[d.joint].push({ order: DOF_ORDER[d.kind], axis: d.axis, angle: pose[i] }));
  for (let j = 0; j < n; j++) for (const d of perJoint[j].sort((a, b) => a.order - b.order)) local[j] = matMul3(local[j], axisAngleMatrix(d.axis, d.angle));

  const rest = (j: number): Vec3 => [model.joints[3 * j], model.joints[3 * j + 1], model.joints[3 * j + 2]];
  const G: Mat3[] = new Array(n);
  const P: Vec3[] = new Array(n);
  for (let j = 0; j < n; j++) {
    const p = model.parents[j];
    if (p < 0) {
      G[j] = local[j];
      P[j] = rest(j);
      continue;
    }
    G[j] = matMul3(G[p], local[j]);
    const s = incoming[j] >= 0 ? params.boneScales[incoming[j]] : 1;
    P[j] = add(P[p], apply3(G[p], scale(sub(rest(j), rest(p)), s)));
  }
  const skin = G.map((g, j) => {
    // S = I + (s - 1) d d^T: stretch along the outgoing bone
    const s = outgoing[j] >= 0 ? params.boneScales[outgoing[j]] : 1;
    const d = outDir[j];
    const S: Mat3 = identity3().map((v, k) => v + (s - 1) * d[Math.floor(k / 3)] * d[k % 3]);
    const A = matMul3(g, S);
    return { A, b: sub(P[j], apply3(A, rest(j))) };
  });
  const R = rotationFromVector(params.globalRotation);
  const toCamera = (x: Vec3): Vec3 => add(apply3(R, scale(x, params.globalScale)), params.translation);
  const keypoints = model.keypoints.map((k) => {
    if (k.vertex < 0) return toCamera(P[k.joint]);
    return toCamera(skinVertex(model, skin, k.vertex));
  });
  return { rotations: G, joints: P.map(toCamera), skin, keypoints };
}

function skinVertex(model: HandModelData, skin: ReferencePose['skin'], v: number): Vec3 {
  const x: Vec3 = [model.vertices[3 * v], model.vertices[3 * v + 1], model.vertices[3 * v + 2]];
  let out: Vec3 = [0, 0, 0];
  for (let k = 0; k < model.influences; k++) {
    const w = model.skinWeights[v * model.influences + k];
    if (w === 0) continue;
    const t = skin[model.skinJoints[v * model.influences + k]];
    out = add(out, scale(add(apply3(t.A, x), t.b), w));
  }
  return out;
}

/** Skinned vertices in the camera frame [V * 3]. */
export function referenceVertices(model: HandModelData, params: HandParams, pose = referenceForward(model, params)): Float64Array {
  const nv = model.vertices.length / 3;
  const out = new Float64Array(nv * 3);
  const R = rotationFromVector(params.globalRotation);
  for (let v = 0; v < nv; v++) {
    const p = add(apply3(R, scale(skinVertex(model, pose.skin, v), params.globalScale)), params.translation);
    out.set(p, 3 * v);
  }
  return out;
}
