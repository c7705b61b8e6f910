import { FINGER_OF_KEYPOINT, SKELETON } from '../core/keypoints';
import type { HandResult } from '../core/types';
import { FINGER_COLORS, MAX_HANDS } from './palette';
import { SegmentsBuffer } from './segmentsBuffer';
import { DRAW_ORDER } from './drawOrder';

/** A bone ending at a finger's base (MCP) is part of the palm; every other bone belongs to its finger. */
const PALM_BONE_ENDS: readonly number[] = [5, 9, 13, 17];
const BONE_COLORS = SKELETON.map(([, b]) => FINGER_COLORS[PALM_BONE_ENDS.includes(b) ? 0 : FINGER_OF_KEYPOINT[b]]);

/** Bones between keypoints: the palm in white, each finger in its colour. */
export class SkeletonLayer {
  private readonly segments = new SegmentsBuffer(MAX_HANDS * SKELETON.length, 3);
  readonly object = this.segments.object;

  constructor() {
    this.object.renderOrder = DRAW_ORDER.skeleton;
  }

  update(hands: readonly HandResult[]): void {
    const n = Math.min(hands.length, MAX_HANDS);
    this.segments.begin();
    for (let h = 0; h < n; h++) {
      const kps = hands[h].keypoints2d;
      for (let i = 0; i < SKELETON.length; i++) {
        const a = SKELETON[i][0];
        const b = SKELETON[i][1];
        this.segments.push(kps[a].x, kps[a].y, kps[b].x, kps[b].y, BONE_COLORS[i]);
      }
    }
    this.segments.end();
  }

  setResolution(width: number, height: number): void {
    this.segments.setResolution(width, height);
  }
}
