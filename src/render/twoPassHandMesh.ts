import { Mesh, type Material, type Object3D } from 'three';
import { HandMeshGeometry } from './handMeshGeometry';
import type { MeshTopology } from './meshTopology';

/** The two passes' three.js renderOrder (depth first). */
export interface TwoPassOrder {
  depth: number;
  color: number;
}

/**
 * One hand's mesh drawn semi-transparent without its back showing through: two meshes over one
 * geometry, a depth-only pre-pass that writes the nearest surface, then the colour pass, whose
 * material blends only where it is that surface (depth test without depth write, a hair towards
 * the camera). Neither is frustum-culled (the vertices move every frame, the bounds are never
 * recomputed); both start hidden. The materials belong to the caller.
 */
export class TwoPassHandMesh<M extends Material = Material> {
  readonly mesh: HandMeshGeometry;
  readonly depthPass: Mesh<HandMeshGeometry['geometry'], Material>;
  readonly colorPass: Mesh<HandMeshGeometry['geometry'], M>;

  constructor(topology: MeshTopology, depthMaterial: Material, colorMaterial: M, order: TwoPassOrder) {
    this.mesh = new HandMeshGeometry(topology);
    this.depthPass = new Mesh(this.mesh.geometry, depthMaterial);
    this.colorPass = new Mesh(this.mesh.geometry, colorMaterial);
    this.depthPass.renderOrder = order.depth;
    this.colorPass.renderOrder = order.color;
    for (const m of [this.depthPass, this.colorPass]) {
      m.frustumCulled = false;
      m.visible = false;
    }
  }

  set visible(v: boolean) {
    this.depthPass.visible = v;
    this.colorPass.visible = v;
  }

  addTo(parent: Object3D): void {
    parent.add(this.depthPass, this.colorPass);
  }

  /** Takes both passes out of `parent` and frees the geometry. */
  removeFrom(parent: Object3D): void {
    parent.remove(this.depthPass, this.colorPass);
    this.mesh.dispose();
  }
}
