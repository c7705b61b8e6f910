/** Public surface of src/core: what the page, the worker, the CLI and the tests import. */
export { HandPipeline, palmModelName, landmarkModelName, type FrameInput, type EstimateOptions, type CreatePipelineOptions } from './pipeline';
export {
  DEFAULT_CONFIG,
  resolveConfig,
  type PipelineConfig,
  type DeepPartial,
  type DetectorConfig,
  type LandmarkConfig,
  type TrackingConfig,
  type FilterConfig,
  type MeshConfig,
  type LandmarkVariant,
} from './config';
export { initBackend, DEFAULT_BACKEND_ORDER, type BackendChoice, type BackendOptions } from './backend';
export { HandsError, type HandsErrorCode } from './errors';
export { KEYPOINT_NAMES, SKELETON, FINGER_OF_KEYPOINT, NUM_KEYPOINTS, type KeypointName } from './keypoints';
export type { FileSource } from './models/fileSource';
export type { LoadProgress } from './models/loadGraphModel';
export type { Box, RotatedRect, Point2 } from './geometry/rect';
export { rectCorners } from './geometry/rect';
export type * from './types';
export { scaleFrameResult } from './scaleResult';
export {
  cameraFromFov,
  projectPoints,
  projectPoint,
  DEFAULT_FOV_DEGREES,
  mirrorHandModel,
  parseHandModel,
  loadHandModel,
  HandModelTf,
  fitHands,
  referenceForward,
  referenceVertices,
  paramLayout,
  packParams,
  unpackParams,
  restParams,
  mirrorParams,
  WEBXR_JOINT_NAMES,
  type PinholeCamera,
  type HandModelData,
  type HandParams,
  type FitTarget,
  type FitOptions,
  type FitResult,
} from './handModel';
