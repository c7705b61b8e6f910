import { describe, expect, it } from 'vitest';
import { decodeHandBoxes, nms } from '../../src/core/detect/boxDecoder';
import { roiFromBox } from '../../src/core/geometry/handRoi';
import { boxContainment } from '../../src/core/geometry/rect';

describe('box detector decoding', () => {
  it('scores a box by its best non-face class and scales normalised [ymin, xmin, ymax, xmax] to pixels', () => {
    const scores = new Float32Array([
      0.1,
      0.2,
      0.1,
      0.1,
      0.99,
      0.1,
      0.1, // a face: dropped
      0.1,
      0.8,
      0.1,
      0.1,
      0.1,
      0.1,
      0.1, // a fist
      0.1,
      0.1,
      0.1,
      0.1,
      0.1,
      0.1,
      0.2, // below threshold
    ]);
    const boxes = new Float32Array([0, 0, 0.5, 0.5, 0.25, 0.5, 0.75, 1, 0, 0, 1, 1]);
    const out = decodeHandBoxes(scores, boxes, 200, 100, 0.3, 0.2, 10);
    expect(out).toEqual([{ score: expect.closeTo(0.8, 6), box: { yMin: 25, xMin: 100, yMax: 75, xMax: 200 } }]);
  });

  it('NMS keeps the best of overlapping boxes', () => {
    const b = (score: number, x: number) => ({ score, box: { xMin: x, yMin: 0, xMax: x + 10, yMax: 10 } });
    expect(nms([b(0.5, 1), b(0.9, 0), b(0.7, 50)], 0.2, 10).map((k) => k.score)).toEqual([0.9, 0.7]);
  });

  it('roiFromBox: an upright square twice the longer side, centred', () => {
    expect(roiFromBox({ xMin: 10, yMin: 20, xMax: 30, yMax: 60 })).toEqual({ cx: 20, cy: 40, width: 80, height: 80, rotation: 0 });
  });

  it('boxContainment is 1 for a box inside another', () => {
    expect(boxContainment({ xMin: 0, yMin: 0, xMax: 100, yMax: 100 }, { xMin: 10, yMin: 10, xMax: 20, yMax: 20 })).toBe(1);
    expect(boxContainment({ xMin: 0, yMin: 0, xMax: 10, yMax: 10 }, { xMin: 5, yMin: 0, xMax: 25, yMax: 10 })).toBe(0.5);
  });
});
