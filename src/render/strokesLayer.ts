import { MAX_STROKE_POINTS, type Stroke } from '../core/gesture/airDrawing';
import { HAND_COLORS } from './palette';
import { SegmentsBuffer } from './segmentsBuffer';
import { DRAW_ORDER } from './drawOrder';

/** The air-drawing strokes (AirDrawing), thick lines in source-image pixels, coloured by hand. */
export class StrokesLayer {
  private readonly segments = new SegmentsBuffer(MAX_STROKE_POINTS, 5);
  readonly object = this.segments.object;

  constructor() {
    this.object.renderOrder = DRAW_ORDER.strokes;
  }

  update(strokes: readonly Stroke[]): void {
    this.segments.begin();
    for (const s of strokes) {
      const color = HAND_COLORS[s.handedness];
      const p = s.points;
      // a stroke of one point still shows, as a short dash
      if (p.length === 1) this.segments.push(p[0][0] - 1, p[0][1], p[0][0] + 1, p[0][1], color);
      for (let i = 1; i < p.length; i++) this.segments.push(p[i - 1][0], p[i - 1][1], p[i][0], p[i][1], color);
    }
    this.segments.end();
  }

  setResolution(width: number, height: number): void {
    this.segments.setResolution(width, height);
  }
}
