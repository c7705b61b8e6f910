import { BufferAttribute, BufferGeometry } from 'three';
import type { Handedness } from '../core/types';
import { computeVertexNormals } from './meshNormals';
import type { MeshTopology } from './meshTopology';

/**
 * One hand's mesh as a three.js geometry with buffers sized once for the topology: positions and
 * normals are rewritten in place each frame, the triangles only when the fitted model's
 * handedness changes (the left model's triangles are the right's with reversed winding).
 */
export class HandMeshGeometry {
  readonly geometry = new BufferGeometry();
  readonly positions: Float32Array;
  readonly normals: Float32Array;
  private readonly positionAttr: BufferAttribute;
  private readonly normalAttr: BufferAttribute;
  private readonly indexAttr: BufferAttribute;
  private model: Handedness | null = null;

  constructor(private readonly topology: MeshTopology) {
    const n = topology.vertexCount * 3;
    this.positions = new Float32Array(n);
    this.normals = new Float32Array(n);
    this.positionAttr = new BufferAttribute(this.positions, 3);
    this.normalAttr = new BufferAttribute(this.normals, 3);
    this.indexAttr = new BufferAttribute(new Uint16Array(topology.triangles.right.length), 1);
    this.geometry.setAttribute('position', this.positionAttr);
    this.geometry.setAttribute('normal', this.normalAttr);
    this.geometry.setIndex(this.indexAttr);
  }

  get triangles(): Uint16Array {
    return this.topology.triangles[this.model ?? 'right'];
  }

  /** Uses the triangles of the model fitted (HandMesh.handedness). */
  setModel(handedness: Handedness): void {
    if (handedness === this.model) return;
    this.model = handedness;
    (this.indexAttr.array as Uint16Array).set(this.topology.triangles[handedness]);
    this.indexAttr.needsUpdate = true;
  }

  /** Normals from `xyz` [V * 3] (the frame to shade in; the positions' own frame by default). */
  updateNormals(xyz: ArrayLike<number> = this.positions): void {
    computeVertexNormals(xyz, this.triangles, this.normals);
    this.normalAttr.needsUpdate = true;
  }

  /** The positions were written. */
  positionsChanged(): void {
    this.positionAttr.needsUpdate = true;
  }

  dispose(): void {
    this.geometry.dispose();
  }
}
