import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { build, type Plugin, type PreviewServer, preview } from 'vite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { foreignRequests, hudValue, launchChromium, openRecordedPage, REPO_ROOT, waitForHands, waitReady } from './harness';

const FIXTURE = join(REPO_ROOT, 'tests/fixtures/hands.jpg');
const HOST = '127.0.0.1';

/** A second deployment of the same app: index.html differs, so the service worker's precache list does. */
const NEXT_VERSION_MARK = '<!-- next version -->';
const nextVersion: Plugin = { name: 'next-version', transformIndexHtml: (html) => html.replace('</body>', `${NEXT_VERSION_MARK}</body>`) };

const log = (what: string, ms: number) => console.log(`[e2e] ${what}: ${(ms / 1000).toFixed(2)} s`);

async function buildSite(outDir: string, plugins: Plugin[] = []): Promise<void> {
  await build({ root: REPO_ROOT, configFile: join(REPO_ROOT, 'vite.config.ts'), logLevel: 'warn', plugins, build: { outDir, emptyOutDir: true } });
}

/**
 * The built site on a plain static server: no vite.config.ts, so neither the models middleware nor
 * the cross-origin isolation headers; models/ is served from the build, as a static host would.
 */
async function serveStatic(outDir: string, port = 0): Promise<{ server: PreviewServer; origin: string }> {
  const server = await preview({ root: REPO_ROOT, configFile: false, logLevel: 'warn', build: { outDir }, preview: { host: HOST, port, strictPort: true } });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no port');
  return { server, origin: `http://${HOST}:${address.port}` };
}

describe('offline app (built site, service worker)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hands-offline-'));
  const site = join(dir, 'site');
  const nextSite = join(dir, 'next');
  let server: PreviewServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const t0 = Date.now();
    await buildSite(site);
    await buildSite(nextSite, [nextVersion]);
    log('two builds', Date.now() - t0);
  });
  afterEach(async () => {
    await browser?.close();
    browser = undefined;
    await server?.close();
    server = undefined;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('after one visit, loads and finds hands with no network, cross-origin isolated by the service worker', async () => {
    const served = await serveStatic(site);
    server = served.server;
    browser = await launchChromium();
    const { context, page, requests, errors } = await openRecordedPage(browser, `${served.origin}/`);
    await waitReady(page);
    // a host without the headers: not isolated on the first visit
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    const t0 = Date.now();
    // active means installed, and installing means precaching everything
    expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state)).toMatch(/^activat/);
    log('service worker active (precache done)', Date.now() - t0);
    await expect.poll(() => page.locator('#update').innerText()).toContain('works offline');

    // the host is gone and the browser offline
    await server.close();
    server = undefined;
    await context.setOffline(true);
    const t1 = Date.now();
    await page.reload();
    await waitReady(page);
    log('offline reload to models ready', Date.now() - t1);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    // isolated now: the service worker added COOP/COEP, so WASM runs on threads
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const threads = Number(await hudValue(page, 'threads'));
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    console.log(`[e2e] offline: backend ${await hudValue(page, 'backend')}, ${threads} WASM threads (${cores} cores)`);
    if ((await hudValue(page, 'backend')) === 'WASM' && cores >= 2) expect(threads).toBeGreaterThan(1);

    const t2 = Date.now();
    await page.setInputFiles('#file-input', FIXTURE);
    await waitForHands(page, 2);
    log('offline: image to two hands', Date.now() - t2);
    expect(await page.evaluate(() => window.__handsLastResult?.hands.length)).toBe(2);

    expect(foreignRequests(requests, served.origin)).toEqual([]);
    expect(errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });

  it('offers a new deployment with a Reload button, and never applies it by itself', async () => {
    const served = await serveStatic(site);
    server = served.server;
    browser = await launchChromium();
    const { page, requests } = await openRecordedPage(browser, `${served.origin}/`);
    await waitReady(page);
    await page.evaluate(() => navigator.serviceWorker.ready);

    // the next version goes up on the same origin; a reload finds it
    await server.close();
    const port = Number(new URL(served.origin).port);
    server = (await serveStatic(nextSite, port)).server;
    await page.reload();
    await waitReady(page);
    expect(await page.content()).not.toContain(NEXT_VERSION_MARK); // still the cached version
    await expect.poll(() => page.locator('#update .update-reload').isVisible(), { timeout: 60_000 }).toBe(true);
    expect(await page.locator('#update').innerText()).toContain('new version');

    await Promise.all([page.waitForEvent('load'), page.locator('#update .update-reload').click()]);
    await waitReady(page);
    expect(await page.content()).toContain(NEXT_VERSION_MARK);
    expect(foreignRequests(requests, served.origin)).toEqual([]);
  });
});
