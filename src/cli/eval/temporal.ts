import * as tf from '@tensorflow/tfjs-core';
import type { RawVideo } from '../decodeVideo';
import type { HandPipeline } from '../../core/pipeline';
import { maskCounts, maskIoU } from '../../core/metrics/masks';
import { meanKeypointMotion, meanRelativeDisplacement, steadyFrames, thresholdMask } from '../../core/metrics/temporal';
import { frameMask } from '../../core/multitask/frameMask';
import type { FrameResult } from '../../core/types';

/** Per steady pair of consecutive frames (one hand in both): how much each output changed. */
export interface StabilityFigures {
  frames: number;
  steadyPairs: number;
  /** IoU of the two frames' masks (frameMask, >= 128). */
  maskIoU: number[];
  /** Mean vertex displacement of the mesh, each frame's taken relative to its own wrist (mm). */
  meshMm: number[];
  /** Change of the mesh's wrist depth (mm). */
  depthMm: number[];
  /** Mean 2D keypoint displacement (px). */
  keypointsPx: number[];
}

const wristOf = (r: FrameResult): [number, number, number] => {
  const k = r.hands[0]?.mesh?.keypoints;
  return k ? [k[0], k[1], k[2]] : [0, 0, 0];
};

/**
 * Runs a video through the pipeline (video mode, as the page plays it) and measures, on frames
 * where the reference keypoints (one hand per frame, [[x, y], ...]) move less than `steadyPx`, how
 * much the mask, the mesh and the keypoints change: there, change is flicker, not motion.
 */
export async function measureStability(
  pipeline: HandPipeline,
  video: RawVideo,
  reference: ReadonlyArray<ReadonlyArray<readonly number[]>>,
  steadyPx: number,
): Promise<StabilityFigures> {
  pipeline.reset();
  const results: FrameResult[] = [];
  const masks: Uint8Array[] = [];
  for (let t = 0; t < video.frames.length; t++) {
    const frame = tf.tensor3d(video.frames[t], [video.height, video.width, 3], 'int32');
    const r = await pipeline.estimate(frame, { mode: 'video', timestampMs: (1000 * t) / video.fps });
    frame.dispose();
    results.push(r);
    masks.push(thresholdMask(frameMask(r)));
  }
  const out: StabilityFigures = { frames: video.frames.length, steadyPairs: 0, maskIoU: [], meshMm: [], depthMm: [], keypointsPx: [] };
  for (const t of steadyFrames(reference.slice(0, video.frames.length), steadyPx)) {
    const [a, b] = [results[t - 1], results[t]];
    if (a.hands.length !== 1 || b.hands.length !== 1) continue;
    out.steadyPairs++;
    if (a.hands[0].mask && b.hands[0].mask) out.maskIoU.push(maskIoU(maskCounts(masks[t], masks[t - 1])));
    const [ma, mb] = [a.hands[0].mesh, b.hands[0].mesh];
    if (ma && mb) {
      out.meshMm.push(1000 * meanRelativeDisplacement(mb.vertices, ma.vertices, wristOf(b), wristOf(a)));
      out.depthMm.push(1000 * Math.abs(mb.wristDepth - ma.wristDepth));
    }
    out.keypointsPx.push(
      meanKeypointMotion(
        b.hands[0].keypoints2d.map((k) => [k.x, k.y]),
        a.hands[0].keypoints2d.map((k) => [k.x, k.y]),
      ),
    );
  }
  return out;
}
