/**
 * The parametric hand (MANO-style, on the MIT WebXR generic hand): asset, batched TF.js forward
 * kinematics + skinning, plain-TS reference, analytic initialisation, fitting, pinhole camera.
 */
export { HAND_MODEL_FILE, HAND_MODEL_NAME, parseHandModel, mirrorHandModel, type HandModelData, type HandModelJson, type DofKind } from './asset';
export { loadHandModel } from './load';
export { WEBXR_JOINT_NAMES, FINGER_CHAINS, FINGERS, webxrParent, type WebXRJointName, type Finger } from './joints';
export {
  type HandParams,
  type ParamLayout,
  paramLayout,
  restParams,
  packParams,
  unpackParams,
  mirrorParams,
  clampPose,
  BONE_SCALE_RANGE,
  GLOBAL_SCALE_RANGE,
} from './params';
export { HandModelTf, type ForwardOutput } from './tfModel';
export { referenceForward, referenceVertices, type ReferencePose } from './reference';
export { initialParams } from './init';
export { fitHands, DEFAULT_FIT_OPTIONS, type FitTarget, type FitOptions, type FitResult } from './fit';
export { cameraFromFov, projectPoint, projectPoints, solveTranslation, DEFAULT_FOV_DEGREES, type PinholeCamera } from './camera';
export { MeshStage, type MeshStageTimings } from './meshStage';
