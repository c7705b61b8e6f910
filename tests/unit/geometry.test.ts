import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { cropToImage, imageToCrop, transformMatrix, type CropMapping } from '../../src/core/geometry/cropTransform';
import { roiChange, roiFromDetection, roiFromLandmarks } from '../../src/core/geometry/handRoi';
import { boxIoU, normalizeRadians, rectBounds, rectCorners, rotationFromPoints, transformRect } from '../../src/core/geometry/rect';
import type { PalmDetection } from '../../src/core/detect/palmDecoder';

const deg = (d: number) => (d * Math.PI) / 180;

describe('rect geometry', () => {
  it('normalizeRadians wraps into [-pi, pi)', () => {
    expect(normalizeRadians(0)).toBe(0);
    expect(normalizeRadians(3 * Math.PI)).toBeCloseTo(-Math.PI, 12);
    expect(normalizeRadians(-deg(270))).toBeCloseTo(deg(90), 12);
  });

  it('rotationFromPoints: a hand pointing up needs no rotation, right needs +90, down 180, left -90', () => {
    const wrist = { x: 100, y: 100 };
    expect(rotationFromPoints(wrist, { x: 100, y: 50 })).toBeCloseTo(0, 12);
    expect(rotationFromPoints(wrist, { x: 150, y: 100 })).toBeCloseTo(deg(90), 12);
    expect(Math.abs(rotationFromPoints(wrist, { x: 100, y: 150 }))).toBeCloseTo(Math.PI, 12);
    expect(rotationFromPoints(wrist, { x: 50, y: 100 })).toBeCloseTo(deg(-90), 12);
  });

  it('transformRect shifts along the rect own axes and squares with the long side', () => {
    // rotated 90 degrees: the rect's "up" (-y local) is +x in the image
    const r = transformRect({ cx: 0, cy: 0, width: 10, height: 20, rotation: deg(90) }, { scaleX: 2, scaleY: 2, shiftX: 0, shiftY: -0.5, squareLong: true });
    expect(r.cx).toBeCloseTo(10, 10);
    expect(r.cy).toBeCloseTo(0, 10);
    expect(r.width).toBe(40);
    expect(r.height).toBe(40);
  });

  it('corners and bounds of a rotated square', () => {
    const c = rectCorners({ cx: 0, cy: 0, width: 2, height: 2, rotation: deg(45) });
    const b = rectBounds({ cx: 0, cy: 0, width: 2, height: 2, rotation: deg(45) });
    expect(b.xMax).toBeCloseTo(Math.SQRT2, 10);
    expect(b.yMin).toBeCloseTo(-Math.SQRT2, 10);
    expect(c).toHaveLength(4);
  });

  it('boxIoU', () => {
    expect(boxIoU({ xMin: 0, yMin: 0, xMax: 2, yMax: 2 }, { xMin: 1, yMin: 0, xMax: 3, yMax: 2 })).toBeCloseTo(1 / 3, 12);
    expect(boxIoU({ xMin: 0, yMin: 0, xMax: 1, yMax: 1 }, { xMin: 2, yMin: 2, xMax: 3, yMax: 3 })).toBe(0);
  });
});

describe('crop mapping', () => {
  const m: CropMapping = { rect: { cx: 320, cy: 200, width: 150, height: 150, rotation: deg(30) }, outWidth: 224, outHeight: 224 };

  it('image -> crop -> image round trip', () => {
    for (const [u, v] of [
      [0, 0],
      [224, 0],
      [112, 112],
      [10, 200],
    ]) {
      const p = cropToImage(m, u, v);
      const q = imageToCrop(m, p.x, p.y);
      expect(q.x).toBeCloseTo(u, 9);
      expect(q.y).toBeCloseTo(v, 9);
    }
    const centre = cropToImage(m, 112, 112);
    expect(centre.x).toBeCloseTo(320, 9);
    expect(centre.y).toBeCloseTo(200, 9);
  });

  describe('tf.image.transform with transformMatrix samples where cropToImage says', () => {
    beforeAll(async () => {
      await tf.setBackend('cpu');
    });
    it('a bright dot lands at the predicted crop pixel (rotated, scaled crop)', () => {
      const H = 400;
      const W = 600;
      const dot = { x: 350.5, y: 230.5 }; // centre of pixel (350, 230)
      const data = new Float32Array(H * W * 3);
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) data.fill(255, ((230 + dy) * W + 350 + dx) * 3, ((230 + dy) * W + 350 + dx) * 3 + 3);
      const img = tf.tensor4d(data, [1, H, W, 3]);
      const crop = tf.image.transform(img, tf.tensor2d([transformMatrix(m)]), 'bilinear', 'constant', 0, [224, 224]);
      const v = crop.dataSync();
      // intensity-weighted centroid of the dot in the crop, in area coordinates (index + 0.5)
      let sw = 0;
      let su = 0;
      let sv = 0;
      for (let y = 0; y < 224; y++)
        for (let x = 0; x < 224; x++) {
          const w = v[(y * 224 + x) * 3];
          sw += w;
          su += w * (x + 0.5);
          sv += w * (y + 0.5);
        }
      const expected = imageToCrop(m, dot.x, dot.y);
      expect(sw).toBeGreaterThan(0);
      expect(Math.hypot(su / sw - expected.x, sv / sw - expected.y)).toBeLessThan(0.25);
      tf.dispose([img, crop]);
    });
  });
});

