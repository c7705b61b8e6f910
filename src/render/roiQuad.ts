import { BufferAttribute, BufferGeometry, DoubleSide, Mesh, ShaderMaterial, type ShaderMaterialParameters } from 'three';
import type { RotatedRect } from '../core/geometry/rect';
import { OVER_PICTURE_BLENDING } from './overPictureBlending';

/**
 * A quad on a hand's ROI (the rotated square the landmark network and the heads saw), in image
 * pixels, with uv (0, 0) at the crop's top-left corner and (1, 1) at its bottom-right: a
 * size x size map of the crop uploaded row 0 first (flipY false) then lands on the very pixels it
 * describes. Texel i's centre, uv (i + 0.5) / size, is crop area coordinate i + 0.5 (the convention
 * of core's cropTransform: the crop [0, size) covers the ROI), so the GPU's bilinear sampling with
 * clamp-to-edge is core's maskToImage resampling.
 */
export class RoiQuad<M extends ShaderMaterial = ShaderMaterial> {
  readonly mesh: Mesh<BufferGeometry, M>;
  private readonly positions = new Float32Array(12);
  private readonly positionAttr = new BufferAttribute(this.positions, 3);

  constructor(material: M, renderOrder: number) {
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', this.positionAttr);
    // corners in rectCorners' order: top-left, top-right, bottom-right, bottom-left of the ROI's frame
    geometry.setAttribute('uv', new BufferAttribute(new Float32Array([0, 0, 1, 0, 1, 1, 0, 1]), 2));
    geometry.setIndex([0, 1, 2, 0, 2, 3]);
    this.mesh = new Mesh(geometry, material);
    this.mesh.renderOrder = renderOrder;
    this.mesh.frustumCulled = false;
    this.mesh.visible = false;
  }

  /** Puts the quad on `roi`; the corners are core's rectCorners, computed in place (no allocation per frame). */
  place(roi: RotatedRect): void {
    const c = Math.cos(roi.rotation);
    const s = Math.sin(roi.rotation);
    const hw = roi.width / 2;
    const hh = roi.height / 2;
    const p = this.positions;
    // corner = centre + (ax c - ay s, ax s + ay c) for (ax, ay) = (-hw, -hh), (hw, -hh), (hw, hh), (-hw, hh)
    for (let k = 0; k < 4; k++) {
      const ax = k === 0 || k === 3 ? -hw : hw;
      const ay = k < 2 ? -hh : hh;
      p[3 * k] = roi.cx + ax * c - ay * s;
      p[3 * k + 1] = roi.cy + ax * s + ay * c;
      p[3 * k + 2] = 0;
    }
    this.positionAttr.needsUpdate = true;
  }

  dispose(): void {
    this.mesh.geometry.dispose();
    this.mesh.material.dispose();
  }
}

export const ROI_QUAD_VERTEX_SHADER = /* glsl */ `
  varying vec2 vUv;
  void main() {
    vUv = uv;
    gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
  }`;

/**
 * A material for a quad drawn over the picture: blended over it in the opaque queue
 * (OVER_PICTURE_BLENDING), so renderOrder puts it between the picture and the line / point layers
 * (as the mesh overlay does), both faces (the mirrored camera flips the winding), no depth.
 */
export function createOverlayQuadMaterial(params: Pick<ShaderMaterialParameters, 'uniforms' | 'fragmentShader'>): ShaderMaterial {
  return new ShaderMaterial({
    ...params,
    vertexShader: ROI_QUAD_VERTEX_SHADER,
    side: DoubleSide,
    depthTest: false,
    depthWrite: false,
    ...OVER_PICTURE_BLENDING,
  });
}
