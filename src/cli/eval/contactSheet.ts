/**
 * A contact sheet of cases (worst first): each tile is a square region of the photo with the
 * ground truth drawn in green (keypoints and skeleton, or a translucent mask) and the prediction in
 * red, and a label under it. SVG overlays composited and tiled with sharp.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp, { type OverlayOptions } from 'sharp';
import { SKELETON } from '../../core/keypoints';
import type { Vec2 } from '../../core/metrics/keypoints2d';

export const GT_COLOUR = '#00e040';
export const PRED_COLOUR = '#ff2a2a';

export interface SheetCase {
  image: string;
  width: number;
  height: number;
  /** Square region shown: [x0, y0, side] in source pixels (may extend past the image: padded black). */
  region: [number, number, number];
  gt?: { points: Vec2[]; visible: boolean[] }[];
  pred?: Vec2[][];
  /** Ground-truth mask (width x height, nonzero = hand), drawn translucent green. */
  mask?: Uint8Array;
  /** Extra dashed lines (e.g. the wrist cut), source pixels. */
  lines?: { a: Vec2; b: Vec2; colour: string }[];
  label: string;
}

/** Square region around boxes [x0, y0, x1, y1]: their union, longer side x `scale`. */
export function regionAround(boxes: readonly (readonly number[])[], scale = 1.4, minSide = 48): [number, number, number] {
  const ok = boxes.filter((b) => b.every(Number.isFinite));
  if (ok.length === 0) return [0, 0, minSide];
  const x0 = Math.min(...ok.map((b) => b[0]));
  const y0 = Math.min(...ok.map((b) => b[1]));
  const x1 = Math.max(...ok.map((b) => b[2]));
  const y1 = Math.max(...ok.map((b) => b[3]));
  const side = Math.max(minSide, scale * Math.max(x1 - x0, y1 - y0));
  return [(x0 + x1) / 2 - side / 2, (y0 + y1) / 2 - side / 2, side];
}

function skeletonSvg(points: readonly Vec2[], visible: readonly boolean[] | undefined, colour: string, u: number): string {
  const parts: string[] = [];
  const ok = (i: number) => (!visible || visible[i]) && Number.isFinite(points[i][0]) && Number.isFinite(points[i][1]);
  for (const [a, b] of SKELETON) {
    if (!ok(a) || !ok(b)) continue;
    parts.push(
      `<line x1="${points[a][0].toFixed(1)}" y1="${points[a][1].toFixed(1)}" x2="${points[b][0].toFixed(1)}" y2="${points[b][1].toFixed(1)}" stroke="${colour}" stroke-width="${(1.6 * u).toFixed(2)}" stroke-linecap="round"/>`,
    );
  }
  points.forEach((p, i) => {
    if (ok(i))
      parts.push(
        `<circle cx="${p[0].toFixed(1)}" cy="${p[1].toFixed(1)}" r="${(2.4 * u).toFixed(2)}" fill="${colour}" stroke="#000" stroke-width="${(0.5 * u).toFixed(2)}"/>`,
      );
  });
  return parts.join('');
}

