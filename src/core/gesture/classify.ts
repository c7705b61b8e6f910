import { handFeatures, NUM_FEATURES, type GestureInput } from './features';
import { gestureProbabilities, type GestureModel } from './mlp';
import { ruleScores } from './rules';
import { GESTURE_LABELS, type HandGesture } from './types';

/**
 * One hand's gesture: features (features.ts) -> the learned classifier (models/gesture-classifier.json,
 * mlp.ts) when a model is given, else the geometric rules (rules.ts) -> label, scores, pinch and
 * per-finger state. ~10 microseconds per hand in Node (training/gesture/README.md).
 */

export interface GestureClassifyConfig {
  /**
   * The top label must reach this probability, else the hand is 'None' (MediaPipe's
   * GestureRecognizer has the same knob, min score 0 by default; 0.5 here: below it, a
   * more-likely-than-not 'something else' is safer than a guess that starts an event).
   */
  minScore: number;
}

export const DEFAULT_GESTURE_CLASSIFY_CONFIG: GestureClassifyConfig = { minScore: 0.5 };

const FEATURES = new Float32Array(NUM_FEATURES);

export function classifyGesture(input: GestureInput, model?: GestureModel, config: GestureClassifyConfig = DEFAULT_GESTURE_CLASSIFY_CONFIG): HandGesture {
  const f = handFeatures(input, FEATURES);
  const scores = model ? gestureProbabilities(model, f.values) : ruleScores(f.values);
  let best = 0;
  for (let k = 1; k < scores.length; k++) if (scores[k] > scores[best]) best = k;
  if (scores[best] < config.minScore) best = 0;
  return { label: GESTURE_LABELS[best], score: scores[best], scores, pinch: f.pinch, fingers: f.fingers };
}
