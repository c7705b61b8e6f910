import { Group, type Color } from 'three';
import type { RotatedRect } from '../core/geometry/rect';
import type { Box } from '../core/geometry/rect';
import type { HandResult } from '../core/types';
import { HAND_COLORS, MAX_HANDS, ROI_COLOR } from './palette';
import { SegmentsBuffer } from './segmentsBuffer';
import { DRAW_ORDER } from './drawOrder';

/** Per hand: the box around its keypoints (coloured by handedness) and the rotated ROI square. */
export class BoxesLayer {
  readonly object = new Group();
  private readonly boxes = new SegmentsBuffer(MAX_HANDS * 4, 2);
  private readonly rois = new SegmentsBuffer(MAX_HANDS * 4, 1.5, 0.6);

  constructor() {
    this.rois.object.renderOrder = DRAW_ORDER.boxes;
    this.boxes.object.renderOrder = DRAW_ORDER.boxes;
    this.object.add(this.rois.object, this.boxes.object);
  }

  update(hands: readonly HandResult[]): void {
    const n = Math.min(hands.length, MAX_HANDS);
    this.boxes.begin();
    this.rois.begin();
    for (let h = 0; h < n; h++) {
      pushBox(this.boxes, hands[h].box, HAND_COLORS[hands[h].handedness]);
      pushRotatedRect(this.rois, hands[h].roi, ROI_COLOR);
    }
    this.boxes.end();
    this.rois.end();
  }

  setResolution(width: number, height: number): void {
    this.boxes.setResolution(width, height);
    this.rois.setResolution(width, height);
  }
}

function pushBox(out: SegmentsBuffer, b: Box, color: Color): void {
  out.push(b.xMin, b.yMin, b.xMax, b.yMin, color);
  out.push(b.xMax, b.yMin, b.xMax, b.yMax, color);
  out.push(b.xMax, b.yMax, b.xMin, b.yMax, color);
  out.push(b.xMin, b.yMax, b.xMin, b.yMin, color);
}

/** Corners as in core's rectCorners, computed inline so no arrays are made per frame. */
function pushRotatedRect(out: SegmentsBuffer, r: RotatedRect, color: Color): void {
  const c = Math.cos(r.rotation);
  const s = Math.sin(r.rotation);
  const hw = r.width / 2;
  const hh = r.height / 2;
  // corner k = centre + (ax * c - ay * s, ax * s + ay * c) for (ax, ay) = (+-hw, +-hh)
  const x0 = r.cx - hw * c + hh * s,
    y0 = r.cy - hw * s - hh * c; // top-left
  const x1 = r.cx + hw * c + hh * s,
    y1 = r.cy + hw * s - hh * c; // top-right
  const x2 = r.cx + hw * c - hh * s,
    y2 = r.cy + hw * s + hh * c; // bottom-right
  const x3 = r.cx - hw * c - hh * s,
    y3 = r.cy - hw * s + hh * c; // bottom-left
  out.push(x0, y0, x1, y1, color);
  out.push(x1, y1, x2, y2, color);
  out.push(x2, y2, x3, y3, color);
  out.push(x3, y3, x0, y0, color);
}
