/**
 * Plots for `hands eval` as SVG strings (no plotting library), rasterised to PNG with sharp
 * (librsvg), as overlaySvg.ts does for overlays.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp from 'sharp';

export interface Series {
  name: string;
  colour: string;
  xs: readonly number[];
  ys: readonly number[];
  dashed?: boolean;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  x: [number, number];
  y: [number, number];
  series: Series[];
  /** Shade this x range (e.g. the AUC range). */
  band?: [number, number];
  bandLabel?: string;
  xTickFormat?: (v: number) => string;
}

const W = 720;
const H = 460;
const M = { left: 70, right: 20, top: 44, bottom: 58 };
export const esc = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
const f1 = (v: number) => v.toFixed(1);

function ticks(lo: number, hi: number, n = 5): number[] {
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9; v += step) out.push(Math.round(v / step) * step);
  return out;
}

function frame(c: { title: string; xLabel: string; yLabel: string; x: [number, number]; y: [number, number]; xTickFormat?: (v: number) => string }) {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (v: number) => M.left + ((v - c.x[0]) / (c.x[1] - c.x[0])) * pw;
  const sy = (v: number) => M.top + ph - ((v - c.y[0]) / (c.y[1] - c.y[0])) * ph;
  const parts: string[] = [`<rect width="${W}" height="${H}" fill="#ffffff"/>`];
  const fmtX = c.xTickFormat ?? ((v: number) => String(+v.toFixed(3)));
  for (const v of ticks(c.x[0], c.x[1])) {
    parts.push(`<line x1="${f1(sx(v))}" y1="${M.top}" x2="${f1(sx(v))}" y2="${M.top + ph}" stroke="#e4e4e4"/>`);
    parts.push(`<text x="${f1(sx(v))}" y="${M.top + ph + 18}" font-size="12" text-anchor="middle" fill="#333">${esc(fmtX(v))}</text>`);
  }
  for (const v of ticks(c.y[0], c.y[1])) {
    parts.push(`<line x1="${M.left}" y1="${f1(sy(v))}" x2="${M.left + pw}" y2="${f1(sy(v))}" stroke="#e4e4e4"/>`);
    parts.push(`<text x="${M.left - 8}" y="${f1(sy(v) + 4)}" font-size="12" text-anchor="end" fill="#333">${+v.toFixed(3)}</text>`);
  }
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
  parts.push(`<text x="${W / 2}" y="26" font-size="16" font-weight="bold" text-anchor="middle" fill="#111">${esc(c.title)}</text>`);
  parts.push(`<text x="${M.left + pw / 2}" y="${H - 14}" font-size="13" text-anchor="middle" fill="#111">${esc(c.xLabel)}</text>`);
  parts.push(`<text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" font-size="13" text-anchor="middle" fill="#111">${esc(c.yLabel)}</text>`);
  return { parts, sx, sy, pw, ph };
}

function legend(parts: string[], items: { name: string; colour: string; dashed?: boolean; box?: boolean }[], x: number, y: number): void {
  const h = 20 * items.length + 8;
  const w = 12 + Math.max(...items.map((i) => i.name.length)) * 7.2 + 40;
  parts.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="#ffffff" fill-opacity="0.9" stroke="#999"/>`);
  items.forEach((it, i) => {
    const yy = y + 16 + 20 * i;
    if (it.box) parts.push(`<rect x="${x + 8}" y="${yy - 8}" width="24" height="10" fill="${it.colour}" fill-opacity="0.45" stroke="${it.colour}"/>`);
    else
      parts.push(
        `<line x1="${x + 8}" y1="${yy - 4}" x2="${x + 32}" y2="${yy - 4}" stroke="${it.colour}" stroke-width="2.5"${it.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      );
    parts.push(`<text x="${x + 40}" y="${yy}" font-size="12" fill="#111">${esc(it.name)}</text>`);
  });
}

export function lineChartSvg(c: LineChart): string {
  const { parts, sx, sy, ph } = frame(c);
  if (c.band) {
    parts.splice(1, 0, `<rect x="${f1(sx(c.band[0]))}" y="${M.top}" width="${f1(sx(c.band[1]) - sx(c.band[0]))}" height="${ph}" fill="#fff3c4"/>`);
    if (c.bandLabel)
      parts.push(
        `<text x="${f1((sx(c.band[0]) + sx(c.band[1])) / 2)}" y="${M.top + 16}" font-size="11" text-anchor="middle" fill="#8a6d00">${esc(c.bandLabel)}</text>`,
      );
  }
  for (const s of c.series) {
    const pts = s.xs.map((x, i) => [x, s.ys[i]]).filter(([, y]) => Number.isFinite(y));
    if (pts.length === 0) continue;
    parts.push(
      `<polyline fill="none" stroke="${s.colour}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${pts.map(([x, y]) => `${f1(sx(x))},${f1(sy(y))}`).join(' ')}"/>`,
    );
  }
  legend(parts, c.series, W - M.right - 12 - (12 + Math.max(...c.series.map((s) => s.name.length)) * 7.2 + 40), H - M.bottom - 12 - (20 * c.series.length + 8));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, sans-serif">${parts.join('')}</svg>`;
}