async function tile(c: SheetCase, size: number): Promise<Buffer> {
  const [x0, y0, side] = c.region;
  const u = side / size; // source pixels per tile pixel: keep strokes ~constant on the tile
  const layers: OverlayOptions[] = [];
  if (c.mask) {
    const rgba = Buffer.alloc(c.width * c.height * 4);
    for (let i = 0; i < c.mask.length; i++) if (c.mask[i]) rgba.set([0, 230, 64, 110], 4 * i);
    layers.push({ input: rgba, raw: { width: c.width, height: c.height, channels: 4 }, top: 0, left: 0 });
  }
  const svg = [
    ...(c.lines ?? []).map(
      (l) =>
        `<line x1="${l.a[0].toFixed(1)}" y1="${l.a[1].toFixed(1)}" x2="${l.b[0].toFixed(1)}" y2="${l.b[1].toFixed(1)}" stroke="${l.colour}" stroke-width="${(1.5 * u).toFixed(2)}" stroke-dasharray="${(6 * u).toFixed(1)} ${(4 * u).toFixed(1)}"/>`,
    ),
    ...(c.gt ?? []).map((g) => skeletonSvg(g.points, g.visible, GT_COLOUR, u)),
    ...(c.pred ?? []).map((p) => skeletonSvg(p, undefined, PRED_COLOUR, u)),
  ].join('');
  layers.push({
    input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${c.width}" height="${c.height}" viewBox="0 0 ${c.width} ${c.height}">${svg}</svg>`),
    top: 0,
    left: 0,
  });
  const drawn = await sharp(c.image).rotate().removeAlpha().composite(layers).png().toBuffer();
  const pad = Math.ceil(side) + 2;
  const left = Math.round(x0) + pad;
  const top = Math.round(y0) + pad;
  const s = Math.max(1, Math.round(side));
  // sharp runs extract before extend inside one pipeline: pad first, in its own pass
  const padded = await sharp(drawn).extend({ top: pad, bottom: pad, left: pad, right: pad, background: '#000000' }).png({ compressionLevel: 0 }).toBuffer();
  return sharp(padded).extract({ left, top, width: s, height: s }).resize(size, size, { kernel: 'lanczos3' }).png().toBuffer();
}

const esc = (s: string) => s.replace(/[<>&"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

export async function writeContactSheet(cases: readonly SheetCase[], path: string, title: string, opts: { tile?: number; cols?: number } = {}): Promise<void> {
  const size = opts.tile ?? 256;
  const cols = Math.max(1, Math.min(opts.cols ?? 4, cases.length || 1));
  const rows = Math.max(1, Math.ceil(cases.length / cols));
  const gap = 6;
  const labelH = 34;
  const head = 44;
  // wide enough for the title (about 8.5 px per character at 15 px bold) even with few tiles
  const width = Math.max(cols * size + (cols + 1) * gap, Math.ceil(2 * gap + 8.5 * title.length));
  const height = head + rows * (size + labelH + gap) + gap;
  const tiles = await Promise.all(cases.map((c) => tile(c, size)));
  const text: string[] = [
    `<text x="${gap}" y="20" font-size="15" font-weight="bold" fill="#ffffff">${esc(title)}</text>`,
    `<text x="${gap}" y="38" font-size="12" fill="#dddddd"><tspan fill="${GT_COLOUR}">green = ground truth</tspan>, <tspan fill="${PRED_COLOUR}">red = prediction</tspan></text>`,
  ];
  if (cases.length === 0) text.push(`<text x="${gap}" y="${head + 30}" font-size="13" fill="#ffffff">no cases</text>`);
  const composites: OverlayOptions[] = tiles.map((t, i) => ({
    input: t,
    left: gap + (i % cols) * (size + gap),
    top: head + Math.floor(i / cols) * (size + labelH + gap),
  }));
  cases.forEach((c, i) => {
    const x = gap + (i % cols) * (size + gap);
    const y = head + Math.floor(i / cols) * (size + labelH + gap) + size;
    const [l1, l2 = ''] = c.label.split('\n');
    text.push(`<text x="${x + 2}" y="${y + 14}" font-size="12" fill="#ffffff">${esc(l1)}</text>`);
    if (l2) text.push(`<text x="${x + 2}" y="${y + 29}" font-size="11" fill="#bbbbbb">${esc(l2)}</text>`);
  });
  composites.push({
    input: Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif">${text.join('')}</svg>`,
    ),
    left: 0,
    top: 0,
  });
  await mkdir(dirname(path), { recursive: true });
  await sharp({ create: { width, height, channels: 3, background: '#1e1e1e' } })
    .composite(composites)
    .png()
    .toFile(path);
}
