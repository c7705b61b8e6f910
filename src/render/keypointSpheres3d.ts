import { DynamicDrawUsage, InstancedMesh, Matrix4, MeshStandardMaterial, SphereGeometry } from 'three';
import { FINGER_OF_KEYPOINT, NUM_KEYPOINTS } from '../core/keypoints';
import type { HandResult } from '../core/types';
import { FINGER_COLORS, MAX_HANDS } from './palette';

const RADIUS_M = 0.0045;
const scratch = new Matrix4();

/**
 * The 21 keypoints of every meshed hand as small spheres in the orbit view, coloured per finger:
 * the network's root-relative 3D keypoints placed at the fitted wrist (mesh.params.translation),
 * in three's y-up frame. One instanced draw; matrices rewritten in place.
 */
export class KeypointSpheres3d {
  readonly object: InstancedMesh;

  constructor() {
    this.object = new InstancedMesh(new SphereGeometry(RADIUS_M, 14, 10), new MeshStandardMaterial({ roughness: 0.35, metalness: 0 }), MAX_HANDS * NUM_KEYPOINTS);
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
      const [tx, ty, tz] = mesh.params.translation;
      const kps = hands[h].keypoints3d;
      for (let i = 0; i < NUM_KEYPOINTS; i++) {
        scratch.makeTranslation(tx + kps[i].x, -(ty + kps[i].y), -(tz + kps[i].z));
        this.object.setMatrixAt(n + i, scratch);
      }
      n += NUM_KEYPOINTS;
    }
    this.object.count = n;
    this.object.instanceMatrix.needsUpdate = true;
  }
}
