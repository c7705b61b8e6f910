import type { KeypointName } from './keypoints';
import type { Box, RotatedRect } from './geometry/rect';
import type { HandParams } from './handModel/params';
import type { GestureEvent, HandGesture } from './gesture/types';

export type Handedness = 'left' | 'right';
export type HandSource = 'palm-detection' | 'box-detection' | 'tracking';
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface Keypoint2D {
  name: KeypointName;
  /** Source-image pixels, x right, y down. */
  x: number;
  y: number;
}

export interface Keypoint3D {
  name: KeypointName;
  /** Metres, camera axes (x right, y down, z away from the camera), relative to the wrist. */
  x: number;
  y: number;
  z: number;
}

/**
 * Per-keypoint heat maps of the multi-task heads, in the crop the hand was seen in (`HandResult.roi`,
 * a rotated square): `size` x `size` x 21, HWC (keypoint fastest), 0..255 (255 = the target's peak).
 */
export interface HeatmapsData {
  size: number;
  data: Uint8Array;
}

/**
 * The hand mask of the multi-task heads in the hand's crop (`HandResult.roi`): `size` x `size`,
 * probability x 255 (hand where >= 128). By default the heads' 56 x 56 mask refined on the crop's
 * own pixels (an image-guided filter, multitask/refineMask.ts) to config heads.maskSize (224), so
 * its edge follows the picture's; with heads.maskSize 0 the heads' 56 x 56 grid as it is.
 */
export interface MaskData {
  size: number;
  data: Uint8Array;
}

export interface HandTimings {
  /** Crop + landmark network + read-back for this hand. */
  landmarksMs: number;
}

/** One hand in one frame. Stable across backends; plain data (survives postMessage and JSON). */
export interface HandResult {
  /** Track id: the same physical hand keeps its id while it is tracked on video. */
  id: number;
  /** Of the real hand, in the un-mirrored image. */
  handedness: Handedness;
  /** Probability of `handedness` (0.5..1). */
  handednessScore: number;
  /** Probability that the crop holds a hand (the landmark network's presence output). */
  score: number;
  /** Axis-aligned box around the 21 keypoints, in pixels. */
  box: Box;
  /** The rotated square crop the landmark network saw. */
  roi: RotatedRect;
  /**
   * Where this hand's crop came from: the palm detector, the whole-hand box detector (fallback),
   * or the previous frame's keypoints.
   */
  source: HandSource;
  keypoints2d: Keypoint2D[];
  keypoints3d: Keypoint3D[];
  /** Heat maps (multi-task heads; only with config.heads.enabled). */
  heatmaps?: HeatmapsData;
  /** Hand mask (multi-task heads; only with config.heads.enabled). */
  mask?: MaskData;
  /** The fitted hand mesh, when the pipeline's `mesh` stage is enabled. */
  mesh?: HandMesh;
  /** What the hand is doing (config.gestures): a label with its score, pinch strength, finger states. */
  gesture?: HandGesture;
  timings: HandTimings;
}

/**
 * The parametric hand fitted to one hand's keypoints (src/core/handModel). Triangles are the
 * same every frame: `HandPipeline.meshTriangles(mesh.handedness)`, never copied per frame. To draw
 * it over the image, project the vertices with the pinhole camera
 * `cameraFromFov(frame.width, frame.height, fovDegrees)` (`projectPoints`).
 */
export interface HandMesh {
  /**
   * The hand model fitted: the hand's `handedness`, except when its 3D keypoints only fit the
   * mirror-image hand (a wrong handedness label); pick the triangles with this.
   */
  handedness: Handedness;
  /** Skinned vertices [V * 3] (V = 1360), camera frame: x right, y down, z forward, metres. */
  vertices: Float32Array;
  /** The mesh's own 21 keypoints [21 * 3] (MediaPipe order), camera frame, metres. */
  keypoints: Float32Array;
  /** Model parameters (global rotation, translation = wrist in the camera frame, pose, shape). */
  params: HandParams;
  /** Mean distance (mm) between the mesh's 21 keypoints and keypoints3d (both wrist-relative). */
  residualMm: number;
  /** Mean distance (px, analysed image) between the projected mesh keypoints and keypoints2d. */
  residualPx: number;
  /** Estimated absolute depth of the wrist (metres) = params.translation[2]. */
  wristDepth: number;
  /** Horizontal field of view (degrees) of the camera the mesh was placed with. */
  fovDegrees: number;
  /** Where the fit started: the analytic initialisation, the previous frame's fit, or the heads' regressed parameters. */
  start: 'analytic' | 'previous' | 'regressor';
  /**
   * Outward offset of the skin along its normals (metres, camera frame) already applied to
   * `vertices`: fitted to the heads' hand mask (MeshConfig.thickness; on video, averaged over the
   * track's frames); 0 without a mask. `params` pose the template's own (unoffset) skin.
   */
  thickness: number;
}

export interface FrameTimings {
  /** Hand detection (palm detector, and the box detector when it ran) incl. pre/post-processing; 0 when no detector ran. */
  detectMs: number;
  /** Sum over hands of landmarksMs (including rejected candidates). */
  landmarksMs: number;
  /** Input upload/conversion. */
  inputMs: number;
  /** Filtering, de-duplication, bookkeeping. */
  postMs: number;
  /** Mesh fitting and skinning of all hands (0 when the mesh stage is off). */
  meshMs: number;
  totalMs: number;
}

export interface FrameResult {
  hands: HandResult[];
  width: number;
  height: number;
  /** Did the palm detector run on this frame. */
  detectorRan: boolean;
  /** Did the box detector (fallback) run on this frame. */
  boxDetectorRan: boolean;
  /**
   * Gesture and pinch events of the tracked hands on this frame (video with tracking and
   * config.gestures on; hysteresis and a minimum duration in gesture/events.ts); [] otherwise.
   */
  gestureEvents: GestureEvent[];
  timings: FrameTimings;
  backend: BackendName;
}
