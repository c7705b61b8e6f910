import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pngBomb } from '../helpers/pngBomb';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/nodePipeline';

// Every kind of file a user may hand the CLI, made by the test itself: each must end in a result
// or in a documented exit code with a message that names the file, never a crash or a hang.
const BIN = new URL('../../bin/hands.mjs', import.meta.url).pathname;
const PHOTO = `${FIXTURES}hands.jpg`;
/** MediaPipe's published keypoints of the photo's two hands (pixels). */
const EXPECTED = (JSON.parse(readFileSync(`${FIXTURES}hands.expected.json`, 'utf8')) as { hands: number[][][] }).hands;

/** Mean distance (px) of a hand's 21 keypoints from expected ones, after dividing by `scale`. */
const meanError = (h: { keypoints2d: Array<{ x: number; y: number }> }, expected: number[][], scale: number) =>
  expected.reduce((sum, [x, y], i) => sum + Math.hypot(h.keypoints2d[i].x / scale - x, h.keypoints2d[i].y / scale - y), 0) / expected.length;

function analyze(file: string): {
  status: number | null;
  stderr: string;
  result?: { width: number; height: number; hands: Array<{ keypoints2d: Array<{ x: number; y: number }> }> };
  error?: { code: string };
} {
  const r = spawnSync(process.execPath, [BIN, 'analyze', file, '--json', '-', '--quiet'], { encoding: 'utf8', timeout: 120_000 });
  const report = r.stdout ? JSON.parse(r.stdout) : {};
  // a video (by its extension) is reported under "videos"
  const out = report.images?.[0] ?? report.videos?.[0] ?? {};
  return { status: r.status, stderr: r.stderr, result: out.result, error: out.error };
}

describe('bad and unusual inputs (CLI)', () => {
  let dir: string;
  const outcomes: string[] = [];
  const at = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hands-bad-'));
    const photo = readFileSync(PHOTO);
    writeFileSync(at('zero.jpg'), '');
    writeFileSync(at('truncated.jpg'), photo.subarray(0, photo.length / 3));
    const png = await sharp(PHOTO).png().toBuffer();
    writeFileSync(at('truncated.png'), png.subarray(0, png.length / 2));
    writeFileSync(at('bomb.png'), pngBomb(100_000, 100_000));
    writeFileSync(at('drawing.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><circle cx="50" cy="50" r="40"/></svg>');
    writeFileSync(at('document.jpg'), '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    writeFileSync(at('notes.jpg'), 'shopping list: eggs, milk\n');
    writeFileSync(at('clip.mp4'), Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex'));
    await sharp(PHOTO).resize(10800, 5730, { kernel: 'nearest' }).jpeg({ quality: 60 }).toFile(at('large.jpg'));
    // stored rotated 90 degrees, with EXIF orientation 6 telling viewers to turn it upright
    await sharp(PHOTO).rotate(-90).withMetadata({ orientation: 6 }).jpeg().toFile(at('exif-rotated.jpg'));
    await sharp(PHOTO).greyscale().jpeg().toFile(at('grey.jpg'));
    await sharp(PHOTO).toColourspace('cmyk').jpeg().toFile(at('cmyk.jpg'));
    await sharp(PHOTO).toColourspace('rgb16').png().toFile(at('16bit.png'));
    await sharp(PHOTO).ensureAlpha(0.6).png().toFile(at('alpha.png'));
  });

  it.each([
    ['zero.jpg', 'empty-file', /is empty/],
    ['truncated.jpg', 'corrupt-file', /could not be decoded/],
    ['truncated.png', 'corrupt-file', /could not be decoded/],
    ['bomb.png', 'image-too-large', /100000x100000 pixels/],
    ['drawing.svg', 'unsupported-file', /SVG, not a photo/],
    ['document.jpg', 'unsupported-file', /not an image/],
    ['notes.jpg', 'unsupported-file', /not an image/],
    ['clip.mp4', 'corrupt-file', /could not be read as a video/],
    ['missing.jpg', 'file-not-found', /no such file/],
  ])('%s -> exit 3, %s', (name, code, message) => {
    const r = analyze(at(name));
    expect(r.status).toBe(3);
    expect(r.error?.code).toBe(code);
    expect(r.stderr).toContain(name);
    expect(r.stderr).toMatch(message);
    outcomes.push(`${name}: ${code}`);
  });

  // greyscale: the palm detectors lean on colour; the upside-down hand is missed there (a model
  // limit, stated in the README), the upright one must still be found (the 2021 palm detector finds
  // no palm in grey at all: the box detector finds it)
  it.each([
    ['large.jpg', 15, EXPECTED],
    ['exif-rotated.jpg', 1, EXPECTED],
    ['grey.jpg', 1, [EXPECTED[1]]],
    ['cmyk.jpg', 1, EXPECTED],
    ['16bit.png', 1, EXPECTED],
    ['alpha.png', 1, EXPECTED],
  ])('%s is analysed, in the original (displayed) pixel coordinates', (name, scale, hands) => {
    const r = analyze(at(name));
    expect(r.status, r.stderr).toBe(0);
    expect([r.result!.width, r.result!.height]).toEqual([Math.round(720 * scale), Math.round(382 * scale)]);
    expect(r.result!.hands.length).toBeGreaterThanOrEqual(hands.length);
    for (const expected of hands) {
      const d = Math.min(...r.result!.hands.map((h) => meanError(h, expected, scale)));
      expect(d, `${name}: a hand within 12 px (mean over 21 keypoints) of the one whose wrist is at (${expected[0]})`).toBeLessThan(12);
    }
    outcomes.push(`${name}: ${r.result!.hands.length} hand(s)`);
  });

  it('reports the figure', () => {
    console.log(`bad inputs (CLI): ${outcomes.length} inputs tried, ${outcomes.length} handled cleanly: ${outcomes.join('; ')}`);
    expect(outcomes).toHaveLength(15);
  });
});
