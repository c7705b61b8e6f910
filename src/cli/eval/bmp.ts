/**
 * A minimal BMP reader for ground-truth masks (sharp/libvips has no BMP loader): uncompressed
 * BI_RGB files with a BITMAPINFOHEADER or later, 1/4/8-bit palette or 24/32-bit colour, bottom-up
 * or top-down rows. Returns per-pixel grey (0..255) and, for palette images, the palette index.
 */

export interface BmpImage {
  width: number;
  height: number;
  bitsPerPixel: number;
  /** Row-major, top row first. */
  grey: Uint8Array;
  /** Palette index per pixel (palette images only). */
  indices?: Uint8Array;
  palette?: [number, number, number][];
}

export function decodeBmp(buf: Uint8Array): BmpImage {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 54 || buf[0] !== 0x42 || buf[1] !== 0x4d) throw new Error('not a BMP file (no "BM" header)');
  const dataOffset = dv.getUint32(10, true);
  const headerSize = dv.getUint32(14, true);
  if (headerSize < 40) throw new Error(`unsupported BMP header (${headerSize} bytes; OS/2 bitmaps are not supported)`);
  const width = dv.getInt32(18, true);
  const rawHeight = dv.getInt32(22, true);
  const bpp = dv.getUint16(28, true);
  const compression = dv.getUint32(30, true);
  const coloursUsed = dv.getUint32(46, true);
  if (compression !== 0) throw new Error(`unsupported BMP compression ${compression} (only uncompressed BI_RGB)`);
  if (![1, 4, 8, 24, 32].includes(bpp)) throw new Error(`unsupported BMP depth ${bpp} bits`);
  const height = Math.abs(rawHeight);
  const topDown = rawHeight < 0;
  if (width <= 0 || height === 0) throw new Error(`bad BMP size ${width}x${rawHeight}`);
  const stride = Math.ceil((bpp * width) / 32) * 4;
  if (dataOffset + stride * height > buf.length) throw new Error(`BMP truncated: needs ${dataOffset + stride * height} bytes, has ${buf.length}`);
  let palette: [number, number, number][] | undefined;
  if (bpp <= 8) {
    const n = coloursUsed || 1 << bpp;
    palette = [];
    const at = 14 + headerSize;
    for (let i = 0; i < n; i++) palette.push([buf[at + 4 * i + 2], buf[at + 4 * i + 1], buf[at + 4 * i]]);
  }
  const grey = new Uint8Array(width * height);
  const indices = palette ? new Uint8Array(width * height) : undefined;
  const lum = (r: number, g: number, b: number) => Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  const paletteGrey = palette?.map(([r, g, b]) => lum(r, g, b));
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const o = y * width + x;
      if (palette) {
        let idx: number;
        if (bpp === 8) idx = buf[row + x];
        else if (bpp === 4) idx = (buf[row + (x >> 1)] >> (x & 1 ? 0 : 4)) & 0x0f;
        else idx = (buf[row + (x >> 3)] >> (7 - (x & 7))) & 1;
        indices![o] = idx;
        grey[o] = paletteGrey![idx] ?? 0;
      } else {
        const p = row + x * (bpp >> 3);
        grey[o] = lum(buf[p + 2], buf[p + 1], buf[p]);
      }
    }
  }
  return { width, height, bitsPerPixel: bpp, grey, indices, palette };
}
