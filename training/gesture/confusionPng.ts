/**
 * A confusion matrix as a PNG (encoded by sharp, a dependency): cells shaded by the row-normalised rate (white 0 -> dark blue
 * 1), the percentage written in each cell with a 3x5 pixel digit font, rows = true label, columns =
 * predicted, both numbered 0..8 in GESTURE_LABELS order (the README's text table names them).
 */
import sharp from 'sharp';

const DIGITS: Record<string, string[]> = {
  '0': ['111', '101', '101', '101', '111'],
  '1': ['010', '110', '010', '010', '111'],
  '2': ['111', '001', '111', '100', '111'],
  '3': ['111', '001', '111', '001', '111'],
  '4': ['101', '101', '111', '001', '001'],
  '5': ['111', '100', '111', '001', '111'],
  '6': ['111', '100', '111', '101', '111'],
  '7': ['111', '001', '010', '010', '010'],
  '8': ['111', '101', '111', '101', '111'],
  '9': ['111', '101', '111', '001', '111'],
  '.': ['000', '000', '000', '000', '010'],
};

export async function writeConfusionPng(path: string, matrix: number[][], cell = 44, scale = 3): Promise<void> {
  const n = matrix.length;
  const margin = cell;
  const size = margin + n * cell;
  const png = { data: Buffer.alloc(size * size * 4) };
  const set = (x: number, y: number, r: number, g: number, b: number): void => {
    if (x < 0 || y < 0 || x >= size || y >= size) return;
    const o = 4 * (y * size + x);
    png.data[o] = r;
    png.data[o + 1] = g;
    png.data[o + 2] = b;
    png.data[o + 3] = 255;
  };
  const text = (s: string, cx: number, cy: number, dark: boolean): void => {
    const w = s.length * 4 * scale - scale;
    let x0 = Math.round(cx - w / 2);
    const y0 = Math.round(cy - (5 * scale) / 2);
    for (const ch of s) {
      const glyph = DIGITS[ch];
      if (glyph) {
        for (let r = 0; r < 5; r++) for (let c = 0; c < 3; c++) {
          if (glyph[r][c] !== '1') continue;
          for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) set(x0 + c * scale + dx, y0 + r * scale + dy, dark ? 0 : 255, dark ? 0 : 255, dark ? 0 : 255);
        }
      }
      x0 += 4 * scale;
    }
  };
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) set(x, y, 255, 255, 255);
  for (let i = 0; i < n; i++) {
    const total = matrix[i].reduce((a, b) => a + b, 0) || 1;
    text(String(i), margin / 2, margin + i * cell + cell / 2, true);
    text(String(i), margin + i * cell + cell / 2, margin / 2, true);
    for (let j = 0; j < n; j++) {
      const rate = matrix[i][j] / total;
      const r = Math.round(255 - rate * (255 - 20));
      const g = Math.round(255 - rate * (255 - 60));
      const b = Math.round(255 - rate * (255 - 140));
      for (let y = 1; y < cell; y++) for (let x = 1; x < cell; x++) set(margin + j * cell + x, margin + i * cell + y, r, g, b);
      if (matrix[i][j] > 0) {
        const pct = rate * 100;
        text(pct >= 99.95 ? '100' : pct >= 10 ? pct.toFixed(0) : pct.toFixed(1), margin + j * cell + cell / 2, margin + i * cell + cell / 2, rate < 0.5);
      }
    }
  }
  await sharp(png.data, { raw: { width: size, height: size, channels: 4 } }).png({ compressionLevel: 9 }).toFile(path);
}
