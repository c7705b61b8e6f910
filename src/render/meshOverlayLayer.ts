import { BufferAttribute, Group, type Object3D, type ShaderMaterial } from 'three';
import { cameraFromFov, projectPoints, type PinholeCamera } from '../core/handModel/camera';
import type { HandResult } from '../core/types';
import { createDepthPrepassMaterial, createMeshOverlayMaterial } from './meshOverlayMaterial';
import type { MeshTopology } from './meshTopology';
import { HAND_COLORS, MAX_HANDS } from './palette';
import { DRAW_ORDER } from './drawOrder';
import { TwoPassHandMesh } from './twoPassHandMesh';

/** How much of the picture shows through the mesh. */
const MESH_OPACITY = 0.62;

/**
 * Depth key of a camera-frame depth z (metres) for the overlay's orthographic camera, whose
 * visible depth range is [-10, 10] with larger = nearer: monotonic, inside (-1, 0) for any z > 0.
 */
const depthKey = (z: number) => -z / (1 + z);

/** One hand's slot: the two passes, and camera-frame positions for the shading. */
class Slot extends TwoPassHandMesh<ShaderMaterial> {
  readonly camPos: Float32Array;
  readonly camPosAttr: BufferAttribute;
  /** Index of the hand drawn in this slot (in the last update's hands). */
  hand = -1;

  constructor(topology: MeshTopology, depthMaterial: ShaderMaterial) {
    super(topology, depthMaterial, createMeshOverlayMaterial(MESH_OPACITY), { depth: DRAW_ORDER.meshDepth, color: DRAW_ORDER.meshColor });
    this.camPos = new Float32Array(topology.vertexCount * 3);
    this.camPosAttr = new BufferAttribute(this.camPos, 3);
    this.mesh.geometry.setAttribute('camPos', this.camPosAttr);
  }

  override removeFrom(parent: Object3D): void {
    super.removeFrom(parent);
    this.colorPass.material.dispose();
  }
}

/**
 * The fitted hand meshes over the picture, registered to its pixels: every vertex projected with
 * the pinhole camera the mesh was fitted with (core's cameraFromFov / projectPoints, for the
 * analysed frame's size), drawn in image pixels through the overlay's camera, so it mirrors with
 * the picture. Shaded by the camera-frame normals, semi-transparent, nearest surface only.
 */
export class MeshOverlayLayer {
  readonly object = new Group();
  private readonly depthMaterial = createDepthPrepassMaterial();
  private slots: Slot[] = [];
  private uv = new Float32Array(0);
  private camera: PinholeCamera | null = null;
  private cameraFov = 0;

  /** The mesh's triangles and vertex count (once, from the worker); sizes every buffer. */
  setTopology(topology: MeshTopology): void {
    for (const s of this.slots) s.removeFrom(this.object);
    this.slots = Array.from({ length: MAX_HANDS }, () => new Slot(topology, this.depthMaterial));
    for (const s of this.slots) s.addTo(this.object);
    this.uv = new Float32Array(topology.vertexCount * 2);
  }

  /** `width` x `height`: the analysed frame (the camera the meshes were placed with). */
  update(hands: readonly HandResult[], width: number, height: number): void {
    let used = 0;
    for (let h = 0; h < hands.length && used < this.slots.length; h++) {
      const mesh = hands[h].mesh;
      const slot = this.slots[used];
      if (!mesh || mesh.vertices.length !== slot.camPos.length) continue;
      const cam = this.cameraFor(width, height, mesh.fovDegrees);
      const v = mesh.vertices;
      projectPoints(cam, v, this.uv);
      const p = slot.mesh.positions;
      for (let i = 0, n = v.length / 3; i < n; i++) {
        p[3 * i] = this.uv[2 * i];
        p[3 * i + 1] = this.uv[2 * i + 1];
        p[3 * i + 2] = depthKey(v[3 * i + 2]);
      }
      slot.camPos.set(v);
      slot.camPosAttr.needsUpdate = true;
      slot.mesh.positionsChanged();
      slot.mesh.setModel(mesh.handedness);
      slot.mesh.updateNormals(v);
      slot.colorPass.material.uniforms.color.value.copy(HAND_COLORS[hands[h].handedness]);
      slot.hand = h;
      slot.visible = true;
      used++;
    }
    for (let s = used; s < this.slots.length; s++) {
      this.slots[s].visible = false;
      this.slots[s].hand = -1;
    }
  }

  /**
   * Image pixels [V * 2] where this layer last drew hand `handIndex`'s vertices (a copy), or null
   * when that hand had no mesh. For tests and debugging.
   */
  projectedVertices(handIndex: number): Float32Array | null {
    const slot = this.slots.find((s) => s.hand === handIndex);
    if (!slot) return null;
    const p = slot.mesh.positions;
    const out = new Float32Array((p.length / 3) * 2);
    for (let i = 0; i < out.length / 2; i++) {
      out[2 * i] = p[3 * i];
      out[2 * i + 1] = p[3 * i + 1];
    }
    return out;
  }

  /** The pinhole camera of the frame, made again only when the frame size or the field of view changes. */
  private cameraFor(width: number, height: number, fovDegrees: number): PinholeCamera {
    const c = this.camera;
    if (!c || c.width !== width || c.height !== height || this.cameraFov !== fovDegrees) {
      this.camera = cameraFromFov(width, height, fovDegrees);
      this.cameraFov = fovDegrees;
    }
    return this.camera!;
  }
}
