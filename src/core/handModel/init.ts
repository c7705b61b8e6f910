import type { HandModelData } from './asset';
import { FINGER_CHAINS, FINGERS } from './joints';
import {
  apply3,
  axisAngleMatrix,
  cross,
  dot,
  fromColumns,
  identity3,
  matMul3,
  norm,
  normalize,
  reject,
  scale,
  signedAngle,
  sub,
  transpose3,
  vectorFromRotation,
  type Mat3,
  type Vec3,
} from './math';
import { BONE_SCALE_RANGE, GLOBAL_SCALE_RANGE, restParams, type HandParams } from './params';
import { referenceForward } from './reference';

/**
 * Analytic initialisation of a RIGHT-hand fit from 21 root-relative 3D keypoints (camera axes,
 * metres): global rotation from the palm frame (wrist, index and pinky MCPs), global scale from
 * the palm size, bone-length scales from bone lengths, then joint angles finger by finger from
 * the bone directions, projected onto each joint's anatomical axes (swing decomposition for the
 * 2-DoF MCPs and thumb CMC, thumb twist from the plane the thumb bends in), clamped to the limits.
 */
export function initialParams(model: HandModelData, target: readonly Vec3[]): HandParams {
  const kp = (name: string) => model.keypoints.findIndex((k) => k.name === name);
  const p = restParams(model);
  const rest = referenceForward(model, p).keypoints; // model frame (identity global transform)
  const iW = kp('wrist');
  const rel = (pts: readonly Vec3[], name: string) => sub(pts[kp(name)], pts[iW]);

  // --- global rotation: palm frame of the target vs the template
  const palmFrame = (pts: readonly Vec3[]): Mat3 => {
    const mcps = ['index_finger_mcp', 'middle_finger_mcp', 'ring_finger_mcp', 'pinky_finger_mcp'].map((n) => rel(pts, n));
    const up = normalize(mcps.reduce((a, b) => [a[0] + b[0], a[1] + b[1], a[2] + b[2]] as Vec3, [0, 0, 0] as Vec3));
    const n = normalize(reject(cross(mcps[0], mcps[3]), up));
    return fromColumns(up, n, cross(up, n));
  };
  const R = matMul3(palmFrame(target), transpose3(palmFrame(rest)));
  p.globalRotation = vectorFromRotation(R);

  // --- sizes: global scale from the palm, bone scales from each bone (relative to the global scale)
  const len = (pts: readonly Vec3[], a: string, b: string) => norm(sub(pts[kp(b)], pts[kp(a)]));
  const palm = ['index_finger_mcp', 'middle_finger_mcp', 'ring_finger_mcp', 'pinky_finger_mcp'];
  const g = clamp(palm.reduce((s, n) => s + len(target, 'wrist', n), 0) / palm.reduce((s, n) => s + len(rest, 'wrist', n), 0), GLOBAL_SCALE_RANGE);
  p.globalScale = g;
  const boneOf: Record<string, [string, string]> = {
    'thumb.cmc': ['wrist', 'thumb_cmc'],
    'thumb.metacarpal': ['thumb_cmc', 'thumb_mcp'],
    'thumb.proximal': ['thumb_mcp', 'thumb_ip'],
    'thumb.distal': ['thumb_ip', 'thumb_tip'],
  };
  for (const f of ['index', 'middle', 'ring', 'pinky']) {
    const k = `${f}_finger`;
    boneOf[`${f}.palm`] = ['wrist', `${k}_mcp`];
    boneOf[`${f}.proximal`] = [`${k}_mcp`, `${k}_pip`];
    boneOf[`${f}.intermediate`] = [`${k}_pip`, `${k}_dip`];
    boneOf[`${f}.distal`] = [`${k}_dip`, `${k}_tip`];
  }
  p.boneScales = model.shape.map((s) => {
    const b = boneOf[s.name];
    if (!b) return 1;
    const r = len(target, b[0], b[1]) / (g * len(rest, b[0], b[1]));
    return Number.isFinite(r) ? clamp(r, BONE_SCALE_RANGE) : 1;
  });

  // --- joint angles, down each chain, in the model frame
  const Rt = transpose3(R);
  const Y = target.map((x) => scale(apply3(Rt, sub(x, target[iW])), 1 / g));
  const names = model.jointNames;
  const jointIndex = (n: string) => names.indexOf(n);
  const dofsOf = (j: number) => model.dofs.map((d, i) => ({ ...d, i })).filter((d) => d.joint === j);
  const restJ = (j: number): Vec3 => [model.joints[3 * j], model.joints[3 * j + 1], model.joints[3 * j + 2]];
  const keypointAt = (j: number) => model.keypoints.findIndex((k) => k.joint === j && k.vertex < 0);
  const setAngle = (i: number, a: number) => {
    const d = model.dofs[i];
    p.pose[i] = Math.min(d.max, Math.max(d.min, Number.isFinite(a) ? a : 0));
    return p.pose[i];
  };

  for (const finger of FINGERS) {
    const chain = FINGER_CHAINS[finger].map(jointIndex);
    let G = identity3();
    for (let c = 0; c < chain.length - 1; c++) {
      const j = chain[c];
      const dofs = dofsOf(j);
      if (dofs.length === 0) continue;
      // where this joint's bone should point: towards the next keypoint of the chain (a joint, or
      // the fingertip vertex carried by this joint)
      const child = chain[c + 1];
      let kc = keypointAt(child);
      if (kc < 0) kc = model.keypoints.findIndex((k) => k.vertex >= 0 && k.joint === j);
      if (kc < 0) continue;
      const kj = keypointAt(j);
      // a joint that is not a keypoint (finger CMC): its posed position from the current state
      const from = kj >= 0 ? Y[kj] : posedJoint(model, p, j);
      const u = apply3(transpose3(G), normalize(sub(Y[kc], from)));
      const d = normalize(sub(rest[kc], restJ(j)));
      const flex = dofs.find((x) => x.kind === 'flex');
      const abd = dofs.find((x) => x.kind === 'abd');
      const twist = dofs.find((x) => x.kind === 'twist');
      let L = identity3();
      if (flex && abd) {
        // swing: L = R(abd) R(flex) (reference.ts order): flexion is the inner rotation, abduction the outer
        const [inner, outer] = [flex, abd];
        const w = normalize(cross(inner.axis, d));
        const wo = dot(w, outer.axis);
        const s = Math.abs(wo) > 0.5 ? Math.max(-1, Math.min(1, dot(u, outer.axis) / wo)) : 0;
        const ti = setAngle(inner.i, Math.asin(s));
        const v = apply3(axisAngleMatrix(inner.axis, ti), d);
        const to = setAngle(outer.i, signedAngle(v, u, outer.axis));
        L = matMul3(axisAngleMatrix(outer.axis, to), axisAngleMatrix(inner.axis, ti));
        if (twist) {
          // twist about the bone: turn the next joint's flexion towards the side the rest of the
          // chain bends to (a bend is a line: flexion or hyperextension, so the smaller of the two turns)
          const Gs = matMul3(G, L);
          const next = dofsOf(child).find((x) => x.kind === 'flex');
          let q: Vec3 = [0, 0, 0];
          for (let k = 0; k < model.keypoints.length; k++) {
            const on = model.keypoints[k].joint;
            if (k === kc || !chain.slice(c + 1).includes(on)) continue;
            const x = reject(apply3(transpose3(Gs), sub(Y[k], from)), d);
            q = [q[0] + x[0], q[1] + x[1], q[2] + x[2]];
          }
          if (next && norm(q) > 0.05 * norm(sub(Y[kc], from))) {
            const dn = normalize(sub(restJ(chain[c + 2]), restJ(child)));
            const bendDir = reject(cross(next.axis, dn), d);
            let tw = signedAngle(bendDir, q, twist.axis);
            if (tw > Math.PI / 2) tw -= Math.PI;
            if (tw < -Math.PI / 2) tw += Math.PI;
            tw = setAngle(twist.i, tw);
            L = matMul3(L, axisAngleMatrix(twist.axis, tw));
          }
        }
      } else if (flex) {
        const t = setAngle(flex.i, signedAngle(d, u, flex.axis));
        L = axisAngleMatrix(flex.axis, t);
      }
      G = matMul3(G, L);
    }
  }
  return p;
}

/** Posed position (model frame, unscaled by the global scale) of joint j for the current params. */
function posedJoint(model: HandModelData, p: HandParams, j: number): Vec3 {
  const r = referenceForward(model, { ...p, globalRotation: [0, 0, 0], translation: [0, 0, 0], globalScale: 1 });
  return r.joints[j];
}

const clamp = (x: number, [lo, hi]: readonly [number, number]) => Math.min(hi, Math.max(lo, x));
