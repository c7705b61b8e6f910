import { describe, expect, it } from 'vitest';
import { meshSilhouette } from '../../src/core/handModel/silhouette';

// A camera with f = 100 px, centre (50, 50): a square of side 0.2 m at 1 m projects to a 20 x 20
// px square around the centre: exactly 400 pixel centres inside.
const cam = { fx: 100, fy: 100, cx: 50, cy: 50, width: 100, height: 100 };

describe('meshSilhouette', () => {
  it('fills the pixel centres inside projected triangles, for either winding', () => {
    const v = new Float32Array([-0.1, -0.1, 1, 0.1, -0.1, 1, 0.1, 0.1, 1, -0.1, 0.1, 1]);
    for (const tris of [
      [0, 1, 2, 0, 2, 3],
      [0, 2, 1, 0, 3, 2],
    ]) {
      const m = meshSilhouette(cam, v, tris, 100, 100);
      expect(m.reduce((a, b) => a + b, 0)).toBe(400);
      expect(m[50 * 100 + 50]).toBe(1);
      expect(m[39 * 100 + 50]).toBe(0);
      expect(m[40 * 100 + 40]).toBe(1);
    }
  });

  it('drops triangles behind the camera and clips to the image', () => {
    const behind = new Float32Array([-0.1, -0.1, -1, 0.1, -0.1, -1, 0.1, 0.1, -1]);
    expect(meshSilhouette(cam, behind, [0, 1, 2], 100, 100).reduce((a, b) => a + b, 0)).toBe(0);
    const huge = new Float32Array([-10, -10, 1, 10, -10, 1, 10, 10, 1, -10, 10, 1]);
    expect(meshSilhouette(cam, huge, [0, 1, 2, 0, 2, 3], 100, 100).reduce((a, b) => a + b, 0)).toBe(10000);
  });
});