describe('hand ROIs (MediaPipe rules)', () => {
  it('from a palm detection: rotated by wrist -> middle base, shifted towards the fingers, 2.6x', () => {
    // palm pointing right: wrist at left, middle-finger base at right
    const d: PalmDetection = {
      score: 0.9,
      cx: 200,
      cy: 100,
      width: 40,
      height: 40,
      keypoints: [
        { x: 180, y: 100 },
        { x: 215, y: 90 },
        { x: 220, y: 100 },
        { x: 215, y: 110 },
        { x: 210, y: 120 },
        { x: 190, y: 80 },
        { x: 185, y: 85 },
      ],
    };
    const roi = roiFromDetection(d);
    expect(roi.rotation).toBeCloseTo(deg(90), 10);
    expect(roi.cx).toBeCloseTo(220, 10); // shifted half a palm (20 px) towards the fingers
    expect(roi.cy).toBeCloseTo(100, 10);
    expect(roi.width).toBeCloseTo(104, 10);
    expect(roi.height).toBeCloseTo(104, 10);
  });

  it('from landmarks: an upright hand gives rotation 0 and a square 2x the palm/finger-base extent', () => {
    // synthetic upright hand: wrist at (100, 200), MCPs on a row at y = 120
    const kp = Array.from({ length: 21 }, () => ({ x: 100, y: 150 }));
    kp[0] = { x: 100, y: 200 };
    [1, 2, 3].forEach((i, k) => (kp[i] = { x: 70 - 5 * k, y: 180 - 20 * k }));
    kp[5] = { x: 80, y: 120 };
    kp[9] = { x: 100, y: 120 };
    kp[13] = { x: 120, y: 120 };
    kp[17] = { x: 135, y: 125 };
    kp[6] = { x: 80, y: 100 };
    kp[10] = { x: 100, y: 95 };
    kp[14] = { x: 120, y: 100 };
    kp[18] = { x: 135, y: 110 };
    const roi = roiFromLandmarks(kp);
    expect(roi.rotation).toBeCloseTo(0, 10);
    // extent x 60..135 (75), y 95..200 (105) -> square 105 * 2; centre shifted up by 0.1 * 105
    expect(roi.width).toBeCloseTo(210, 10);
    expect(roi.cx).toBeCloseTo((60 + 135) / 2, 10);
    expect(roi.cy).toBeCloseTo((95 + 200) / 2 - 10.5, 10);
  });

  it('from landmarks is rotation-equivariant: rotating the hand rotates the ROI', () => {
    const kp = Array.from({ length: 21 }, (_, i) => ({ x: 100 + 13 * Math.sin(i), y: 100 - 4 * i }));
    const a = roiFromLandmarks(kp);
    const t = deg(70);
    const rot = kp.map((p) => ({
      x: 300 + (p.x - 100) * Math.cos(t) - (p.y - 100) * Math.sin(t),
      y: 300 + (p.x - 100) * Math.sin(t) + (p.y - 100) * Math.cos(t),
    }));
    const b = roiFromLandmarks(rot);
    expect(normalizeRadians(b.rotation - a.rotation)).toBeCloseTo(t, 9);
    expect(b.width).toBeCloseTo(a.width, 9);
    const ca = { x: a.cx - 100, y: a.cy - 100 };
    expect(b.cx).toBeCloseTo(300 + ca.x * Math.cos(t) - ca.y * Math.sin(t), 9);
    expect(b.cy).toBeCloseTo(300 + ca.x * Math.sin(t) + ca.y * Math.cos(t), 9);
  });
});

describe('roiChange (refinement stopping rule)', () => {
  const roi = { cx: 100, cy: 50, width: 40, height: 40, rotation: 0.3 };
  it('is 0 for the same crop, the shift over the side for a moved one, half the growth for a scaled one', () => {
    expect(roiChange(roi, roi)).toBe(0);
    expect(roiChange(roi, { ...roi, cx: 104 })).toBeCloseTo(0.1, 12);
    // every corner moves by (half-diagonal x 0.1): sqrt(2) * 20 * 0.1 / 40
    expect(roiChange(roi, { ...roi, width: 44, height: 44 })).toBeCloseTo((Math.SQRT2 * 20 * 0.1) / 40, 12);
  });

  it('counts a turn: corners move by 2 r sin(angle / 2)', () => {
    expect(roiChange(roi, { ...roi, rotation: roi.rotation + 0.1 })).toBeCloseTo((2 * Math.SQRT2 * 20 * Math.sin(0.05)) / 40, 12);
  });
});
