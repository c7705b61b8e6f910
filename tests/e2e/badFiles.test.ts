import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cameraFromFov, projectPoints } from '../../src/core/handModel/camera';
import {
  clearResult,
  docScreenshot,
  dropFile,
  foreignRequests,
  lastResult,
  launchChromium,
  openRecordedPage,
  pngBomb,
  REPO_ROOT,
  resultCount,
  startDevServer,
  waitForHands,
  waitForResults,
  waitReady,
  stillClip,
} from './harness';

// The page's half of issue 8's bad-file list (the CLI's is tests/node/badInputs.test.ts): every
// kind of file a user may drop, made here. Each must end in a banner with a code and a hint, or in
// a correct analysis, and the page must still analyse a good photo right after it.
const PHOTO = join(REPO_ROOT, 'tests/fixtures/hands.jpg');
/** MediaPipe's published keypoints of the photo's two hands (pixels; hand A's wrist at (580, 34), hand B's at (138, 343)). */
const EXPECTED = (JSON.parse(readFileSync(join(REPO_ROOT, 'tests/fixtures/hands.expected.json'), 'utf8')) as { hands: number[][][] }).hands;
/** HANDS_E2E_HUGE=1: the 30000-px-wide photo of the issue (sharp needs ~20 s to write it here); else 12000 px wide. */
const LARGE_WIDTH = process.env.HANDS_E2E_HUGE ? 30_000 : 12_000;
const LARGE_SCALE = LARGE_WIDTH / 720;

type Expect = { code: string; message: RegExp } | { hands: number; expected: number[][][]; scale?: number; width: number; height: number };
interface Input {
  name: string;
  type: string;
  bytes: () => Buffer;
  expect: Expect;
  what: string;
}

let server: ViteDevServer;
let origin: string;
let browser: Browser;
let page: Page;
let requests: string[];
let errors: string[];
const inputs: Input[] = [];
const outcomes: string[] = [];

