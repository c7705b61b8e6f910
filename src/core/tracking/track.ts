import type { FilterConfig } from '../config';
import { OneEuroVectorFilter } from '../filter/oneEuro';
import type { RotatedRect } from '../geometry/rect';
import { NUM_KEYPOINTS } from '../keypoints';

/** A hand followed from frame to frame on video. */
export class Track {
  /** The crop to use on the next frame (from this frame's unfiltered keypoints). */
  roi: RotatedRect;
  private readonly filter2d: OneEuroVectorFilter;
  private readonly filter3d: OneEuroVectorFilter;

  constructor(
    readonly id: number,
    roi: RotatedRect,
    filter: FilterConfig,
  ) {
    this.roi = roi;
    this.filter2d = new OneEuroVectorFilter(NUM_KEYPOINTS * 2, filter);
    this.filter3d = new OneEuroVectorFilter(NUM_KEYPOINTS * 3, filter);
  }

  /**
   * Smooths keypoints in place. Speeds are measured in hand sizes per second (scale-invariant):
   * `size2d` in pixels, `size3d` in metres.
   */
  smooth(xy: Float64Array, xyz: Float64Array, timeSec: number, size2d: number, size3d: number): void {
    this.filter2d.apply(xy, timeSec, size2d > 0 ? 1 / size2d : 1);
    this.filter3d.apply(xyz, timeSec, size3d > 0 ? 1 / size3d : 1);
  }
}
