import { describe, expect, it } from 'vitest';
import { NUM_KEYPOINTS, SKELETON } from '../../src/core/keypoints';
import { boneLengths, pofTo3d, TREE } from '../../src/core/multitask/pofTo3d';

// A POF painted from a known 3D hand (as training/handsynth/labels.py paints it, weak perspective)
// must give that hand back from its bone lengths.
function handSkeleton(): number[] {
  const xyz: number[] = new Array(NUM_KEYPOINTS * 3).fill(0);
  // a plausible, non-planar hand (metres, crop-aligned axes: x right, y down, z away)
  const pts = [
    [0, 0, 0],
    [-0.03, -0.02, -0.01],
    [-0.05, -0.04, -0.015],
    [-0.065, -0.055, -0.02],
    [-0.075, -0.07, -0.02],
    [-0.025, -0.09, 0],
    [-0.028, -0.13, -0.01],
    [-0.03, -0.15, -0.02],
    [-0.031, -0.17, -0.03],
    [0, -0.095, 0.005],
    [0, -0.14, 0.0],
    [0.0, -0.165, -0.01],
    [0.0, -0.185, -0.02],
    [0.02, -0.09, 0.01],
    [0.025, -0.13, 0.03],
    [0.027, -0.15, 0.045],
    [0.028, -0.165, 0.055],
    [0.04, -0.08, 0.015],
    [0.05, -0.11, 0.02],
    [0.055, -0.125, 0.02],
    [0.06, -0.14, 0.02],
  ];
  pts.forEach((p, i) => p.forEach((v, k) => (xyz[3 * i + k] = v)));
  return xyz;
}

describe('POF -> 3D keypoints', () => {
  it('every keypoint except the wrist has a parent joined by a SKELETON bone', () => {
    expect(TREE[0]).toEqual({ parent: -1, bone: -1 });
    for (let c = 1; c < NUM_KEYPOINTS; c++) {
      const [a, b] = SKELETON[TREE[c].bone];
      expect([a, b].sort()).toEqual([TREE[c].parent, c].sort());
    }
  });

  it('recovers a 3D hand from a painted field and its bone lengths', () => {
    const xyz = handSkeleton();
    const size = 56;
    const crop = 224;
    // weak perspective: 2D = x, y scaled into the crop around its centre
    const f = 900;
    const kp2d = new Float64Array(NUM_KEYPOINTS * 2);
    for (let i = 0; i < NUM_KEYPOINTS; i++) {
      kp2d[2 * i] = 112 + f * xyz[3 * i];
      kp2d[2 * i + 1] = 180 + f * xyz[3 * i + 1];
    }
    // paint each bone's (ux, uy, z) over the whole map (bands are what training uses; the decoder
    // only reads along the segment)
    const pof = new Float32Array(size * size * 63);
    SKELETON.forEach(([a, b], bone) => {
      const d = [0, 1, 2].map((k) => xyz[3 * b + k] - xyz[3 * a + k]);
      const n = Math.hypot(...d);
      const n2 = Math.hypot(d[0], d[1]);
      for (let p = 0; p < size * size; p++) {
        pof[p * 63 + 3 * bone] = d[0] / n2;
        pof[p * 63 + 3 * bone + 1] = d[1] / n2;
        pof[p * 63 + 3 * bone + 2] = d[2] / n;
      }
    });
    const out = pofTo3d(pof, size, kp2d, boneLengths(xyz), crop);
    for (let i = 0; i < NUM_KEYPOINTS * 3; i++) expect(out[i]).toBeCloseTo(xyz[i], 6);
  });
});
