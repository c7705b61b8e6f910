import type { Browser, BrowserContext, Page } from 'playwright-core';
export { CHROMIUM, CHROMIUM_ARGS, FAKE_CAMERA_ARGS, launchChromium, startDevServer } from '../../src/cli/browser';
export { REPO_ROOT } from '../../src/cli/paths';

/** A page with everything it requested and every error it printed, recorded. */
export interface RecordedPage {
  context: BrowserContext;
  page: Page;
  requests: string[];
  errors: string[];
}

export async function openRecordedPage(browser: Browser, url: string, init?: () => void): Promise<RecordedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
  const requests: string[] = [];
  const errors: string[] = [];
  // context-level: includes requests made by the inference worker
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  return { context, page, requests, errors };
}

/** Waits until the models are loaded (or loading failed); returns ms since navigation start. */
export async function waitReady(page: Page, timeoutMs = 180_000): Promise<number> {
  await page.waitForFunction(() => document.body.dataset.state !== 'loading', null, { timeout: timeoutMs, polling: 100 });
  const state = await page.evaluate(() => document.body.dataset.state);
  if (state !== 'ready') {
    const banner = await page.locator('#banner').innerText().catch(() => '');
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
