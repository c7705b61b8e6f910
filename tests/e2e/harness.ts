import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { FrameResult } from '../../src/core/types';
import { REPO_ROOT } from '../../src/cli/paths';
import type { ViteDevServer } from 'vite';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchChromium, startDevServer } from '../../src/cli/browser';
export { CHROMIUM, CHROMIUM_ARGS, FAKE_CAMERA_ARGS, launchChromium, startDevServer } from '../../src/cli/browser';
export { REPO_ROOT };

/**
 * The usual life of a page test file: one dev server for the whole file, a fresh browser per test,
 * closed after it even when the test fails. Registers the vitest hooks; read `origin` in tests.
 */
export function pageTestSession(): { readonly origin: string; launch(args?: string[]): Promise<Browser> } {
  let server: ViteDevServer | undefined;
  let origin = '';
  let browser: Browser | undefined;
  beforeAll(async () => {
    ({ server, origin } = await startDevServer());
  });
  afterEach(async () => {
    await browser?.close();
    browser = undefined;
  });
  afterAll(async () => {
    await server?.close();
  });
  return {
    get origin() {
      return origin;
    },
    async launch(args?: string[]) {
      browser = await launchChromium(args);
      return browser;
    },
  };
}

/** A page with everything it requested and every error it printed, recorded. */
export interface RecordedPage {
  context: BrowserContext;
  page: Page;
  requests: string[];
  /** WebSocket URLs the page opened. */
  websockets: string[];
  errors: string[];
}

export async function openRecordedPage(browser: Browser, url: string, init?: () => void): Promise<RecordedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
  const requests: string[] = [];
  const errors: string[] = [];
  // context-level: includes requests made by the inference worker
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  const websockets: string[] = [];
  page.on('websocket', (ws) => websockets.push(ws.url()));
  if (init) await page.addInitScript(init);
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  return { context, page, requests, websockets, errors };
}

/** Waits until the models are loaded (or loading failed); returns ms since navigation start. */
export async function waitReady(page: Page, timeoutMs = 180_000): Promise<number> {
  await page.waitForFunction(() => document.body.dataset.state !== 'loading', null, { timeout: timeoutMs, polling: 100 });
  const state = await page.evaluate(() => document.body.dataset.state);
  if (state !== 'ready') {
    const banner = await page
      .locator('#banner')
      .innerText()
      .catch(() => '');
    throw new Error(`page state is ${state}: ${banner}`);
  }
  return page.evaluate(() => performance.now());
}

/** Forgets the last result, so the next wait sees only a new one. */
export async function clearResult(page: Page): Promise<void> {
  await page.evaluate(() => {
    delete document.body.dataset.hands;
    delete window.__handsLastResult;
  });
}

export async function waitForHands(page: Page, count: number, timeoutMs = 120_000): Promise<void> {
  await page.waitForFunction((n) => document.body.dataset.hands === String(n), count, { timeout: timeoutMs, polling: 100 });
}

/** Drops a file on the page the way a browser does: a drop event carrying a DataTransfer. */
export async function dropFile(page: Page, name: string, mimeType: string, bytes: Buffer): Promise<void> {
  await page.evaluate(
    ({ name, mimeType, base64 }) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name, { type: mimeType }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
      }
    },
    { name, mimeType, base64: bytes.toString('base64') },
  );
}

export async function hudValue(page: Page, key: string): Promise<string> {
  return page.locator(`[data-hud="${key}"]`).innerText();
}

/** Requests that left the page's origin (data: URLs stay in the page; blob: URLs carry its origin). */
export function foreignRequests(requests: readonly string[], origin: string): string[] {
  return requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin);
}

export { pngBomb } from '../helpers/pngBomb';

export const lastResult = (page: Page) => page.evaluate(() => window.__handsLastResult) as Promise<FrameResult>;

/** Results the page has received so far (window.__handsStats). */
export const resultCount = (page: Page) => page.evaluate(() => window.__handsStats?.results ?? 0);

