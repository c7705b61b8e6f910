import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { FrameResult } from '../../src/core/types';
import {
  clearResult,
  dropFile,
  FAKE_CAMERA_ARGS,
  foreignRequests,
  hudValue,
  openRecordedPage,
  pageTestSession,
  REPO_ROOT,
  waitForHands,
  waitReady,
  stillClip,
} from './harness';

const FIXTURE = join(REPO_ROOT, 'tests/fixtures/hands.jpg');
const SCREENSHOT = join(REPO_ROOT, 'docs/screenshot.png');
/** MediaPipe's wrists on hands.jpg, image pixels (any order). */
const EXPECTED_WRISTS = [
  [580, 34],
  [138, 343],
] as const;
const WRIST_TOLERANCE_PX = 25;

const session = pageTestSession();

const lastResult = (page: Page) => page.evaluate(() => window.__handsLastResult) as Promise<FrameResult>;

/** Each reported wrist is within tolerance of a different expected wrist. */
function expectWrists(result: FrameResult): void {
  expect(result.hands).toHaveLength(2);
  const used = new Set<number>();
  for (const hand of result.hands) {
    const w = hand.keypoints2d[0];
    const dists = EXPECTED_WRISTS.map(([x, y]) => Math.hypot(w.x - x, w.y - y));
    const best = dists.indexOf(Math.min(...dists));
    expect(dists[best], `wrist at (${w.x.toFixed(0)}, ${w.y.toFixed(0)})`).toBeLessThan(WRIST_TOLERANCE_PX);
    used.add(best);
  }
  expect(used.size).toBe(2);
}

const log = (what: string, ms: number) => console.log(`[e2e] ${what}: ${(ms / 1000).toFixed(2)} s`);