export interface Histogram {
  title: string;
  xLabel: string;
  series: { name: string; colour: string; values: readonly number[] }[];
  /** Bin edges lo..hi; values above hi land in the last bin (labelled ">="). */
  x: [number, number];
  bins: number;
}

export function histogramSvg(h: Histogram): string {
  const edges = Array.from({ length: h.bins + 1 }, (_, i) => h.x[0] + ((h.x[1] - h.x[0]) * i) / h.bins);
  const counts = h.series.map((s) => {
    const c = new Array<number>(h.bins).fill(0);
    for (const v of s.values) {
      if (!Number.isFinite(v)) continue;
      const b = Math.min(h.bins - 1, Math.max(0, Math.floor(((v - h.x[0]) / (h.x[1] - h.x[0])) * h.bins)));
      c[b]++;
    }
    const n = s.values.filter(Number.isFinite).length || 1;
    return c.map((k) => k / n);
  });
  const yMax = Math.max(0.05, ...counts.flat()) * 1.1;
  const { parts, sx, sy } = frame({ title: h.title, xLabel: h.xLabel, yLabel: 'fraction', x: h.x, y: [0, yMax] });
  h.series.forEach((s, si) => {
    const bw = (sx(edges[1]) - sx(edges[0])) / h.series.length;
    counts[si].forEach((c, b) => {
      if (c <= 0) return;
      const x = sx(edges[b]) + si * bw;
      parts.push(
        `<rect x="${f1(x)}" y="${f1(sy(c))}" width="${f1(Math.max(1, bw - 1))}" height="${f1(sy(0) - sy(c))}" fill="${s.colour}" fill-opacity="0.6" stroke="${s.colour}"/>`,
      );
    });
  });
  parts.push(
    `<text x="${f1(sx(h.x[1]) - 4)}" y="${M.top + 16}" font-size="11" text-anchor="end" fill="#555">last bin includes values &gt;= ${+edges[h.bins - 1].toFixed(3)}</text>`,
  );
  legend(
    parts,
    h.series.map((s) => ({ name: `${s.name} (n=${s.values.filter(Number.isFinite).length})`, colour: s.colour, box: true })),
    W - M.right - 300,
    M.top + 26,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, sans-serif">${parts.join('')}</svg>`;
}

export async function writeSvgPng(svg: string, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await sharp(Buffer.from(svg)).png().toFile(path);
}

/** A confusion matrix as a shaded grid: rows = true label, columns = predicted (`columns` may add e.g. 'missed'); each cell shows its count, shaded by its row's fraction. */
export function confusionMatrixSvg(title: string, labels: readonly string[], columns: readonly string[], counts: readonly (readonly number[])[]): string {
  const cell = 44;
  const left = 120;
  const top = 130;
  const n = labels.length;
  const W = left + columns.length * cell + 20;
  const H = top + n * cell + 40;
  const parts: string[] = [
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="24" font-size="15" font-weight="bold" text-anchor="middle" fill="#111">${esc(title)}</text>`,
  ];
  labels.forEach((l, i) =>
    parts.push(`<text x="${left - 8}" y="${top + i * cell + cell / 2 + 4}" font-size="12" text-anchor="end" fill="#111">${esc(l)}</text>`),
  );
  columns.forEach((l, j) =>
    parts.push(`<text transform="translate(${left + j * cell + cell / 2 + 4} ${top - 8}) rotate(-55)" font-size="12" fill="#111">${esc(l)}</text>`),
  );
  counts.forEach((row, i) => {
    const sum = row.reduce((a, b) => a + b, 0);
    row.forEach((c, j) => {
      const f = sum ? c / sum : 0;
      const shade = i === j ? `rgba(31,111,209,${(0.08 + 0.92 * f).toFixed(3)})` : `rgba(232,89,12,${(f > 0 ? 0.15 + 0.85 * f : 0).toFixed(3)})`;
      const x = left + j * cell;
      const y = top + i * cell;
      parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${shade}" stroke="#ccc"/>`);
      if (c)
        parts.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + 4}" font-size="12" text-anchor="middle" fill="${f > 0.6 ? '#fff' : '#111'}">${c}</text>`);
    });
  });
  parts.push(
    `<text x="${left + (columns.length * cell) / 2}" y="${H - 12}" font-size="12" text-anchor="middle" fill="#333">rows: true label; columns: predicted</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, sans-serif">${parts.join('')}</svg>`;
}
