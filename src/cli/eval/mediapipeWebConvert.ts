/**
 * MediaPipe Hands web results -> the eval's predictions, in our conventions:
 *  - 2D: normalised landmarks x the source image's size = source-image pixels (x right, y down;
 *    pixel i covers [i, i+1)), the convention of MediaPipe's published keypoints for hands.jpg
 *    (tests/fixtures/hands.expected.json) and of our pipeline;
 *  - 3D: world landmarks (metres, image axes: the solution rotates them back from the crop as our
 *    pipeline does) made relative to the wrist, in millimetres;
 *  - handedness: MediaPipe labels hands as if the image were a mirrored selfie; with selfieMode
 *    off its "Left" is a physically right hand. Ours is the real hand in the un-mirrored image, so
 *    the label is swapped (checked on hands.jpg against our pipeline: tests/node/mediapipeWeb.test.ts).
 */
import type { Vec2 } from '../../core/metrics/keypoints2d';
import type { Vec3 } from '../../core/metrics/procrustes';
import type { RotatedRect } from '../../core/geometry/rect';
import type { MediapipeWebHandRaw, MediapipeWebImageRaw } from './mediapipeWeb';
import type { PredHand } from './run';

export function handednessFromLabel(label: MediapipeWebHandRaw['label']): PredHand['handedness'] {
  return label === 'Left' ? 'right' : 'left';
}

/** The solution does not report its crop: the keypoints' upright bounding box stands in. */
function keypointBox(points: readonly Vec2[]): RotatedRect {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  return { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, width: x1 - x0, height: y1 - y0, rotation: 0 };
}

export function mediapipeWebHands(raw: MediapipeWebImageRaw): PredHand[] {
  return raw.hands.map((h) => {
    const keypoints2d = h.landmarks.map(([x, y]) => [x * raw.width, y * raw.height] as Vec2);
    const w0 = h.world[0];
    const keypoints3d = h.world.map((p) => [1000 * (p[0] - w0[0]), 1000 * (p[1] - w0[1]), 1000 * (p[2] - w0[2])] as Vec3);
    // the solution exposes no hand-presence score (only the handedness one): not a number here
    return { keypoints2d, keypoints3d, score: Number.NaN, handedness: handednessFromLabel(h.label), roi: keypointBox(keypoints2d) };
  });
}