describe('hand tracking page', () => {
  it('analyses a picked and a dropped image, survives a broken file, toggles layers, stays on its origin', async () => {
    const browser = await session.launch();
    const t0 = Date.now();
    const { page, requests, errors } = await openRecordedPage(browser, `${session.origin}/`);
    const readyAt = await waitReady(page);
    log('page load to models ready', readyAt);
    expect(await hudValue(page, 'mode')).toBe('worker');
    const backend = await hudValue(page, 'backend');
    const note = await page.locator('[data-hud="note"]').innerText();
    console.log(`[e2e] backend: ${backend}; ${note}`);
    // without a GPU, WebGL exists only as a software rasteriser: the page must say why it chose WASM
    if (backend === 'WASM') expect(note).toMatch(/WebGL has no GPU here \(software only\)|WebGL.*unavailable/);

    // 1. file picker
    await page.setInputFiles('#file-input', FIXTURE);
    await waitForHands(page, 2);
    const firstAt = await page.evaluate(() => performance.now());
    log('page load to first result', firstAt);
    log('first image: models ready to result', firstAt - readyAt);
    expectWrists(await lastResult(page));

    // 2. a text file named .jpg: an error banner, and the page keeps working
    await dropFile(page, 'notes.jpg', 'image/jpeg', Buffer.from('this is not a JPEG\n'));
    await expect.poll(() => page.locator('#banner').getAttribute('data-code')).toBe('unsupported-file');
    expect(await page.locator('#banner').isVisible()).toBe(true);
    expect(await page.locator('#banner').innerText()).toContain('notes.jpg');

    // 3. drag and drop
    await clearResult(page);
    const tDrop = Date.now();
    await dropFile(page, 'hands.jpg', 'image/jpeg', readFileSync(FIXTURE));
    await waitForHands(page, 2);
    log('dropped image to result', Date.now() - tDrop);
    const dropped = await lastResult(page);
    expectWrists(dropped);
    expect(await page.locator('#banner').isVisible()).toBe(false);
    const t = dropped.timings;
    console.log(
      `[e2e] HUD stages (ms): input ${t.inputMs.toFixed(1)}, detect ${t.detectMs.toFixed(1)}, landmarks ${t.landmarksMs.toFixed(1)}, post ${t.postMs.toFixed(1)}, total ${t.totalMs.toFixed(1)} (${dropped.backend})`,
    );
    expect(await hudValue(page, 'hands')).toBe('2');

    // 4. a layer toggle in the panel hides that layer
    const labels = page.locator('.hand-label:visible');
    await expect.poll(() => labels.count()).toBe(2);
    const labelsToggle = page.locator('.lil-controller', { hasText: 'Labels' }).locator('input[type=checkbox]');
    await labelsToggle.click();
    await expect.poll(() => page.locator('#view').getAttribute('data-layers')).toBe('keypoints skeleton boxes gestures');
    await expect.poll(() => labels.count()).toBe(0);
    await labelsToggle.click();
    await expect.poll(() => page.locator('#view').getAttribute('data-layers')).toBe('keypoints skeleton boxes labels gestures');
    await expect.poll(() => labels.count()).toBe(2);

    mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    // 5. nothing left this origin, nothing broke
    expect(
      requests.some((u) => u.endsWith('/models/palmdetect-full.bin')),
      'worker requests are recorded',
    ).toBe(true);
    expect(foreignRequests(requests, session.origin)).toEqual([]);
    expect(errors).toEqual([]);
    log('test 1 total', Date.now() - t0);
  });

  it('runs the webcam (fake device): frames flow, stop works', async () => {
    const browser = await session.launch(FAKE_CAMERA_ARGS);
    const t0 = Date.now();
    const { page, requests, errors } = await openRecordedPage(browser, `${session.origin}/?backend=wasm`);
    await waitReady(page);
    expect(await hudValue(page, 'backend')).toBe('WASM');
    await page.getByRole('button', { name: 'Start camera' }).click();
    await expect.poll(async () => Number(await hudValue(page, 'fps')), { timeout: 60_000 }).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.body.dataset.hands)).toBeDefined();
    const frame = await lastResult(page);
    expect(frame.width).toBeGreaterThan(0);
    console.log(`[e2e] webcam: ${frame.width}x${frame.height}, FPS ${await hudValue(page, 'fps')}, total ${frame.timings.totalMs.toFixed(1)} ms`);
    expect(await page.locator('#view').getAttribute('data-mirrored')).toBe('true');

    await page.getByRole('button', { name: 'Stop camera' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Start camera' }).isVisible()).toBe(true);
    expect(await page.locator('#placeholder').isVisible()).toBe(true);
    expect(await hudValue(page, 'fps')).toBe('-');
    // no results after stop (a frame still in flight is dropped as stale)
    await clearResult(page);
    await page.waitForTimeout(1500);
    expect(await page.evaluate(() => document.body.dataset.hands)).toBeUndefined();
    expect(foreignRequests(requests, session.origin)).toEqual([]);
    expect(errors).toEqual([]);
    log('test 2 total', Date.now() - t0);
  });

  it('plays a video file in a loop and tracks the hands in video mode', async () => {
    // a 2 s VP8 clip of the fixture photo, made with Debian's ffmpeg (a test dependency)
    const video = join(mkdtempSync(join(tmpdir(), 'hands-e2e-')), 'hands.webm');
    stillClip(FIXTURE, 2, video);
    const browser = await session.launch();
    const t0 = Date.now();
    const { page, requests, errors } = await openRecordedPage(browser, `${session.origin}/?backend=wasm`);
    await waitReady(page);
    await page.setInputFiles('#file-input', video);
    // video mode: after the first detection the hands are followed from frame to frame
    await expect
      .poll(() => page.evaluate(() => window.__handsLastResult?.hands.filter((h) => h.source === 'tracking').length ?? 0), { timeout: 60_000 })
      .toBe(2);
    expectWrists(await lastResult(page));
    await expect.poll(async () => Number(await hudValue(page, 'fps')), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(foreignRequests(requests, session.origin)).toEqual([]);
    expect(errors).toEqual([]);
    log('test 3 total', Date.now() - t0);
  });

  it('explains a denied camera with a Retry button; files and options still work (main-thread inference)', async () => {
    const browser = await session.launch();
    const t0 = Date.now();
    const { page, requests, errors } = await openRecordedPage(browser, `${session.origin}/?inference=main&backend=wasm`, () => {
      (window as unknown as { __cameraCalls: number }).__cameraCalls = 0;
      navigator.mediaDevices.getUserMedia = async () => {
        (window as unknown as { __cameraCalls: number }).__cameraCalls++;
        throw new DOMException('Permission denied', 'NotAllowedError');
      };
    });
    await waitReady(page);
    expect(await hudValue(page, 'mode')).toBe('main thread');
    expect(await hudValue(page, 'mode-note')).toContain('?inference=main');

    await page.getByRole('button', { name: 'Start camera' }).click();
    const banner = page.locator('#banner');
    await expect.poll(() => banner.getAttribute('data-code')).toBe('camera-denied');
    expect(await banner.innerText()).toContain('Camera permission was denied');
    const retry = banner.getByRole('button', { name: 'Retry' });
    await retry.click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __cameraCalls: number }).__cameraCalls)).toBe(2);
    await expect.poll(() => banner.getAttribute('data-code')).toBe('camera-denied');

    await dropFile(page, 'hands.jpg', 'image/jpeg', readFileSync(FIXTURE));
    await waitForHands(page, 2);
    expectWrists(await lastResult(page));
    expect(await banner.isVisible()).toBe(false);

    // options re-analyse the shown image: one hand at most, then the lite landmark model
    await clearResult(page);
    const maxHands = page.locator('.lil-controller', { hasText: 'Max hands' }).locator('input');
    await maxHands.fill('1');
    await maxHands.press('Enter');
    await waitForHands(page, 1);
    await clearResult(page);
    await page.locator('.lil-controller', { hasText: 'Landmark model' }).locator('select').selectOption('lite');
    await waitForHands(page, 1);
    expect(foreignRequests(requests, session.origin)).toEqual([]);
    expect(errors).toEqual([]);
    log('test 4 total', Date.now() - t0);
  });

  it('runs on WebGL when asked to, even a software one (the GPU code path); recovers from a lost WebGL context without a reload', async () => {
    const browser = await session.launch();
    const t0 = Date.now();
    const { page, requests, errors } = await openRecordedPage(browser, `${session.origin}/?backend=webgl`);
    await waitReady(page);
    expect(await hudValue(page, 'backend')).toBe('WebGL');
    await page.setInputFiles('#file-input', FIXTURE);
    await waitForHands(page, 2);
    const r = await lastResult(page);
    expect(r.backend).toBe('webgl');
    expectWrists(r);
    log('test 5 (WebGL) to first result', Date.now() - t0);

    // TF.js's WebGL context is lost (a GPU reset or driver update; here WEBGL_lose_context on the
    // worker's context): a read-back would never finish, so the analysis restarts on a fresh
    // context, and the photo on screen is analysed again; the page is not reloaded
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await clearResult(page);
    const tLost = Date.now();
    const worker = page.workers().find((w) => w.url().includes('inference.worker'))!;
    const lost = await worker.evaluate(() => {
      const gl = self.__handsInference!.webglContext()!;
      gl.getExtension('WEBGL_lose_context')!.loseContext();
      return gl.isContextLost();
    });
    expect(lost).toBe(true);
    await expect.poll(() => page.evaluate(() => document.body.dataset.restarts)).toBe('1');
    expect(await page.locator('#notice').innerText()).toContain('the GPU context (WebGL) was lost');
    log('WebGL context lost to restart notice', Date.now() - tLost);
    await waitForHands(page, 2, 180_000);
    const again = await lastResult(page);
    expect(again.backend).toBe('webgl');
    expectWrists(again);
    expect(await hudValue(page, 'backend')).toBe('WebGL');
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    log('WebGL context lost to the photo analysed again (new context, models reloaded, shaders recompiled)', Date.now() - tLost);
    expect(foreignRequests(requests, session.origin)).toEqual([]);
    expect(errors).toEqual([]);
    log('test 5 (WebGL) total', Date.now() - t0);
  });
});
