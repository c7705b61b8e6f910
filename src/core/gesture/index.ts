/** Hand gestures: features, classifier (learned or rules), per-track events. */
export * from './types';
export { handFeatures, pinchStrength, FEATURE_NAMES, NUM_FEATURES, FINGER_STATE_CURL, PINCH_DISTANCE, type GestureInput, type HandFeatures } from './features';
export { parseGestureModel, gestureProbabilities, GESTURE_MODEL_FORMAT, type GestureModel } from './mlp';
export { ruleScores, GESTURE_RULES } from './rules';
export { classifyGesture, DEFAULT_GESTURE_CLASSIFY_CONFIG, type GestureClassifyConfig } from './classify';
export { GestureTracker, DEFAULT_GESTURE_TRACKER_CONFIG, type GestureTrackerConfig } from './events';
