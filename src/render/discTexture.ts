import { DataTexture, LinearFilter, RGBAFormat } from 'three';

/** A white disc with a soft edge, made in memory, so points draw round without fetching a sprite. */
export function createDiscTexture(size = 64): DataTexture {
  const data = new Uint8Array(size * size * 4);
  const r = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x + 0.5 - r, y + 0.5 - r);
      const a = Math.min(1, Math.max(0, r - d));
      const i = 4 * (y * size + x);
      data[i] = data[i + 1] = data[i + 2] = 255;
      data[i + 3] = Math.round(255 * a);
    }
  }
  const tex = new DataTexture(data, size, size, RGBAFormat);
  tex.magFilter = LinearFilter;
  tex.minFilter = LinearFilter;
  tex.needsUpdate = true;
  return tex;
}
