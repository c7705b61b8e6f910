import { DataArrayTexture, LinearFilter, RedFormat, UnsignedByteType } from 'three';
import { NUM_KEYPOINTS } from '../core/keypoints';
import type { HandResult } from '../core/types';
import { createOverlayQuadMaterial } from './roiQuad';
import { RoiTexturePool, type RoiTextureSlot } from './roiTexturePool';
import { DRAW_ORDER } from './drawOrder';

/** The array texture's layers: one per keypoint, then their maximum ("all"). */
const LAYERS = NUM_KEYPOINTS + 1;
export const ALL_KEYPOINTS_LAYER: number = NUM_KEYPOINTS;
const DEFAULT_SIZE = 56;
const OPACITY = 0.9;
/** The heat fades out over this many texels at the crop's border. */
const EDGE_TEXELS = 1.5;

/**
 * The CLI's --heatmaps "hot" colour map (red-yellow-white, 3 t clamped per channel) with alpha
 * rising with the value (1.5 v). Over the live picture (the CLI darkens its photo instead) it starts
 * at dark red rather than black (t = 0.2 + 0.8 v), so weak values tint the picture instead of
 * greying it, and values under ~4 % (the faint haze a heat map has all over its crop) fade out entirely, as
 * does the last texel and a half at the crop's border (no hard edge where the haze meets it).
 * Display values (no colour-space conversion), like the CLI's.
 */
const FRAGMENT_SHADER = /* glsl */ `
  uniform sampler2DArray maps;
  uniform float layer;
  uniform float opacity;
  uniform float edge;
  varying vec2 vUv;
  void main() {
    float v = texture(maps, vec3(vUv, layer)).r;
    vec2 border = min(vUv, 1.0 - vUv);
    float a = opacity * clamp(1.5 * v, 0.0, 1.0) * smoothstep(0.015, 0.04, v) * smoothstep(0.0, edge, min(border.x, border.y));
    if (a < 0.004) discard;
    float t = 0.2 + 0.8 * v;
    gl_FragColor = vec4(clamp(3.0 * t, 0.0, 1.0), clamp(3.0 * t - 1.0, 0.0, 1.0), clamp(3.0 * t - 2.0, 0.0, 1.0), a);
  }`;

/**
 * The heads' HWC maps (keypoint fastest) -> the texture's layers (one size x size image per
 * keypoint) and their per-pixel maximum in the last layer, in one pass over the data.
 */
function writeHeatLayers(data: Uint8Array, size: number, texture: DataArrayTexture): void {
  const n = size * size;
  const out = texture.image.data as Uint8Array;
  for (let i = 0, j = 0; i < n; i++) {
    let m = 0;
    for (let k = 0; k < NUM_KEYPOINTS; k++, j++) {
      const v = data[j];
      out[k * n + i] = v;
      if (v > m) m = v;
    }
    out[ALL_KEYPOINTS_LAYER * n + i] = m;
  }
  texture.needsUpdate = true;
}

/** The hand's heat maps into its slot (false: the hand has none). */
function writeHeatmaps(slot: RoiTextureSlot<DataArrayTexture>, hand: HandResult): boolean {
  const maps = hand.heatmaps;
  if (!maps || maps.data.length !== maps.size * maps.size * NUM_KEYPOINTS) return false;
  writeHeatLayers(maps.data, maps.size, slot.textureFor(maps.size));
  slot.material.uniforms.edge.value = EDGE_TEXELS / maps.size;
  return true;
}

function createHeatTexture(size: number): DataArrayTexture {
  const t = new DataArrayTexture(new Uint8Array(size * size * LAYERS), size, size, LAYERS);
  t.format = RedFormat;
  t.type = UnsignedByteType;
  t.minFilter = LinearFilter;
  t.magFilter = LinearFilter;
  t.generateMipmaps = false;
  t.flipY = false;
  t.unpackAlignment = 1;
  t.needsUpdate = true;
  return t;
}

/**
 * Each hand's heat maps (HandResult.heatmaps) as a colour overlay on its ROI: one keypoint's map or
 * the maximum over all 21. All 22 maps of a hand live in one 2D array texture (56 x 56 x 22, R8,
 * 69 KB), so choosing another keypoint only changes a uniform: nothing is recomputed or uploaded.
 */
export class HeatmapsLayer {
  /** Shared by every slot's material. */
  private readonly layer: { value: number } = { value: ALL_KEYPOINTS_LAYER };
  private readonly pool = new RoiTexturePool(
    {
      createTexture: createHeatTexture,
      initialSize: DEFAULT_SIZE,
      createMaterial: (texture) =>
        createOverlayQuadMaterial({
          uniforms: { maps: { value: texture }, layer: this.layer, opacity: { value: OPACITY }, edge: { value: EDGE_TEXELS / DEFAULT_SIZE } },
          fragmentShader: FRAGMENT_SHADER,
        }),
      mapUniform: 'maps',
      renderOrder: DRAW_ORDER.heatmaps,
    },
    writeHeatmaps,
  );
  readonly object = this.pool.object;

  /** A keypoint index (KEYPOINT_NAMES order), or ALL_KEYPOINTS_LAYER for the maximum over all of them. */
  setKeypoint(index: number): void {
    this.layer.value = index >= 0 && index < NUM_KEYPOINTS ? index : ALL_KEYPOINTS_LAYER;
  }

  get keypoint(): number {
    return this.layer.value;
  }

  update(hands: readonly HandResult[]): void {
    this.pool.update(hands);
  }
}
