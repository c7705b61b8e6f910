import { DataTexture, ShaderMaterial, type Mesh } from 'three';
import { describe, expect, it } from 'vitest';
import type { HandResult } from '../../src/core/types';
import { MAX_HANDS } from '../../src/render/palette';
import { RoiTexturePool, type RoiTextureSlot } from '../../src/render/roiTexturePool';

/** A hand with a size x size map of `value` (or none). */
const hand = (cx: number, size?: number, value = 1) =>
  ({ roi: { cx, cy: 10, width: 8, height: 8, rotation: 0 }, mask: size ? { size, data: new Uint8Array(size * size).fill(value) } : undefined }) as HandResult;

function pool() {
  const made: number[] = [];
  const p = new RoiTexturePool(
    {
      createTexture: (size) => {
        made.push(size);
        return new DataTexture(new Uint8Array(size * size), size, size);
      },
      initialSize: 4,
      createMaterial: (texture) => new ShaderMaterial({ uniforms: { map: { value: texture } } }),
      mapUniform: 'map',
      renderOrder: 0.3,
    },
    (slot: RoiTextureSlot<DataTexture>, h: HandResult) => {
      if (!h.mask) return false;
      (slot.textureFor(h.mask.size).image.data as Uint8Array).set(h.mask.data);
      return true;
    },
  );
  const quads = () => p.object.children as Mesh[];
  return { p, made, quads };
}

describe('RoiTexturePool', () => {
  it('has MAX_HANDS hidden quads, made once', () => {
    const { p, made, quads } = pool();
    expect(quads()).toHaveLength(MAX_HANDS);
    expect(made).toEqual(Array(MAX_HANDS).fill(4));
    p.update([]);
    expect(quads().every((q) => !q.visible)).toBe(true);
  });

  it('shows one quad per hand with a map, on its ROI, and hides the rest', () => {
    const { p, quads } = pool();
    p.update([hand(20, 4), hand(40), hand(60, 4)]);
    expect(quads().map((q) => q.visible)).toEqual([true, true, ...Array(MAX_HANDS - 2).fill(false)]);
    const centreX = (i: number) => {
      const pos = quads()[i].geometry.attributes.position.array;
      return (pos[0] + pos[3] + pos[6] + pos[9]) / 4;
    };
    expect([centreX(0), centreX(1)]).toEqual([20, 60]);
    p.update([hand(20, 4)]);
    expect(quads().filter((q) => q.visible)).toHaveLength(1);
  });

  it('makes a texture again only when the map size changes, and gives it to the material', () => {
    const { p, made, quads } = pool();
    made.length = 0;
    p.update([hand(20, 4, 7)]);
    expect(made).toEqual([]);
    p.update([hand(20, 6, 9)]);
    expect(made).toEqual([6]);
    const material = quads()[0].material as ShaderMaterial;
    const tex = material.uniforms.map.value as DataTexture;
    expect(tex.image.width).toBe(6);
    expect(Array.from(tex.image.data as Uint8Array).every((v) => v === 9)).toBe(true);
    p.update([hand(20, 6, 3)]);
    expect(made).toEqual([6]);
    expect(material.uniforms.map.value).toBe(tex);
  });
});