/** Waits until the page has received more than `after` results; returns the new count. */
export async function waitForResults(page: Page, after: number, timeoutMs = 120_000): Promise<number> {
  await page.waitForFunction((n) => (window.__handsStats?.results ?? 0) > n, after, { timeout: timeoutMs, polling: 50 });
  return resultCount(page);
}

/** A screenshot of the whole page into docs/, for the reliability notes. */
export async function docScreenshot(page: Page, name: string): Promise<string> {
  const path = join(REPO_ROOT, 'docs', name);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path });
  return path;
}

/**
 * JS heap in use (bytes, after a full garbage collection) of the page and of its inference
 * worker, through the DevTools protocol (the worker is reached through its target session).
 */
export class HeapMeter {
  private nextId = 1;
  private readonly waiting = new Map<number, (result: { usedSize: number }) => void>();
  private workerSession = '';

  private constructor(private readonly cdp: CDPSession) {
    cdp.on('Target.attachedToTarget', (e) => {
      if (e.targetInfo.type === 'worker') this.workerSession = e.sessionId;
    });
    cdp.on('Target.receivedMessageFromTarget', (e) => {
      const msg = JSON.parse(e.message) as { id?: number; result?: { usedSize: number } };
      if (msg.id !== undefined && msg.result) this.waiting.get(msg.id)?.(msg.result);
    });
  }

  static async attach(page: Page): Promise<HeapMeter> {
    const meter = new HeapMeter(await page.context().newCDPSession(page));
    await meter.cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    return meter;
  }

  async page(): Promise<number> {
    await this.cdp.send('HeapProfiler.collectGarbage');
    return (await this.cdp.send('Runtime.getHeapUsage')).usedSize;
  }

  /** The worker's heap, or NaN when no worker is attached (main-thread mode). */
  async worker(): Promise<number> {
    if (!this.workerSession) return NaN;
    await this.toWorker('HeapProfiler.collectGarbage');
    return (await this.toWorker('Runtime.getHeapUsage')).usedSize;
  }

  private toWorker(method: string): Promise<{ usedSize: number }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer from the worker`)), 30_000);
      this.waiting.set(id, (r) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(r);
      });
      void this.cdp.send('Target.sendMessageToTarget', { sessionId: this.workerSession, message: JSON.stringify({ id, method }) }).catch(reject);
    });
  }
}

export const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** RGB pixels of a PNG (e.g. an element screenshot). */
export interface RgbImage {
  data: Buffer;
  width: number;
  height: number;
}

/** 1 where two same-size images differ by more than `threshold` (sum over RGB), else 0. */
export function changedPixels(a: RgbImage, b: RgbImage, threshold = 40): Uint8Array {
  const out = new Uint8Array(a.width * a.height);
  for (let i = 0; i < out.length; i++) {
    const d = Math.abs(a.data[3 * i] - b.data[3 * i]) + Math.abs(a.data[3 * i + 1] - b.data[3 * i + 1]) + Math.abs(a.data[3 * i + 2] - b.data[3 * i + 2]);
    out[i] = d > threshold ? 1 : 0;
  }
  return out;
}

/** Intersection over union of two 0/1 masks. */
export function maskIoU(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    inter += a[i] & b[i];
    union += a[i] | b[i];
  }
  return union ? inter / union : 0;
}

/** A mask mirrored left-right. */
export function flipMaskX(mask: Uint8Array, width: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = mask[i - (i % width) + (width - 1 - (i % width))];
  return out;
}

/**
 * A VP8 WebM clip of a still photo (Debian's ffmpeg; Debian's chromium plays no H.264): `seconds`
 * long at 10 fps, written to `out`. Returns `out`.
 */
export function stillClip(photo: string, seconds: number, out: string): string {
  const args = ['-v', 'error', '-y', '-loop', '1', '-i', photo, '-t', String(seconds), '-r', '10'];
  execFileSync('ffmpeg', [...args, '-c:v', 'libvpx', '-b:v', '1M', '-deadline', 'realtime', '-pix_fmt', 'yuv420p', out]);
  return out;
}
