import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  clearResult,
  docScreenshot,
  dropFile,
  FAKE_CAMERA_ARGS,
  foreignRequests,
  openRecordedPage,
  pageTestSession,
  REPO_ROOT,
  resultCount,
  waitForHands,
  waitForResults,
  waitReady,
} from './harness';

// Faults of issue 8 that are not files: the camera missing or unplugged mid-stream, the inference
// worker dying, the overlay's WebGL context lost, model files missing / truncated / tampered with.
// (A lost TF.js WebGL context is in page.test.ts, on the WebGL page it already loads.)
const PHOTO = join(REPO_ROOT, 'tests/fixtures/hands.jpg');
const MODELS = join(REPO_ROOT, 'models');

const session = pageTestSession();

const log = (what: string) => console.log(`[e2e faults] ${what}`);
const banner = (page: Page) => page.locator('#banner');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface CameraSwitch {
  missing: boolean;
  calls: number;
  streams: MediaStream[];
}

/** The page's getUserMedia, wrapped: the test can make the camera "missing" and reach the streams it gave out. */
function wrapCamera(): void {
  const state: CameraSwitch = { missing: false, calls: 0, streams: [] };
  (window as unknown as { __camera: CameraSwitch }).__camera = state;
  const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    state.calls++;
    if (state.missing) throw new DOMException('Requested device not found', 'NotFoundError');
    const stream = await real(constraints);
    state.streams.push(stream);
    return stream;
  };
}

/**
 * Runs `kill` in the page's current inference worker. The newest one: a replaced worker can stay
 * listed for a while, and evaluating in it never settles. The evaluation itself may never answer
 * (the worker dies in it), so it is not awaited past a moment.
 */
async function inWorker(page: Page, kill: () => void): Promise<void> {
  const worker = page
    .workers()
    .filter((w) => w.url().includes('inference.worker'))
    .at(-1)!;
  await Promise.race([worker.evaluate(kill).catch(() => {}), new Promise((done) => setTimeout(done, 2000))]);
}

const camera = (page: Page) => page.evaluate(() => (window as unknown as { __camera: CameraSwitch }).__camera.calls);

/** Pixels of a canvas that differ from its most common colour (the background, or all of it when blank). */
/**
 * drawnFraction once the canvas has stopped changing (two samples 500 ms apart within 0.5 % of the
 * canvas): the 3D view frames the meshes over its first frames after it opens, and measuring
 * mid-way made the 'before' figure depend on the machine's speed.
 */
async function settledDrawnFraction(page: Page, selector: string): Promise<number> {
  let last = await drawnFraction(page, selector);
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(500);
    const now = await drawnFraction(page, selector);
    if (Math.abs(now - last) < 0.005) return now;
    last = now;
  }
  return last;
}

