import { Color, DataTexture, LinearFilter, RedFormat, UnsignedByteType } from 'three';
import { DEFAULT_CONFIG } from '../core/config';
import type { HandResult } from '../core/types';
import { HAND_COLORS } from './palette';
import { createOverlayQuadMaterial } from './roiQuad';
import { RoiTexturePool, type RoiTextureSlot } from './roiTexturePool';
import { DRAW_ORDER } from './drawOrder';

/** How much of the hand colour covers the hand. */
const FILL_OPACITY = 0.42;
/** Outline width in screen pixels. */
const OUTLINE_PX = 1.6;
/** The mask's size by default (the refined mask's, config heads.maskSize, else the heads' 56); another size reallocates a slot's texture once. */
const DEFAULT_SIZE = DEFAULT_CONFIG.heads.maskSize || 56;

/**
 * The mask's probability (bilinear between the texels: the image-guided refined mask, 224 x 224 by
 * default, or the heads' 56 x 56 grid with the refinement off) thresholded at 0.5 with a one-pixel
 * soft edge, plus an outline along the 0.5 contour: the distance to the contour in screen pixels is
 * (p - 0.5) / |grad p| (fwidth), so edge and outline stay 1-2 px wide at any zoom.
 */
const FRAGMENT_SHADER = /* glsl */ `
  uniform sampler2D map;
  uniform vec3 color;
  uniform float fillOpacity;
  uniform float outlinePx;
  varying vec2 vUv;
  void main() {
    float p = texture2D(map, vUv).r;
    float d = (p - 0.5) / max(fwidth(p), 1e-4);
    float inside = clamp(d + 0.5, 0.0, 1.0);
    float line = 1.0 - smoothstep(0.5 * outlinePx - 0.5, 0.5 * outlinePx + 0.5, abs(d));
    float a = max(inside * fillOpacity, line * 0.95);
    if (a < 0.004) discard;
    vec3 outline = mix(color, vec3(1.0), 0.45);
    gl_FragColor = vec4(mix(color, outline, line), a);
    #include <colorspace_fragment>
  }`;

/** The hand's mask into its slot, tinted by the hand's label (false: the hand has none). */
function writeMask(slot: RoiTextureSlot<DataTexture>, hand: HandResult): boolean {
  const mask = hand.mask;
  if (!mask || mask.data.length !== mask.size * mask.size) return false;
  const texture = slot.textureFor(mask.size);
  (texture.image.data as Uint8Array).set(mask.data);
  texture.needsUpdate = true;
  (slot.material.uniforms.color.value as Color).copy(HAND_COLORS[hand.handedness]);
  return true;
}

function createMaskTexture(size: number): DataTexture {
  const t = new DataTexture(new Uint8Array(size * size), size, size, RedFormat, UnsignedByteType);
  t.minFilter = LinearFilter;
  t.magFilter = LinearFilter;
  t.generateMipmaps = false;
  t.flipY = false;
  t.needsUpdate = true;
  return t;
}

/**
 * Each hand's mask (HandResult.mask, from the multi-task heads) as a tinted, semi-transparent
 * overlay with an outline, coloured by handedness: a quad on the hand's ROI textured with the
 * mask's map, so it is registered to the picture's pixels and mirrors with it. Textures and
 * materials for MAX_HANDS are made once; each frame only their data is rewritten.
 */
export class MaskLayer {
  private readonly pool = new RoiTexturePool(
    {
      createTexture: createMaskTexture,
      initialSize: DEFAULT_SIZE,
      createMaterial: (texture) =>
        createOverlayQuadMaterial({
          uniforms: { map: { value: texture }, color: { value: new Color() }, fillOpacity: { value: FILL_OPACITY }, outlinePx: { value: OUTLINE_PX } },
          fragmentShader: FRAGMENT_SHADER,
        }),
      mapUniform: 'map',
      renderOrder: DRAW_ORDER.mask,
    },
    writeMask,
  );
  readonly object = this.pool.object;

  update(hands: readonly HandResult[]): void {
    this.pool.update(hands);
  }
}
