/** Accuracy metrics for `hands eval` (pure functions, no I/O; usable in the page too). */
export * from './stats';
export * from './keypoints2d';
export * from './procrustes';
export { rootRelative, jointErrors3d, rootRelativeErrors, procrustesErrors } from './keypoints3d';
export * from './masks';
export * from './detection';
export * from './summary';
