import { NUM_KEYPOINTS, SKELETON } from '../keypoints';

/**
 * 3D keypoints from Part Orientation Fields (HIU-DMTL): for every bone the heads paint, on a band
 * around the bone in the crop, the 2D unit direction (ux, uy) and the z of the 3D unit vector; so
 * the 3D direction is (ux, uy) * sqrt(1 - z^2) / |(ux, uy)| and z. Chaining the directions from the
 * wrist with bone lengths gives root-relative 3D joints, in the crop-aligned camera axes.
 */

/** Parent of each keypoint in the kinematic tree, and the SKELETON bone that joins them. */
export const TREE: ReadonlyArray<{ parent: number; bone: number }> = (() => {
  const parentOf = [-1, 0, 1, 2, 3, 0, 5, 6, 7, 5, 9, 10, 11, 9, 13, 14, 15, 0, 17, 18, 19];
  return parentOf.map((parent, child) => ({
    parent,
    bone: parent < 0 ? -1 : SKELETON.findIndex(([a, b]) => (a === parent && b === child) || (a === child && b === parent)),
  }));
})();

/** Samples along each bone used to read its field (fractions of the 2D segment). */
const SAMPLES = [0.25, 0.4, 0.5, 0.6, 0.75];

/**
 * `pof`: HWC map (size x size x 63: bone-major (ux, uy, z)), `kp2d`: 21 keypoints in the map's
 * crop pixels (crop side `crop`), `lengths`: 21 bone lengths in metres indexed by CHILD keypoint
 * (length of parent -> child). Returns root-relative 3D keypoints [21 * 3], crop-aligned axes.
 */
export function pofTo3d(pof: ArrayLike<number>, size: number, kp2d: ArrayLike<number>, lengths: ArrayLike<number>, crop = 224): Float64Array {
  const out = new Float64Array(NUM_KEYPOINTS * 3);
  const s = size / crop;
  const dir = [0, 0, 0];
  for (let child = 1; child < NUM_KEYPOINTS; child++) {
    const { parent, bone } = TREE[child];
    const [a, b] = SKELETON[bone];
    // average the field along the 2D segment a -> b
    let ux = 0;
    let uy = 0;
    let uz = 0;
    for (const t of SAMPLES) {
      const x = (kp2d[2 * a] + t * (kp2d[2 * b] - kp2d[2 * a])) * s - 0.5;
      const y = (kp2d[2 * a + 1] + t * (kp2d[2 * b + 1] - kp2d[2 * a + 1])) * s - 0.5;
      const xi = Math.min(size - 1, Math.max(0, Math.round(x)));
      const yi = Math.min(size - 1, Math.max(0, Math.round(y)));
      const o = (yi * size + xi) * 63 + 3 * bone;
      ux += pof[o];
      uy += pof[o + 1];
      uz += pof[o + 2];
    }
    const z = Math.max(-1, Math.min(1, uz / SAMPLES.length));
    const n2 = Math.hypot(ux, uy);
    const xy = Math.sqrt(1 - z * z);
    dir[0] = n2 > 1e-9 ? (ux / n2) * xy : 0;
    dir[1] = n2 > 1e-9 ? (uy / n2) * xy : 0;
    dir[2] = n2 > 1e-9 ? z : Math.sign(z) || 1;
    // the field points a -> b; the tree walks parent -> child
    const sign = a === parent ? 1 : -1;
    for (let k = 0; k < 3; k++) out[3 * child + k] = out[3 * parent + k] + sign * lengths[child] * dir[k];
  }
  return out;
}

/** Bone lengths (indexed by child keypoint) of a 21 x 3 skeleton. */
export function boneLengths(xyz: ArrayLike<number>): Float64Array {
  const out = new Float64Array(NUM_KEYPOINTS);
  for (let child = 1; child < NUM_KEYPOINTS; child++) {
    const p = TREE[child].parent;
    out[child] = Math.hypot(xyz[3 * child] - xyz[3 * p], xyz[3 * child + 1] - xyz[3 * p + 1], xyz[3 * child + 2] - xyz[3 * p + 2]);
  }
  return out;
}
