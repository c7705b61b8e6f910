/** The types and constants both entries (browser.ts, node.ts) export besides createHandTracker. */
export type { HandTracker, HandTrackerOptions } from './tracker';
export { HandsError, type HandsErrorCode } from '../core/errors';
export { KEYPOINT_NAMES, SKELETON, NUM_KEYPOINTS, type KeypointName } from '../core/keypoints';
export type { BackendChoice } from '../core/backend';
export type { DeepPartial, PipelineConfig, Quality } from '../core/config';
export type { LoadProgress } from '../core/models/loadGraphModel';
export type { FrameInput } from '../core/pipeline';
export type * from '../core/types';
export type { HandGesture, GestureEvent, GestureLabel } from '../core/gesture/types';
