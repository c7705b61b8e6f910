import { DynamicDrawUsage, InstancedMesh, Matrix4, MeshStandardMaterial, SphereGeometry } from 'three';
import { FINGER_OF_KEYPOINT, NUM_KEYPOINTS } from '../core/keypoints';
import type { HandResult } from '../core/types';
import { FINGER_COLORS, MAX_HANDS } from './palette';

const RADIUS_M = 0.0045;
const scratch = new Matrix4();

/**
 * The 21 keypoints of every meshed hand as small spheres in the orbit view, coloured per finger:
 * the fitted mesh's own keypoints (camera frame), so they sit on the mesh (how far the network's
 * 3D keypoints are from them is the HUD's fit residual), in three's y-up frame. One instanced draw;
 * matrices rewritten in place.
 */
export class KeypointSpheres3d {
  readonly object: InstancedMesh;

  constructor() {
    this.object = new InstancedMesh(
      new SphereGeometry(RADIUS_M, 14, 10),
      new MeshStandardMaterial({ roughness: 0.35, metalness: 0 }),
      MAX_HANDS * NUM_KEYPOINTS,
    );
    this.object.instanceMatrix.setUsage(DynamicDrawUsage);
    for (let i = 0; i < MAX_HANDS * NUM_KEYPOINTS; i++) this.object.setColorAt(i, FINGER_COLORS[FINGER_OF_KEYPOINT[i % NUM_KEYPOINTS]]);
    this.object.count = 0;
    this.object.frustumCulled = false;
  }

  update(hands: readonly HandResult[]): void {
    let n = 0;
    for (let h = 0; h < hands.length && n < MAX_HANDS * NUM_KEYPOINTS; h++) {
      const mesh = hands[h].mesh;
      if (!mesh) continue;
      const kp = mesh.keypoints;
      for (let i = 0; i < NUM_KEYPOINTS; i++) {
        scratch.makeTranslation(kp[3 * i], -kp[3 * i + 1], -kp[3 * i + 2]);
        this.object.setMatrixAt(n + i, scratch);
      }
      n += NUM_KEYPOINTS;
    }
    this.object.count = n;
    this.object.instanceMatrix.needsUpdate = true;
  }
}
