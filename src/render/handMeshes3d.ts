import { DoubleSide, Group, Mesh, MeshBasicMaterial, MeshStandardMaterial, type Box3 } from 'three';
import type { HandResult } from '../core/types';
import { cameraToThree } from './cameraFrame';
import { HandMeshGeometry } from './handMeshGeometry';
import type { MeshTopology } from './meshTopology';
import { HAND_COLORS, MAX_HANDS } from './palette';

const OPACITY = 0.72;
/** The lit pass: blended, nearest surface only (a hair towards the camera so it passes against its own pre-pass depth). */
const PASS = { roughness: 0.55, metalness: 0, transparent: true, opacity: OPACITY, depthWrite: false, side: DoubleSide, polygonOffset: true, polygonOffsetFactor: -1, polygonOffsetUnits: -1 } as const;

/** One hand: geometry, a depth pre-pass (so only the nearest surface blends) and the lit pass. */
class Slot {
  readonly mesh: HandMeshGeometry;
  readonly depthPass: Mesh;
  readonly colorPass: Mesh;

  constructor(topology: MeshTopology, depthMaterial: MeshBasicMaterial, material: MeshStandardMaterial) {
    this.mesh = new HandMeshGeometry(topology);
    this.depthPass = new Mesh(this.mesh.geometry, depthMaterial);
    this.colorPass = new Mesh(this.mesh.geometry, material);
    this.depthPass.renderOrder = 1; // after the opaque keypoint spheres, which then show through
    this.colorPass.renderOrder = 2;
    for (const m of [this.depthPass, this.colorPass]) {
      m.frustumCulled = false;
      m.visible = false;
    }
  }

  set visible(v: boolean) {
    this.depthPass.visible = v;
    this.colorPass.visible = v;
  }
}

/**
 * The fitted hand meshes in metric 3D for the orbit view: camera-frame vertices turned into
 * three's y-up frame (cameraToThree), lit by the scene's lights, semi-transparent so the keypoint
 * spheres inside show. Buffers sized once per topology; no allocation per update.
 */
export class HandMeshes3d {
  readonly object = new Group();
  private slots: Slot[] = [];
  private visibleCount = 0;
  private readonly depthMaterial = new MeshBasicMaterial({ colorWrite: false });
  private readonly materials = {
    left: new MeshStandardMaterial({ color: HAND_COLORS.left, ...PASS }),
    right: new MeshStandardMaterial({ color: HAND_COLORS.right, ...PASS }),
  };

  setTopology(topology: MeshTopology): void {
    for (const s of this.slots) {
      this.object.remove(s.depthPass, s.colorPass);
      s.mesh.dispose();
    }
    this.slots = Array.from({ length: MAX_HANDS }, () => new Slot(topology, this.depthMaterial, this.materials.right));
    for (const s of this.slots) this.object.add(s.depthPass, s.colorPass);
  }

  /** Returns how many meshes are shown. */
  update(hands: readonly HandResult[]): number {
    let used = 0;
    for (let h = 0; h < hands.length && used < this.slots.length; h++) {
      const mesh = hands[h].mesh;
      const slot = this.slots[used];
      if (!mesh || mesh.vertices.length !== slot.mesh.positions.length) continue;
      cameraToThree(mesh.vertices, slot.mesh.positions);
      slot.mesh.positionsChanged();
      slot.mesh.setModel(mesh.handedness);
      slot.mesh.updateNormals();
      slot.colorPass.material = this.materials[hands[h].handedness];
      slot.visible = true;
      used++;
    }
    for (let s = used; s < this.slots.length; s++) this.slots[s].visible = false;
    this.visibleCount = used;
    return used;
  }

  /** Grows `box` (this group's local frame) by the meshes shown. */
  expandBox(box: Box3): void {
    for (let s = 0; s < this.visibleCount; s++) {
      const p = this.slots[s].mesh.positions;
      for (let i = 0; i < p.length; i += 3) {
        box.min.x = Math.min(box.min.x, p[i]);
        box.min.y = Math.min(box.min.y, p[i + 1]);
        box.min.z = Math.min(box.min.z, p[i + 2]);
        box.max.x = Math.max(box.max.x, p[i]);
        box.max.y = Math.max(box.max.y, p[i + 1]);
        box.max.z = Math.max(box.max.z, p[i + 2]);
      }
    }
  }
}
