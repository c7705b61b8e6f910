import type { Handedness } from '../types';
import type { HandModelData } from './asset';

/**
 * Parameters of one posed hand (plain data: survives JSON and postMessage).
 *
 * Camera frame = the frame of our results: x right, y down, z forward (away from the camera),
 * metres. A point of the model (model frame, see asset.ts) lands at
 * `R(globalRotation) * (globalScale * posed) + translation`.
 */
export interface HandParams {
  handedness: Handedness;
  /** Axis-angle (radians) from the model frame to the camera frame. */
  globalRotation: [number, number, number];
  /** The wrist in the camera frame (metres); z is the absolute wrist depth. */
  translation: [number, number, number];
  /** Radians, relative to the rest pose, one per model DoF (`dofNames` order), within the limits. */
  pose: number[];
  /** Per-bone length scales (1 = template), one per model shape entry (`shapeNames` order). */
  boneScales: number[];
  /** Uniform scale of the whole hand (1 = the template, a 19 cm hand from wrist to middle tip). */
  globalScale: number;
}

/** Layout of the packed parameter vector used on the GPU: [rot 3 | trans 3 | pose D | shape S | scale 1]. */
export interface ParamLayout {
  dofs: number;
  shapes: number;
  size: number;
  rot: number;
  trans: number;
  pose: number;
  shape: number;
  scale: number;
}

export function paramLayout(model: Pick<HandModelData, 'dofs' | 'shape'>): ParamLayout {
  const dofs = model.dofs.length;
  const shapes = model.shape.length;
  return { dofs, shapes, size: 3 + 3 + dofs + shapes + 1, rot: 0, trans: 3, pose: 6, shape: 6 + dofs, scale: 6 + dofs + shapes };
}

/** The rest pose at the origin, template size. */
export function restParams(model: Pick<HandModelData, 'dofs' | 'shape'>, handedness: Handedness = 'right'): HandParams {
  return { handedness, globalRotation: [0, 0, 0], translation: [0, 0, 0], pose: model.dofs.map(() => 0), boneScales: model.shape.map(() => 1), globalScale: 1 };
}

export function packParams(p: HandParams, layout: ParamLayout, out = new Float32Array(layout.size), offset = 0): Float32Array {
  out.set(p.globalRotation, offset + layout.rot);
  out.set(p.translation, offset + layout.trans);
  out.set(p.pose, offset + layout.pose);
  out.set(p.boneScales, offset + layout.shape);
  out[offset + layout.scale] = p.globalScale;
  return out;
}

export function unpackParams(v: ArrayLike<number>, layout: ParamLayout, handedness: Handedness, offset = 0): HandParams {
  const at = (i: number) => v[offset + i];
  const range = (start: number, n: number) => Array.from({ length: n }, (_, i) => at(start + i));
  return {
    handedness,
    globalRotation: [at(0), at(1), at(2)],
    translation: [at(3), at(4), at(5)],
    pose: range(layout.pose, layout.dofs),
    boneScales: range(layout.shape, layout.shapes),
    globalScale: at(layout.scale),
  };
}

/** Pose angles clamped to the model's limits (a copy). */
export function clampPose(pose: readonly number[], model: Pick<HandModelData, 'dofs'>): number[] {
  return pose.map((a, i) => Math.min(model.dofs[i].max, Math.max(model.dofs[i].min, a)));
}

/** Limits of the bone-length scales (shape); the fit clamps to them. */
export const BONE_SCALE_RANGE: readonly [number, number] = [0.6, 1.6];
/** Limits of the global scale. */
export const GLOBAL_SCALE_RANGE: readonly [number, number] = [0.5, 2];

/**
 * The same hand seen in a mirror through the camera's x = 0 plane (x -> -x), handedness swapped:
 * a left hand's parameters become those of the right hand that is its mirror image, and back. The
 * pose and shape are unchanged (the left model is the mirrored right model with mirrored axes).
 */
export function mirrorParams(p: HandParams): HandParams {
  const [rx, ry, rz] = p.globalRotation;
  const [tx, ty, tz] = p.translation;
  return {
    ...p,
    handedness: p.handedness === 'right' ? 'left' : 'right',
    globalRotation: [rx, -ry, -rz],
    translation: [-tx, ty, tz],
    pose: p.pose.slice(),
    boneScales: p.boneScales.slice(),
  };
}
