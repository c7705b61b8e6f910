import { DoubleSide, Group, MeshBasicMaterial, MeshStandardMaterial, type Box3 } from 'three';
import type { HandResult } from '../core/types';
import { cameraToThree } from './cameraFrame';
import type { MeshTopology } from './meshTopology';
import { HAND_COLORS, MAX_HANDS } from './palette';
import { TwoPassHandMesh } from './twoPassHandMesh';

const OPACITY = 0.72;
/** The lit (colour) pass: blended, nearest surface only (a hair towards the camera so it passes against its own pre-pass depth). */
const PASS = {
  roughness: 0.55,
  metalness: 0,
  transparent: true,
  opacity: OPACITY,
  depthWrite: false,
  side: DoubleSide,
  polygonOffset: true,
  polygonOffsetFactor: -1,
  polygonOffsetUnits: -1,
} as const;

/** The passes' order in the 3D view: after the opaque keypoint spheres, which then show through. */
const ORDER = { depth: 1, color: 2 } as const;

/**
 * The fitted hand meshes in metric 3D for the orbit view: camera-frame vertices turned into
 * three's y-up frame (cameraToThree), lit by the scene's lights, semi-transparent so the keypoint
 * spheres inside show. Buffers sized once per topology; no allocation per update.
 */
export class HandMeshes3d {
  readonly object = new Group();
  private slots: TwoPassHandMesh<MeshStandardMaterial>[] = [];
  private visibleCount = 0;
  private readonly depthMaterial = new MeshBasicMaterial({ colorWrite: false });
  private readonly materials = {
    left: new MeshStandardMaterial({ color: HAND_COLORS.left, ...PASS }),
    right: new MeshStandardMaterial({ color: HAND_COLORS.right, ...PASS }),
  };

  setTopology(topology: MeshTopology): void {
    for (const s of this.slots) s.removeFrom(this.object);
    this.slots = Array.from({ length: MAX_HANDS }, () => new TwoPassHandMesh(topology, this.depthMaterial, this.materials.right, ORDER));
    for (const s of this.slots) s.addTo(this.object);
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