async function drawnFraction(page: Page, selector = '.overlay-canvas'): Promise<number> {
  const { data, info } = await sharp(await page.locator(selector).screenshot())
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const n = info.width * info.height;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = (data[3 * i] << 16) | (data[3 * i + 1] << 8) | data[3 * i + 2];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const bgKey = [...counts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const bg = [bgKey >> 16, (bgKey >> 8) & 255, bgKey & 255];
  let drawn = 0;
  for (let i = 0; i < n; i++) {
    if (Math.abs(data[3 * i] - bg[0]) + Math.abs(data[3 * i + 1] - bg[1]) + Math.abs(data[3 * i + 2] - bg[2]) > 30) drawn++;
  }
  return drawn / n;
}

describe('faults', () => {
  it('camera missing and unplugged mid-stream: a message and Retry; a dying worker is restarted; lost overlay / 3D-view contexts are redrawn', async () => {
    const browser = await session.launch(FAKE_CAMERA_ARGS);
    const t0 = Date.now();
    const { page, requests, errors } = await openRecordedPage(browser, `${session.origin}/?backend=wasm`, wrapCamera);
    await waitReady(page);

    // 1. no camera at all
    await page.evaluate(() => ((window as unknown as { __camera: CameraSwitch }).__camera.missing = true));
    await page.getByRole('button', { name: 'Start camera' }).click();
    await expect.poll(() => banner(page).getAttribute('data-code')).toBe('camera-missing');
    expect(await banner(page).innerText()).toContain('No camera found');
    log(`no camera: "${(await banner(page).innerText()).replace(/\s*×\s*$/, '').replace(/\n/g, ' ')}"`);
    // ... plugged in, Retry
    await page.evaluate(() => ((window as unknown as { __camera: CameraSwitch }).__camera.missing = false));
    let before = await resultCount(page);
    await banner(page).getByRole('button', { name: 'Retry' }).click();
    await waitForResults(page, before + 3, 60_000);
    expect(await banner(page).isHidden()).toBe(true);
    expect(await camera(page)).toBe(2);

    // 2. unplugged mid-stream: the track ends (what the browser does when the device goes away)
    const tUnplug = Date.now();
    await page.evaluate(() => {
      const track = (window as unknown as { __camera: CameraSwitch }).__camera.streams.at(-1)!.getVideoTracks()[0];
      track.stop();
      track.dispatchEvent(new Event('ended'));
    });
    await expect.poll(() => banner(page).getAttribute('data-code')).toBe('camera-failed');
    const unplugged = await banner(page).innerText();
    expect(unplugged).toMatch(/The camera stopped.*unplugged/);
    expect(unplugged).toContain('Retry');
    expect(await page.getByRole('button', { name: 'Start camera' }).isVisible()).toBe(true);
    expect(await page.locator('#placeholder').isVisible()).toBe(true);
    log(`camera unplugged: message after ${Date.now() - tUnplug} ms: "${unplugged.replace(/\s*×\s*$/, '').replace(/\n/g, ' ')}"`);
    await docScreenshot(page, 'reliability-camera-unplugged.png');
    // no results while there is no source
    before = await resultCount(page);
    await page.waitForTimeout(500);
    const after = await resultCount(page);
    expect(after - before).toBeLessThanOrEqual(1); // a frame in flight at the time may still land
    // ... Retry brings it back
    await banner(page).getByRole('button', { name: 'Retry' }).click();
    await waitForResults(page, after + 3, 60_000);
    expect(await page.getByRole('button', { name: 'Stop camera' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Stop camera' }).click();

    // 3. other sources keep working
    await dropFile(page, 'hands.jpg', 'image/jpeg', readFileSync(PHOTO));
    await waitForHands(page, 2);

    // 4. the worker dies without a word (as on a crash or an out-of-memory kill): restarted, the photo analysed again
    for (const [how, kill] of [
      ['closed (silent death)', () => self.close()],
      [
        'an exception escaped it',
        () =>
          void setTimeout(() => {
            throw new Error('injected by the test');
          }),
      ],
    ] as const) {
      const restarts = Number((await page.evaluate(() => document.body.dataset.restarts)) ?? 0);
      await clearResult(page);
      const tKill = Date.now();
      await inWorker(page, kill);
      await expect.poll(() => page.evaluate(() => document.body.dataset.restarts)).toBe(String(restarts + 1));
      const detected = Date.now() - tKill;
      const notice = await page.locator('#notice').innerText();
      expect(notice).toMatch(/The hand analysis stopped: .*\. Restarting it/);
      if (restarts === 0) await docScreenshot(page, 'reliability-worker-restarting.png');
      await waitForHands(page, 2, 120_000);
      await expect.poll(() => page.locator('#notice').innerText()).toContain('Hand analysis restarted');
      log(`worker ${how}: noticed after ${detected} ms ("${notice}"), photo analysed again after ${seconds(Date.now() - tKill)}`);
    }
    expect(await page.locator('[data-hud="mode"]').innerText()).toBe('worker');

    // a crash loop: the third restart within a minute is the last; the fourth death stops it with a
    // message and Retry (which starts afresh)
    const killWorker = () => inWorker(page, () => self.close());
    await clearResult(page);
    await killWorker();
    await expect.poll(() => page.evaluate(() => document.body.dataset.restarts)).toBe('3');
    await waitForHands(page, 2, 120_000);
    await killWorker();
    await expect.poll(() => banner(page).getAttribute('data-code')).toBe('internal');
    const gaveUp = await banner(page).innerText();
    expect(gaveUp).toMatch(/stopped 4 times within a minute/);
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('error');
    log(`crash loop: "${gaveUp.replace(/\s*Retry\s*×\s*$/, '').replace(/\n/g, ' ')}"`);
    await clearResult(page);
    await banner(page).getByRole('button', { name: 'Retry' }).click();
    await waitReady(page);
    await waitForHands(page, 2, 120_000);

    // 5. the WebGL contexts of the overlay and of the 3D view are lost and come back: the picture,
    //    its layers and the 3D meshes are drawn again, without a reload
    await page.locator('.lil-controller', { hasText: '3D view' }).locator('input[type=checkbox]').click();
    await page.waitForFunction(() => (window.__handsLastResult?.hands ?? []).length === 2 && window.__handsLastResult!.hands.every((h) => h.mesh), null, {
      timeout: 60_000,
      polling: 100,
    });
    // the screenshots of the canvases include what lies over them: the restart notice (8 s, over the
    // 3D view's corner) once made the 'before' figure 34 % where the canvas alone drew 24 %
    await expect.poll(() => page.locator('#notice').isHidden(), { timeout: 20_000 }).toBe(true);
    await page.waitForTimeout(300);
    for (const [what, selector] of [
      ['overlay', '.overlay-canvas'],
      ['3D view', '.view3d canvas'],
    ] as const) {
      const drawnBefore = await settledDrawnFraction(page, selector);
      await page.evaluate((selector) => {
        const canvas = document.querySelector<HTMLCanvasElement>(selector)!;
        const ext = canvas.getContext('webgl2')!.getExtension('WEBGL_lose_context')!;
        (window as unknown as { __lose: WEBGL_lose_context }).__lose = ext;
        ext.loseContext();
      }, selector);
      await page.waitForTimeout(300);
      const drawnLost = await drawnFraction(page, selector);
      const tRestore = Date.now();
      await page.evaluate(() => (window as unknown as { __lose: WEBGL_lose_context }).__lose.restoreContext());
      await expect.poll(() => drawnFraction(page, selector), { timeout: 10_000 }).toBeGreaterThan(drawnBefore * 0.95);
      const drawnAfter = await drawnFraction(page, selector);
      log(
        `${what} context: ${(100 * drawnBefore).toFixed(1)} % of the canvas drawn before, ${(100 * drawnLost).toFixed(1)} % while lost, ${(100 * drawnAfter).toFixed(1)} % ${Date.now() - tRestore} ms after the restore`,
      );
      expect(drawnLost).toBeLessThan(drawnBefore * 0.5);
      expect(Math.abs(drawnAfter - drawnBefore)).toBeLessThan(0.1 * drawnBefore);
    }
    await page.locator('.lil-controller', { hasText: '3D view' }).locator('input[type=checkbox]').click();
    // and the page still analyses
    await clearResult(page);
    await dropFile(page, 'hands.jpg', 'image/jpeg', readFileSync(PHOTO));
    await waitForHands(page, 2);

    expect(foreignRequests(requests, session.origin)).toEqual([]);
    // the injected exception is reported by the browser, and three.js says it lost its context: nothing else
    expect(errors.filter((e) => !/injected by the test|CONTEXT_LOST_WEBGL|Context Lost/.test(e))).toEqual([]);
    log(`camera + worker + overlay test total ${seconds(Date.now() - t0)}`);
  });

  it('a missing, truncated or tampered model file: a clear error naming the file, and Retry', async () => {
    const browser = await session.launch();
    const t0 = Date.now();
    const landmarks = readFileSync(join(MODELS, 'handlandmark-full.bin'));
    const manifest = JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8'));
    const tampered = Buffer.from(landmarks);
    for (let i = 1000; i < 1100; i++) tampered[i] ^= 0xff; // same size, different weights
    expect(createHash('sha256').update(tampered).digest('hex')).not.toBe(manifest.models['handlandmark-full'].files['handlandmark-full.bin'].sha256);
    const cases = [
      {
        what: 'handlandmark-full.bin truncated to 1 MB',
        file: 'handlandmark-full.bin',
        body: landmarks.subarray(0, 1_000_000),
        status: 200,
        code: 'model-corrupt',
        message: /handlandmark-full\.bin has 1000000 bytes, expected 5431368 \(truncated or replaced\)/,
      },
      {
        what: 'handlandmark-full.bin tampered (100 bytes flipped, same size)',
        file: 'handlandmark-full.bin',
        body: tampered,
        status: 200,
        code: 'model-corrupt',
        message: /handlandmark-full\.bin does not match its sha256 in manifest\.json/,
      },
      {
        what: 'palmdetect-full.bin missing (HTTP 404)',
        file: 'palmdetect-full.bin',
        body: Buffer.from('not found'),
        status: 404,
        code: 'model-missing',
        message: /palmdetect-full\.bin could not be read: .*HTTP 404/,
      },
    ];
    for (const c of cases) {
      const t = Date.now();
      const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
      const fetched: string[] = [];
      context.on('request', (r) => fetched.push(r.url()));
      // context-level routes reach the inference worker's requests too
      await context.route(`**/models/${c.file}`, (route) => route.fulfill({ status: c.status, body: c.body, contentType: 'application/octet-stream' }));
      const page = await context.newPage();
      await page.goto(`${session.origin}/?backend=wasm`);
      await page.waitForFunction(() => document.body.dataset.state !== 'loading', null, { timeout: 120_000 });
      expect(await page.evaluate(() => document.body.dataset.state)).toBe('error');
      expect(await banner(page).getAttribute('data-code')).toBe(c.code);
      const text = await banner(page).innerText();
      expect(text).toMatch(c.message);
      expect(text).toContain('Press Retry');
      expect(
        fetched.some((u) => u.endsWith(`/models/${c.file}`)),
        'the request came from the worker',
      ).toBe(true);
      log(`${c.what}: ${c.code} after ${seconds(Date.now() - t)}: "${text.replace(/\s*Retry\s*×\s*$/, '').replace(/\n/g, ' ')}"`);
      if (c.code === 'model-corrupt' && c.status === 200 && c.body === tampered) await docScreenshot(page, 'reliability-model-tampered.png');
      if (c.status === 404) {
        // the file is back (e.g. a deploy finished): Retry loads the models without reloading the page
        await context.unroute(`**/models/${c.file}`);
        await banner(page).getByRole('button', { name: 'Retry' }).click();
        await waitReady(page);
        await dropFile(page, 'hands.jpg', 'image/jpeg', readFileSync(PHOTO));
        await waitForHands(page, 2);
        log('after the 404: Retry loaded the models, the photo was analysed');
      }
      await context.close();
    }
    log(`model files test total ${seconds(Date.now() - t0)}`);
  });
});
