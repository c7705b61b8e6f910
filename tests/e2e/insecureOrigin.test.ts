import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Plugin, ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, REPO_ROOT, startDevServer, waitReady } from './harness';

// Issue 15 item 6: served over plain http on a LAN address the page is not a secure context, so
// crypto.subtle is missing there. The model files' sha256 check must still run (JS fallback):
// intact models load, a tampered one is refused with the model-corrupt error.
const MODELS = join(REPO_ROOT, 'models');
const log = (what: string) => console.log(`[e2e insecure origin] ${what}`);

/** The machine's first non-loopback IPv4 address, or undefined on a box with none. */
function lanAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}

/** Without a LAN address: a made-up name that chromium maps to loopback (still not "localhost", so still insecure). */
const MAPPED_NAME = 'hands-lan.test';
const allowMappedName: Plugin = { name: 'allow-mapped-name', config: () => ({ server: { allowedHosts: [MAPPED_NAME] } }) };

let server: ViteDevServer | undefined;
let origin = '';
let browserArgs: string[] = [];
let browser: Browser | undefined;

beforeAll(async () => {
  const lan = lanAddress();
  if (lan) {
    ({ server, origin } = await startDevServer([], lan));
  } else {
    ({ server, origin } = await startDevServer([allowMappedName]));
    origin = origin.replace('127.0.0.1', MAPPED_NAME);
    browserArgs = [`--host-resolver-rules=MAP ${MAPPED_NAME} 127.0.0.1`];
  }
  log(`page served at ${origin}`);
  browser = await launchChromium(browserArgs);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Secure-context facts of the page and of its inference worker (where the models are checked). */
async function contexts(page: Page): Promise<{ page: [boolean, string]; workers: Array<[boolean, string]> }> {
  const probe = () => [self.isSecureContext, typeof globalThis.crypto?.subtle] as [boolean, string];
  return { page: await page.evaluate(probe), workers: await Promise.all(page.workers().map((w) => w.evaluate(probe))) };
}

describe('models on an insecure origin (no crypto.subtle)', () => {
  it('intact models load; a tampered handlandmark-full.bin is refused with model-corrupt', async () => {
    // intact: proves the fallback's digests match the manifest (otherwise every file would be refused)
    let context = await browser!.newContext();
    let page = await context.newPage();
    let t = Date.now();
    await page.goto(`${origin}/?backend=wasm`);
    await waitReady(page);
    const facts = await contexts(page);
    log(`intact models ready after ${Date.now() - t} ms; page secure=${facts.page[0]} subtle=${facts.page[1]}; workers ${JSON.stringify(facts.workers)}`);
    expect(facts.page).toEqual([false, 'undefined']);
    expect(facts.workers.length).toBeGreaterThan(0);
    for (const w of facts.workers) expect(w).toEqual([false, 'undefined']);
    await context.close();

    // tampered: same size, 100 bytes flipped
    const tampered = Buffer.from(readFileSync(join(MODELS, 'handlandmark-full.bin')));
    for (let i = 1000; i < 1100; i++) tampered[i] ^= 0xff;
    context = await browser!.newContext();
    // context-level routes reach the inference worker's requests too
    await context.route('**/models/handlandmark-full.bin', (route) => route.fulfill({ status: 200, body: tampered, contentType: 'application/octet-stream' }));
    page = await context.newPage();
    t = Date.now();
    await page.goto(`${origin}/?backend=wasm`);
    await page.waitForFunction(() => document.body.dataset.state !== 'loading', null, { timeout: 120_000 });
    expect(await page.evaluate(() => [self.isSecureContext, typeof globalThis.crypto?.subtle])).toEqual([false, 'undefined']);
    expect(await page.evaluate(() => document.body.dataset.state)).toBe('error');
    const banner = page.locator('#banner');
    expect(await banner.getAttribute('data-code')).toBe('model-corrupt');
    const text = await banner.innerText();
    expect(text).toMatch(/handlandmark-full\.bin does not match its sha256 in manifest\.json/);
    log(`tampered: refused after ${Date.now() - t} ms: "${text.replace(/\n/g, ' ')}"`);
    await context.close();
  });
});
