import { BufferAttribute, BufferGeometry, DoubleSide, Group, Points, PointsMaterial, type Texture } from 'three';
import { FINGER_OF_KEYPOINT, NUM_KEYPOINTS } from '../core/keypoints';
import type { HandResult } from '../core/types';
import { FINGER_COLORS, MAX_HANDS } from './palette';
import { DRAW_ORDER } from './drawOrder';

const CAPACITY = MAX_HANDS * NUM_KEYPOINTS;

/** The 21 keypoints of every hand as round dots, coloured per finger, with a dark rim. */
export class KeypointsLayer {
  readonly object = new Group();
  private readonly positions = new Float32Array(CAPACITY * 3);
  private readonly geometry = new BufferGeometry();
  private readonly positionAttr = new BufferAttribute(this.positions, 3);

  constructor(disc: Texture, sizePx = 8) {
    const colors = new Float32Array(CAPACITY * 3);
    for (let i = 0; i < CAPACITY; i++) FINGER_COLORS[FINGER_OF_KEYPOINT[i % NUM_KEYPOINTS]].toArray(colors, 3 * i);
    this.geometry.setAttribute('position', this.positionAttr);
    this.geometry.setAttribute('color', new BufferAttribute(colors, 3));
    this.geometry.setDrawRange(0, 0);
    const common = { map: disc, sizeAttenuation: false, transparent: true, depthTest: false, depthWrite: false, side: DoubleSide };
    const rim = new Points(this.geometry, new PointsMaterial({ ...common, size: sizePx + 4, color: 0x111111 }));
    const fill = new Points(this.geometry, new PointsMaterial({ ...common, size: sizePx, vertexColors: true }));
    rim.renderOrder = DRAW_ORDER.keypointRims;
    fill.renderOrder = DRAW_ORDER.keypointFills;
    for (const p of [rim, fill]) {
      p.frustumCulled = false;
      this.object.add(p);
    }
  }

  update(hands: readonly HandResult[]): void {
    const n = Math.min(hands.length, MAX_HANDS);
    for (let h = 0; h < n; h++) {
      const kps = hands[h].keypoints2d;
      for (let i = 0; i < NUM_KEYPOINTS; i++) {
        const o = 3 * (h * NUM_KEYPOINTS + i);
        this.positions[o] = kps[i].x;
        this.positions[o + 1] = kps[i].y;
        this.positions[o + 2] = 0;
      }
    }
    this.geometry.setDrawRange(0, n * NUM_KEYPOINTS);
    this.positionAttr.needsUpdate = true;
  }
}
