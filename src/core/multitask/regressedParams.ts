import type { Handedness } from '../types';
import { matMul3, rotationFromVector, transpose3, vectorFromRotation, type Mat3, type Vec3 } from '../handModel/math';
import type { HandParams } from '../handModel/params';

/**
 * The heads' mesh-parameter regressor output -> hand-model parameters in the camera frame.
 *
 * The vector (training/hiu/model.py N_PARAMS, losses.param_target) is, as offsets from the rest
 * hand: [global rotation 3 (axis-angle, crop-aligned camera axes) | pose D (radians) | bone scales
 * - 1 (S) | global scale - 1]. The crop is the image rotated by the ROI angle about the camera's
 * z axis (p_crop = C p_cam), so the camera-frame rotation is C^T R_crop. The regressor sees no
 * depth: the translation is left at 0 for the fit to place the hand (camera.solveTranslation).
 * Returns undefined when the vector does not match the model's parameter counts.
 */
export function regressedParams(v: ArrayLike<number>, roiRotation: number, handedness: Handedness, dofs: number, shapes: number): HandParams | undefined {
  if (v.length !== 3 + dofs + shapes + 1) return undefined;
  const c = Math.cos(roiRotation);
  const s = Math.sin(roiRotation);
  const C: Mat3 = [c, s, 0, -s, c, 0, 0, 0, 1];
  const rCrop = rotationFromVector([v[0], v[1], v[2]]);
  const globalRotation: Vec3 = vectorFromRotation(matMul3(transpose3(C), rCrop));
  const pose = Array.from({ length: dofs }, (_, i) => v[3 + i]);
  const boneScales = Array.from({ length: shapes }, (_, i) => 1 + v[3 + dofs + i]);
  return { handedness, globalRotation, translation: [0, 0, 0], pose, boneScales, globalScale: 1 + v[3 + dofs + shapes] };
}
