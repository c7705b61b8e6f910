import { Group, type DataArrayTexture, type DataTexture, type ShaderMaterial } from 'three';
import type { HandResult } from '../core/types';
import { MAX_HANDS } from './palette';
import { RoiQuad } from './roiQuad';

/** How a RoiTexturePool's slots are made. */
export interface RoiTextureSlotConfig<T extends DataTexture | DataArrayTexture> {
  /** A texture for size x size maps of the crop, with its own data buffer. */
  createTexture(size: number): T;
  /** The size the slots' first textures are made for. */
  initialSize: number;
  /** One slot's material, sampling `texture` through its uniform `mapUniform`. */
  createMaterial(texture: T): ShaderMaterial;
  mapUniform: string;
  renderOrder: number;
}

/** One hand's quad on its ROI, its material and the texture of its map. */
export class RoiTextureSlot<T extends DataTexture | DataArrayTexture> {
  private tex: T;
  readonly material: ShaderMaterial;
  readonly quad: RoiQuad;

  constructor(private readonly config: RoiTextureSlotConfig<T>) {
    this.tex = config.createTexture(config.initialSize);
    this.material = config.createMaterial(this.tex);
    this.quad = new RoiQuad(this.material, config.renderOrder);
  }

  /**
   * The texture to write a size x size map into (then set its `needsUpdate`): the same one while
   * the size stays, a new one (given to the material) only when it changes.
   */
  textureFor(size: number): T {
    if (this.tex.image.width !== size) {
      this.tex.dispose();
      this.tex = this.config.createTexture(size);
      this.material.uniforms[this.config.mapUniform].value = this.tex;
    }
    return this.tex;
  }
}

/**
 * Fixed capacity (MAX_HANDS) of ROI quads, each with its own data texture and material, made once:
 * the dense layers (mask, heat maps) draw each hand's crop-sized map on the hand's ROI, and each
 * frame only rewrite the maps.
 */
export class RoiTexturePool<T extends DataTexture | DataArrayTexture> {
  readonly object = new Group();
  private readonly slots: RoiTextureSlot<T>[] = [];

  /** `write(slot, hand)` puts the hand's map into the slot (false: the hand has none, skip it). */
  constructor(
    config: RoiTextureSlotConfig<T>,
    private readonly write: (slot: RoiTextureSlot<T>, hand: HandResult) => boolean,
  ) {
    for (let i = 0; i < MAX_HANDS; i++) {
      const s = new RoiTextureSlot(config);
      this.slots.push(s);
      this.object.add(s.quad.mesh);
    }
  }

  /** Shows a slot on the ROI of every hand (up to MAX_HANDS) that `write` took, hides the rest. */
  update(hands: readonly HandResult[]): void {
    let used = 0;
    for (let h = 0; h < hands.length && used < this.slots.length; h++) {
      const slot = this.slots[used];
      if (!this.write(slot, hands[h])) continue;
      used++;
      slot.quad.place(hands[h].roi);
      slot.quad.mesh.visible = true;
    }
    for (let s = used; s < this.slots.length; s++) {
      this.slots[s].quad.mesh.visible = false;
    }
  }
}
