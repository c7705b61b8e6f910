/**
 * Image + mask pairs: `<name>.jpg|.jpeg|.png` with a same-name mask `<name>.bmp`, `<name>.png`
 * (image not PNG), `<name>_mask.png`, or `masks/<name>.png|.bmp`. HGR1 ships 1-bit BMPs in which
 * palette index 0 (black) is skin; PNG masks are read as white = hand. No keypoint ground truth.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { applyLimit } from './common';
import { decodeBmp } from './bmp';
import type { EvalDataset, EvalSample, LoadOptions } from './types';

export type MaskPolarity = 'auto' | 'dark' | 'light';

const IMAGE_RE = /\.(jpe?g|png|webp)$/i;

export function maskFor(dir: string, file: string): string | undefined {
  const base = file.replace(IMAGE_RE, '');
  const isPng = /\.png$/i.test(file);
  const candidates = [
    join(dir, `${base}.bmp`),
    ...(isPng ? [] : [join(dir, `${base}.png`)]),
    join(dir, `${base}_mask.png`),
    join(dir, 'masks', `${base}.png`),
    join(dir, 'masks', `${base}.bmp`),
  ];
  return candidates.find((c) => existsSync(c));
}

/** Image files in `dir` (or its pairs/ folder) that have a mask. */
export function maskPairs(dir: string): { image: string; mask: string }[] {
  const folder = !readdirSync(dir).some((f) => IMAGE_RE.test(f)) && existsSync(join(dir, 'pairs')) ? join(dir, 'pairs') : dir;
  const out: { image: string; mask: string }[] = [];
  for (const f of readdirSync(folder).sort()) {
    if (!IMAGE_RE.test(f) || /_mask\.png$/i.test(f)) continue;
    const mask = maskFor(folder, f);
    if (mask) out.push({ image: join(folder, f), mask });
  }
  return out;
}

export async function loadMasks(dir: string, opts: LoadOptions = {}): Promise<EvalDataset> {
  const pairs = maskPairs(dir);
  if (pairs.length === 0) throw new Error(`${dir}: no image + mask pairs (<name>.jpg with <name>.bmp / <name>.png / <name>_mask.png / masks/<name>.png)`);
  const samples: EvalSample[] = applyLimit(pairs, opts.limit).map((p) => ({
    id: p.image.split('/').pop()!.replace(IMAGE_RE, ''),
    image: p.image,
    mask: p.mask,
    hands: [],
  }));
  return {
    format: 'masks',
    path: dir,
    // "hgr1/pairs" reads better than "pairs"
    name:
      dir
        .split('/')
        .filter(Boolean)
        .slice(-2)
        .join('/')
        .replace(/^.*\/(?!pairs$)/, '') || 'masks',
    samples,
    notes: [
      'masks: no keypoint labels: a hand counts as found when at least half of its 21 keypoints lie on the GT mask; the landmark-only baseline crops a square 1.5x the GT mask box (which includes any forearm in the mask).',
    ],
  };
}

/**
 * Reads a mask as 0/1 per pixel. Polarity: which pixels are hand; 'auto' = dark for BMP (HGR1:
 * palette index 0, black, = skin), light for other formats.
 */
export async function readMask(
  path: string,
  polarity: MaskPolarity = 'auto',
): Promise<{ width: number; height: number; data: Uint8Array; polarity: 'dark' | 'light' }> {
  const isBmp = /\.bmp$/i.test(path);
  const pol = polarity === 'auto' ? (isBmp ? 'dark' : 'light') : polarity;
  let grey: Uint8Array;
  let width: number;
  let height: number;
  if (isBmp) {
    const bmp = decodeBmp(await readFile(path));
    ({ width, height, grey } = bmp);
  } else {
    const { data, info } = await sharp(path).flatten({ background: '#000000' }).greyscale().raw().toBuffer({ resolveWithObject: true });
    width = info.width;
    height = info.height;
    grey = new Uint8Array(data.buffer, data.byteOffset, width * height);
  }
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = (pol === 'dark' ? grey[i] < 128 : grey[i] >= 128) ? 1 : 0;
  return { width, height, data, polarity: pol };
}
