/**
 * What a file really is, from its first bytes rather than its name: a renamed PDF or text file is
 * named as such, a video called ".jpg" still plays, and an image's declared size is known before
 * the browser decodes a single pixel (a decompression bomb is refused by its header).
 */
export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'avif' | 'ico';
export type VideoFormat = 'mp4' | 'webm' | 'ogg';
export type OtherFormat = 'svg' | 'pdf' | 'tiff' | 'heic' | 'html' | 'zip' | 'text' | 'unknown';

export type Sniffed =
  | { kind: 'image'; format: ImageFormat /** Declared in the header (before EXIF orientation); absent when not found. */; width?: number; height?: number }
  | { kind: 'video'; format: VideoFormat }
  | { kind: 'other'; format: OtherFormat };

/** Bytes to read for `sniff`: JPEG's size sits after its EXIF block, which is at most 64 KB. */
export const SNIFF_BYTES = 128 * 1024;

/** How each format is called in messages. */
export const FORMAT_NAMES: Record<ImageFormat | VideoFormat | OtherFormat, string> = {
  jpeg: 'JPEG image',
  png: 'PNG image',
  gif: 'GIF image',
  webp: 'WebP image',
  bmp: 'BMP image',
  avif: 'AVIF image',
  ico: 'icon',
  mp4: 'MP4 video',
  webm: 'WebM video',
  ogg: 'Ogg file',
  svg: 'SVG drawing',
  pdf: 'PDF document',
  tiff: 'TIFF image',
  heic: 'HEIC image',
  html: 'web page',
  zip: 'ZIP archive',
  text: 'text file',
  unknown: 'file of unknown type',
};

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));
const u16be = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const u16le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u24le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
const u32be = (b: Uint8Array, at: number) => ((b[at] << 24) >>> 0) + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
const i32le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);

export function sniff(b: Uint8Array): Sniffed {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { kind: 'image', format: 'jpeg', ...jpegSize(b) };
  if (b.length >= 24 && u32be(b, 0) === 0x89504e47 && u32be(b, 4) === 0x0d0a1a0a)
    return { kind: 'image', format: 'png', width: u32be(b, 16), height: u32be(b, 20) };
  if (b.length >= 10 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a'))
    return { kind: 'image', format: 'gif', width: u16le(b, 6), height: u16le(b, 8) };
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return { kind: 'image', format: 'webp', ...webpSize(b) };
  if (b.length >= 26 && ascii(b, 0, 2) === 'BM') return { kind: 'image', format: 'bmp', width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)) };
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4);
    if (brand === 'avif' || brand === 'avis') return { kind: 'image', format: 'avif' };
    if (/^(heic|heix|heim|heis|hevc|hevx|mif1|msf1)$/.test(brand)) return { kind: 'other', format: 'heic' };
    return { kind: 'video', format: 'mp4' };
  }
  if (b.length >= 4 && u32be(b, 0) === 0x1a45dfa3) return { kind: 'video', format: 'webm' };
  if (b.length >= 4 && ascii(b, 0, 4) === 'OggS') return { kind: 'video', format: 'ogg' };
  if (b.length >= 4 && u32be(b, 0) === 0x00000100) return { kind: 'image', format: 'ico' };
  if (b.length >= 4 && (ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*')) return { kind: 'other', format: 'tiff' };
  if (b.length >= 5 && ascii(b, 0, 5) === '%PDF-') return { kind: 'other', format: 'pdf' };
  if (b.length >= 4 && ascii(b, 0, 4) === 'PK\x03\x04') return { kind: 'other', format: 'zip' };
  const text = asText(b);
  if (text !== null) {
    const start = text
      .replace(/^\uFEFF/, '')
      .trimStart()
      .slice(0, 4096)
      .toLowerCase();
    if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!doctype svg[^>]*>\s*)?<svg[\s>]/.test(start) || (start.startsWith('<?xml') && start.includes('<svg')))
      return { kind: 'other', format: 'svg' };
    if (start.startsWith('<!doctype html') || start.startsWith('<html')) return { kind: 'other', format: 'html' };
    return { kind: 'other', format: 'text' };
  }
  return { kind: 'other', format: 'unknown' };
}

/** The frame size from the first SOFn segment, or nothing when the header region does not reach it. */
function jpegSize(b: Uint8Array): { width?: number; height?: number } {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return {};
    const marker = b[at + 1];
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      at += 2; // no length
      continue;
    }
    // SOF0..SOF15, except DHT (C4), JPG (C8), DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { height: u16be(b, at + 5), width: u16be(b, at + 7) };
    if (marker === 0xda) return {}; // image data before any frame header: damaged
    at += 2 + u16be(b, at + 2);
  }
  return {};
}

function webpSize(b: Uint8Array): { width?: number; height?: number } {
  if (b.length < 30) return {};
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  return {};
}

/** The bytes as text when they look like text (UTF-8, no control characters but whitespace), else null. */
function asText(b: Uint8Array): string | null {
  if (b.length === 0) return null;
  const head = b.subarray(0, 4096);
  let text: string;
  try {
    // a multi-byte character cut at the end of the sample is not an error
    text = new TextDecoder('utf-8', { fatal: true }).decode(head.length < b.length ? trimPartialUtf8(head) : head);
  } catch {
    return null;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control bytes (a binary file named .txt) is the point
  return /[\0-\x08\x0e-\x1f\x7f]/.test(text) ? null : text;
}

function trimPartialUtf8(b: Uint8Array): Uint8Array {
  let end = b.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const c = b[end - i];
    if ((c & 0xc0) !== 0x80) {
      // a lead byte: drop it and its continuation bytes if the sequence is incomplete
      const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      if (need > i) end -= i;
      break;
    }
  }
  return b.subarray(0, end);
}
