import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foreignRequests, hudValue, lastResult, openRecordedPage, pageTestSession, REPO_ROOT, waitForHands, waitReady } from './harness';

// Issue 15 item 1: the dev server sends COOP/COEP, so the page is cross-origin isolated and TF.js's
// WASM backend runs its threaded SIMD binary in the inference worker; ?threads=1 forces one.
const FIXTURE = join(REPO_ROOT, 'tests/fixtures/hands.jpg');
/** The default in src/core/backend.ts (MAX_DEFAULT_WASM_THREADS), on this machine's cores. */
const expectedThreads = (cores: number) => Math.max(1, Math.min(4, cores));
/** The threaded binary itself was fetched (in dev, wasmPaths.ts's `?url` imports of all three binaries are requests too, with a query). */
const fetchedThreadedBinary = (requests: readonly string[]) =>
  requests.some((u) => !u.startsWith('data:') && new URL(u).pathname.endsWith('/tfjs-backend-wasm-threaded-simd.wasm') && new URL(u).search === '');

const session = pageTestSession();

describe('WASM threads in the page', () => {
  it('is cross-origin isolated, runs WASM on N threads (1 with ?threads=1), and still finds the two hands of hands.jpg', async () => {
    const browser = await session.launch();
    const { page, requests, errors } = await openRecordedPage(browser, `${session.origin}/?backend=wasm`);
    await waitReady(page);
    const { isolated, cores } = await page.evaluate(() => ({ isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency }));
    expect(isolated).toBe(true);
    expect(await hudValue(page, 'backend')).toBe('WASM');
    const threads = Number(await hudValue(page, 'threads'));
    console.log(`[e2e threads] crossOriginIsolated ${isolated}, ${cores} logical cores, HUD threads ${threads}`);
    expect(threads).toBe(expectedThreads(cores));
    if (cores >= 2) expect(threads).toBeGreaterThan(1);

    await page.setInputFiles('#file-input', FIXTURE);
    await waitForHands(page, 2);
    expect((await lastResult(page)).hands).toHaveLength(2);
    expect(fetchedThreadedBinary(requests), 'the threaded binary was loaded').toBe(true);
    expect(foreignRequests(requests, session.origin)).toEqual([]);
    expect(errors).toEqual([]);

    const one = await openRecordedPage(browser, `${session.origin}/?backend=wasm&threads=1`);
    await waitReady(one.page);
    expect(await hudValue(one.page, 'threads')).toBe('1');
    expect(await one.page.locator('[data-hud="threads"]').getAttribute('title')).toContain('?threads=1');
    expect(fetchedThreadedBinary(one.requests), 'one thread: the plain SIMD binary').toBe(false);
    expect(one.errors).toEqual([]);
  }, 300_000);
});
