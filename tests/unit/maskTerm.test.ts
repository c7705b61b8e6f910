import { describe, expect, it } from 'vitest';
import { imageToCrop } from '../../src/core/geometry/cropTransform';
import { coveragePoints, maskDistance, maskTarget } from '../../src/core/handModel/maskTerm';

describe('silhouette term data', () => {
  it('chamfer distance: 0 on the mask, steps of 1 and sqrt 2 away from it, undefined when empty', () => {
    const size = 9;
    const m = new Uint8Array(size * size);
    m[4 * size + 4] = 255;
    const d = maskDistance(m, size)!;
    expect(d[4 * size + 4]).toBe(0);
    expect(d[4 * size + 7]).toBeCloseTo(3, 6);
    expect(d[7 * size + 7]).toBeCloseTo(3 * Math.SQRT2, 5);
    expect(d[0]).toBeCloseTo(4 * Math.SQRT2, 5);
    m[4 * size + 4] = 127; // below 50 %: not hand
    expect(maskDistance(m, size)).toBeUndefined();
  });

  it('coverage points: only hand cells, spread over the whole mask, at most the asked count', () => {
    const size = 20;
    const m = new Uint8Array(size * size);
    for (let y = 2; y < 18; y++) for (let x = 5; x < 10; x++) m[y * size + x] = 200; // 80 hand cells
    const p = coveragePoints(m, size, 16);
    expect(p.length).toBe(32);
    const ys: number[] = [];
    for (let k = 0; k < 16; k++) {
      expect(m[p[2 * k + 1] * size + p[2 * k]]).toBe(200);
      ys.push(p[2 * k + 1]);
    }
    expect(Math.min(...ys)).toBeLessThanOrEqual(3); // top and bottom rows of the mask are both reached
    expect(Math.max(...ys)).toBeGreaterThanOrEqual(16);
    m.fill(0);
    m[5] = 255;
    expect(coveragePoints(m, size, 16)).toEqual(new Float32Array([5, 0])); // fewer cells than asked: all of them
  });

  it("maps image pixels to the mask grid's index coordinates, also for a mirrored fit", () => {
    const roi = { cx: 300, cy: 200, width: 160, height: 160, rotation: 0.7 };
    const m = new Uint8Array(56 * 56).fill(255);
    const t = maskTarget(m, 56, roi)!;
    const g = (u: number, v: number, a = t.affine) => [a[0] * u + a[1] * v + a[2], a[3] * u + a[4] * v + a[5]];
    for (const [x, y] of [
      [300, 200],
      [350, 170],
      [260, 260],
    ]) {
      const want = imageToCrop({ rect: roi, outWidth: 56, outHeight: 56 }, x, y);
      const [gx, gy] = g(x, y);
      expect(gx).toBeCloseTo(want.x - 0.5, 9);
      expect(gy).toBeCloseTo(want.y - 0.5, 9);
      // mirrored about cx = 320: the fit's pixel u = 640 - x is the image's x
      const mt = maskTarget(m, 56, roi, 320)!;
      const [mx, my] = g(640 - x, y, mt.affine);
      expect(mx).toBeCloseTo(want.x - 0.5, 9);
      expect(my).toBeCloseTo(want.y - 0.5, 9);
    }
    expect(t.pixelsPerCell).toBeCloseTo(160 / 56, 9);
  });
});