beforeAll(async () => {
  ({ server, origin } = await startDevServer());
  browser = await launchChromium();
  // the files are made while the page loads its models
  const dir = mkdtempSync(join(tmpdir(), 'hands-bad-page-'));
  const recorded = openRecordedPage(browser, `${origin}/?backend=wasm`);
  const photo = readFileSync(PHOTO);
  const png = await sharp(PHOTO).png().toBuffer();
  const webm = join(dir, 'hands.webm');
  stillClip(PHOTO, 1, webm);
  const audio = join(dir, 'audio.webm');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'libopus', audio]);
  const t = Date.now();
  const large = await sharp(PHOTO)
    .resize(LARGE_WIDTH, Math.round(382 * LARGE_SCALE), { kernel: 'nearest' })
    .jpeg({ quality: 50 })
    .toBuffer();
  console.log(
    `[e2e bad] made the ${LARGE_WIDTH}x${Math.round(382 * LARGE_SCALE)} JPEG (${(large.length / 1e6).toFixed(1)} MB) in ${((Date.now() - t) / 1000).toFixed(1)} s`,
  );
  const made = {
    exif: await sharp(PHOTO).rotate(-90).withMetadata({ orientation: 6 }).jpeg().toBuffer(),
    grey: await sharp(PHOTO).greyscale().jpeg().toBuffer(),
    cmyk: await sharp(PHOTO).toColourspace('cmyk').jpeg().toBuffer(),
    png16: await sharp(PHOTO).toColourspace('rgb16').png().toBuffer(),
    alpha: await sharp(PHOTO).ensureAlpha(0.6).png().toBuffer(),
    clear: await sharp({ create: { width: 720, height: 382, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer(),
  };
  const both = { hands: 2, expected: EXPECTED, width: 720, height: 382 };
  const refused = (code: string, message: RegExp) => ({ code, message });
  inputs.push(
    // as in the CLI's list (its "missing file" has no page counterpart: a dropped file exists)
    { name: 'zero.jpg', type: 'image/jpeg', bytes: () => Buffer.alloc(0), expect: refused('empty-file', /zero\.jpg is empty \(0 bytes\)/), what: 'zero bytes' },
    {
      name: 'truncated.jpg',
      type: 'image/jpeg',
      bytes: () => photo.subarray(0, photo.length / 3),
      expect: refused('corrupt-file', /could not be decoded as a JPEG image: it is truncated/),
      what: 'JPEG cut at 1/3',
    },
    {
      name: 'truncated.png',
      type: 'image/png',
      bytes: () => png.subarray(0, png.length / 2),
      expect: refused('corrupt-file', /could not be decoded as a PNG image: it is truncated/),
      what: 'PNG cut in half',
    },
    {
      name: 'bomb.png',
      type: 'image/png',
      bytes: () => pngBomb(100_000, 100_000),
      expect: refused('image-too-large', /bomb\.png is 100000x100000 pixels; the limit is 600 megapixels/),
      what: 'PNG bomb: 100000x100000 declared, 0.1 KB',
    },
    {
      name: 'drawing.svg',
      type: 'image/svg+xml',
      bytes: () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><circle cx="50" cy="50" r="40"/></svg>'),
      expect: refused('unsupported-file', /SVG drawing, not a photo/),
      what: 'SVG',
    },
    {
      name: 'document.jpg',
      type: 'image/jpeg',
      bytes: () => Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
      expect: refused('unsupported-file', /document\.jpg is not an image or a video: it is a PDF document renamed \.jpg/),
      what: 'PDF renamed .jpg',
    },
    {
      name: 'notes.jpg',
      type: 'image/jpeg',
      bytes: () => Buffer.from('shopping list: eggs, milk\n'),
      expect: refused('unsupported-file', /notes\.jpg is not an image or a video: it is a text file renamed \.jpg/),
      what: 'text renamed .jpg',
    },
    {
      name: 'clip.mp4',
      type: 'video/mp4',
      bytes: () => Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex'),
      expect: refused('corrupt-file', /clip\.mp4 could not be played: it is truncated or damaged, has no frames/),
      what: 'MP4 with no frames (header only)',
    },
    {
      name: 'large.jpg',
      type: 'image/jpeg',
      bytes: () => large,
      expect: { ...both, scale: LARGE_SCALE, width: LARGE_WIDTH, height: Math.round(382 * LARGE_SCALE) },
      what: `${LARGE_WIDTH}x${Math.round(382 * LARGE_SCALE)} JPEG`,
    },
    { name: 'exif-rotated.jpg', type: 'image/jpeg', bytes: () => made.exif, expect: both, what: 'stored rotated, EXIF orientation 6' },
    // the upside-down hand is missed on grey (a model limit, as in the CLI): the upright one must be found
    {
      name: 'grey.jpg',
      type: 'image/jpeg',
      bytes: () => made.grey,
      expect: { hands: 1, expected: [EXPECTED[1]], width: 720, height: 382 },
      what: 'greyscale JPEG',
    },
    { name: 'cmyk.jpg', type: 'image/jpeg', bytes: () => made.cmyk, expect: both, what: 'CMYK JPEG' },
    { name: '16bit.png', type: 'image/png', bytes: () => made.png16, expect: both, what: '16-bit PNG' },
    { name: 'alpha.png', type: 'image/png', bytes: () => made.alpha, expect: both, what: 'PNG with alpha 0.6' },
    // the page's own
    {
      name: 'truncated.webm',
      type: 'video/webm',
      bytes: () => readFileSync(webm).subarray(0, 300),
      expect: refused('corrupt-file', /truncated\.webm could not be played/),
      what: 'WebM cut at 300 bytes',
    },
    {
      name: 'audio.webm',
      type: 'video/webm',
      bytes: () => readFileSync(audio),
      expect: refused('unsupported-file', /audio\.webm has no picture/),
      what: 'audio-only WebM',
    },
    {
      name: 'clear.png',
      type: 'image/png',
      bytes: () => made.clear,
      expect: { hands: 0, expected: [], width: 720, height: 382 },
      what: 'fully transparent PNG (must not show the previous photo through)',
    },
    { name: 'video.jpg', type: 'image/jpeg', bytes: () => readFileSync(webm), expect: both, what: 'WebM video renamed .jpg (plays as a video)' },
  );
  ({ page, requests, errors } = await recorded);
  await waitReady(page);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const banner = (p: Page) => p.locator('#banner');

/** A good photo right after: the page is still usable. */
async function goodPhotoStillWorks(): Promise<void> {
  await clearResult(page);
  await dropFile(page, 'hands.jpg', 'image/jpeg', readFileSync(PHOTO));
  await waitForHands(page, 2, 60_000);
  await expect.poll(() => banner(page).isHidden()).toBe(true);
}

describe('bad and unusual files dropped on the page', () => {
  it('each gets a banner with a code and a hint, or a correct analysis; a good photo works after every one', async () => {
    const t0 = Date.now();
    let photoView: Awaited<ReturnType<typeof overlayPixels>> | undefined;
    for (const input of inputs) {
      if (input.name === 'large.jpg') photoView = await overlayPixels();
      const t = Date.now();
      const before = await resultCount(page);
      await clearResult(page);
      await dropFile(page, input.name, input.type, input.bytes());
      const e = input.expect;
      if ('code' in e) {
        await expect.poll(() => banner(page).getAttribute('data-code'), { timeout: 30_000, message: input.name }).toBe(e.code);
        const text = await banner(page).innerText();
        expect(text, input.name).toMatch(e.message);
        const hint = await banner(page).locator('.banner-hint').innerText();
        expect(hint.length, `${input.name}: a hint`).toBeGreaterThan(10);
        // nothing was analysed, and the photo before stays on screen
        expect(await resultCount(page)).toBe(before);
        outcomes.push(`${input.name} (${input.what}): ${e.code}`);
        if (input.name === 'bomb.png') await docScreenshot(page, 'reliability-bad-file.png');
        console.log(`[e2e bad] ${input.name}: ${e.code}: "${text.replace(/\s*×\s*$/, '').replace(/\n/g, ' ')}" (${Date.now() - t} ms)`);
      } else {
        if (input.type.startsWith('video') || input.name === 'video.jpg') {
          await page.waitForFunction((n) => (window.__handsLastResult?.hands.length ?? -1) === n, e.hands, { timeout: 60_000, polling: 100 });
        } else {
          await waitForResults(page, before, 60_000);
        }
        const r = await lastResult(page);
        expect(await banner(page).isHidden(), input.name).toBe(true);
        expect([r.width, r.height], `${input.name}: results in the original image's pixels`).toEqual([e.width, e.height]);
        expect(r.hands.length, input.name).toBeGreaterThanOrEqual(e.hands);
        if (e.hands === 0) expect(r.hands.length, input.name).toBe(0);
        const scale = e.scale ?? 1;
        // each expected hand: one found hand within 12 px of it, mean over its 21 keypoints (a
        // hand at the frame's edge can have its wrist further off: grey.jpg's, 30 px)
        for (const expected of e.expected) {
          const d = Math.min(
            ...r.hands.map(
              (h) => expected.reduce((sum, [x, y], i) => sum + Math.hypot(h.keypoints2d[i].x / scale - x, h.keypoints2d[i].y / scale - y), 0) / expected.length,
            ),
          );
          expect(d, `${input.name}: a hand near the one whose wrist is at (${expected[0]})`).toBeLessThan(12);
        }
        if (input.name === 'large.jpg') await checkLargeImageOverlay(scale, photoView!);
        outcomes.push(`${input.name} (${input.what}): ${r.hands.length} hand(s)`);
        console.log(
          `[e2e bad] ${input.name}: analysed, ${r.width}x${r.height}, ${r.hands.length} hand(s), wrists ${r.hands.map((h) => `(${h.keypoints2d[0].x.toFixed(0)}, ${h.keypoints2d[0].y.toFixed(0)})`).join(' ')} (${Date.now() - t} ms)`,
        );
      }
      await goodPhotoStillWorks();
    }
    console.log(
      `[e2e bad] bad inputs (page): ${inputs.length} inputs tried, ${outcomes.length} handled cleanly (a good photo analysed after each): ${outcomes.join('; ')}`,
    );
    expect(outcomes).toHaveLength(inputs.length);
    expect(foreignRequests(requests, origin)).toEqual([]);
    expect(errors).toEqual([]);
    console.log(`[e2e bad] total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
});

/** RGB pixels of the overlay canvas (picture + keypoints, skeleton, boxes; labels are HTML). */
async function overlayPixels(): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(await page.locator('.overlay-canvas').screenshot())
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * The large photo was analysed at 4096 px and its results scaled back; the view works in the
 * original's pixels. Registered means: (1) the view looks like the same photo at 720 px wide with
 * its layers (a picture drawn at 4096 / 12000 of the size, or keypoints in the wrong pixels, would
 * differ wildly), (2) the mesh overlay draws every vertex where the result's own pinhole camera
 * (original size, its field of view) puts it. How well the mesh fits the keypoints is printed: on
 * the 30000-px photo one hand's fit converges worse (13 px at 720 wide), a fit matter, not a
 * coordinate one.
 */
async function checkLargeImageOverlay(scale: number, photoView: { data: Buffer; width: number; height: number }): Promise<void> {
  const view = await overlayPixels();
  expect([view.width, view.height]).toEqual([photoView.width, photoView.height]);
  let diff = 0;
  for (let i = 0; i < view.data.length; i++) diff += Math.abs(view.data[i] - photoView.data[i]);
  const meanDiff = diff / view.data.length;
  const toggle = page.locator('.lil-controller', { hasText: 'Mesh' }).locator('input[type=checkbox]');
  await toggle.click();
  await page.waitForFunction(() => (window.__handsLastResult?.hands ?? []).length === 2 && window.__handsLastResult!.hands.every((h) => h.mesh), null, {
    timeout: 60_000,
    polling: 100,
  });
  await page.waitForTimeout(300);
  // where the overlay drew each mesh vertex vs where the result's camera (original size, fov) puts it
  const drawn = await page.evaluate(() => window.__handsLastResult!.hands.map((_, i) => window.__handsMeshOverlay!.projected(i)!));
  const r = await lastResult(page);
  let offset = 0;
  let fit = 0;
  r.hands.forEach((h, i) => {
    const cam = cameraFromFov(r.width, r.height, h.mesh!.fovDegrees);
    const expected = projectPoints(cam, Object.values(h.mesh!.vertices));
    for (let k = 0; k < expected.length; k++) offset = Math.max(offset, Math.abs(expected[k] - drawn[i][k]));
    const kp = projectPoints(cam, Object.values(h.mesh!.keypoints));
    for (let k = 0; k < 21; k++) fit += Math.hypot(kp[2 * k] - h.keypoints2d[k].x, kp[2 * k + 1] - h.keypoints2d[k].y) / (21 * r.hands.length);
  });
  console.log(
    `[e2e bad] large.jpg: view vs the 720-px photo's view: mean difference ${meanDiff.toFixed(1)} / 255 per channel; mesh overlay vs the result's camera: ${offset.toFixed(2)} px (original pixels); mesh fit ${(fit / scale).toFixed(1)} px at 720 wide`,
  );
  expect(meanDiff).toBeLessThan(12);
  expect(offset).toBeLessThan(1);
  await toggle.click();
}
