import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dropFile,
  foreignRequests,
  HeapMeter,
  lastResult,
  launchChromium,
  MB,
  openRecordedPage,
  REPO_ROOT,
  resultCount,
  startDevServer,
  waitForResults,
  waitReady,
} from './harness';

// Soak: many frames through the whole pipeline (detection, tracking, landmarks, filter, mesh fit)
// in the page's worker on WASM, and many image drops in a row: the TF.js tensor count must stay
// flat and the JS heaps (page and worker) must not grow without bound. Then privacy, on the same
// page: every request it (and its worker) made from load through those frames went to its own
// origin, under a Content-Security-Policy without remote sources.
// CI runs a short soak with the same assertions; HANDS_SOAK_FRAMES=2000 HANDS_SOAK_DROPS=1000 is the
// issue's full length (measured once, figures in docs/reliability.md).
const FRAMES = Number(process.env.HANDS_SOAK_FRAMES ?? 200);
const DROPS = Number(process.env.HANDS_SOAK_DROPS ?? 40);
/** The privacy check needs at least this many video frames analysed. */
const PRIVACY_FRAMES = 200;
/** Drops in a burst, each before the previous one was analysed. */
const BURST = 30;
const WARMUP_FRAMES = 20;
const SAMPLES = 6;
/** Heap growth allowed over the run, after a full GC (page and worker each). */
const HEAP_GROWTH_LIMIT = 8e6;
const VIDEO = join(REPO_ROOT, 'tests/fixtures/asl_hand.25fps.mp4');
const PHOTO = join(REPO_ROOT, 'tests/fixtures/hands.jpg');

let server: ViteDevServer;
let origin: string;
let browser: Browser;
let page: Page;
let requests: string[];
let websockets: string[];
let errors: string[];
let videoFrames = 0;
let meter: HeapMeter;

beforeAll(async () => {
  ({ server, origin } = await startDevServer());
  browser = await launchChromium();
  ({ page, requests, websockets, errors } = await openRecordedPage(browser, `${origin}/?backend=wasm`));
  await waitReady(page);
  meter = await HeapMeter.attach(page);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Sample {
  n: number;
  tensors: number;
  pageHeap: number;
  workerHeap: number;
  wasm: number;
}

async function sample(n: number): Promise<Sample> {
  const worker = page.workers().find((w) => w.url().includes('inference.worker'))!;
  return {
    n,
    tensors: await page.evaluate(() => window.__handsStats!.tensors),
    pageHeap: await meter.page(),
    workerHeap: await meter.worker(),
    wasm: await worker.evaluate(() => self.__handsInference!.wasmMemoryBytes()),
  };
}

/** Prints the curves (start, samples, end) and checks them. */
function report(what: string, samples: Sample[], unit: string): void {
  const first = samples[0];
  const last = samples.at(-1)!;
  const curve = (f: (s: Sample) => string) => samples.map(f).join(' → ');
  console.log(`[e2e soak] ${what}: tensors ${curve((s) => String(s.tensors))} (at ${curve((s) => String(s.n))} ${unit})`);
  console.log(
    `[e2e soak] ${what}: worker JS heap ${curve((s) => MB(s.workerHeap))}; page JS heap ${curve((s) => MB(s.pageHeap))}; WASM memory ${curve((s) => MB(s.wasm))}`,
  );
  console.log(
    `[e2e soak] ${what}: start/end tensors ${first.tensors}/${last.tensors}, worker heap ${MB(first.workerHeap)}/${MB(last.workerHeap)} (${MB(last.workerHeap - first.workerHeap)}), page heap ${MB(first.pageHeap)}/${MB(last.pageHeap)} (${MB(last.pageHeap - first.pageHeap)}), WASM ${MB(first.wasm)}/${MB(last.wasm)}`,
  );
  for (const s of samples) expect(s.tensors, `${what}: tensors at ${s.n} ${unit}`).toBe(first.tensors);
  expect(last.workerHeap - first.workerHeap, `${what}: worker heap growth`).toBeLessThan(HEAP_GROWTH_LIMIT);
  expect(last.pageHeap - first.pageHeap, `${what}: page heap growth`).toBeLessThan(HEAP_GROWTH_LIMIT);
  // the WASM heap grows to its high-water mark on the first frames, then stays
  expect(last.wasm, `${what}: WASM memory`).toBeLessThanOrEqual(samples[1]?.wasm ?? first.wasm);
}

describe('soak and privacy', () => {
  it(`${FRAMES} video frames through the full pipeline (looped clip, tracking, mesh fit, WASM): tensors flat, heaps bounded`, {
    timeout: 120_000 + FRAMES * 400,
  }, async () => {
    const t0 = Date.now();
    await page.locator('.lil-controller', { hasText: 'Mesh' }).locator('input[type=checkbox]').click();
    await page.setInputFiles('#file-input', VIDEO);
    const start = await waitForResults(page, (await resultCount(page)) + WARMUP_FRAMES, 120_000);
    const samples = [await sample(0)];
    const tStart = Date.now();
    for (let i = 1; i <= SAMPLES; i++) {
      const n = await waitForResults(page, start + Math.round((i * FRAMES) / SAMPLES) - 1, 60_000 + FRAMES * 300);
      samples.push(await sample(n - start));
    }
    const frames = samples.at(-1)!.n;
    videoFrames = frames + WARMUP_FRAMES;
    const r = await lastResult(page);
    expect(r.hands.length).toBeGreaterThan(0);
    expect(r.hands[0].mesh, 'the mesh stage ran').toBeDefined();
    console.log(
      `[e2e soak] video: ${frames} frames in ${((Date.now() - tStart) / 1000).toFixed(1)} s (${((1000 * frames) / (Date.now() - tStart)).toFixed(1)} frames/s incl. sampling), clip ${r.width}x${r.height} looped ${(frames / 325).toFixed(1)} times`,
    );
    report('video', samples, 'frames');
    await page.locator('.lil-controller', { hasText: 'Mesh' }).locator('input[type=checkbox]').click();
    console.log(`[e2e soak] video soak total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });

  it(`${DROPS} image drops in a row, then ${BURST} faster than they are analysed: tensors flat, heaps bounded, no queue`, {
    timeout: 120_000 + DROPS * 1500,
  }, async () => {
    const t0 = Date.now();
    const photo = readFileSync(PHOTO);
    const drop = async () => {
      const before = await resultCount(page);
      await dropFile(page, 'hands.jpg', 'image/jpeg', photo);
      await waitForResults(page, before, 60_000);
    };
    for (let i = 0; i < 3; i++) await drop(); // warm-up
    const samples = [await sample(0)];
    for (let i = 1; i <= DROPS; i++) {
      await drop();
      if (i % Math.ceil(DROPS / SAMPLES) === 0 || i === DROPS) samples.push(await sample(i));
    }
    expect((await lastResult(page)).hands).toHaveLength(2);
    console.log(`[e2e soak] drops: ${DROPS} drops in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // a burst: each drop replaces the one still waiting, so the worker never queues more than one
    const before = await resultCount(page);
    const tBurst = Date.now();
    for (let i = 0; i < BURST; i++) await dropFile(page, 'hands.jpg', 'image/jpeg', photo);
    await page.waitForFunction((n) => (window.__handsStats?.results ?? 0) > n && document.body.dataset.hands === '2', before, { timeout: 60_000, polling: 50 });
    await page.waitForTimeout(1500); // anything still queued would show up now
    const analysed = (await resultCount(page)) - before;
    console.log(`[e2e soak] burst: ${BURST} drops in ${Date.now() - tBurst} ms, ${analysed} of them analysed (the others replaced while waiting)`);
    expect(analysed).toBeLessThan(BURST / 2);
    samples.push(await sample(DROPS + BURST));
    report('drops', samples, 'drops');
    expect(foreignRequests(requests, origin)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it(`privacy: every request from load through ${PRIVACY_FRAMES}+ video frames and the drops went to the page's own origin; CSP without remote sources`, async () => {
    expect(videoFrames, 'the video soak ran first').toBeGreaterThanOrEqual(PRIVACY_FRAMES);
    const foreign = foreignRequests(requests, origin);
    const kinds = { models: 0, wasm: 0, code: 0, other: 0 };
    for (const u of requests) {
      const path = u.startsWith('data:') ? '' : new URL(u).pathname;
      if (path.startsWith('/models/')) kinds.models++;
      else if (path.endsWith('.wasm')) kinds.wasm++;
      else if (/\.(ts|js|mjs|css)$|^\/@|^\/node_modules\/|^\/src\//.test(path)) kinds.code++;
      else kinds.other++;
    }
    console.log(
      `[e2e privacy] ${requests.length} requests from load through ${videoFrames} video frames and ${DROPS + BURST + 3} image drops: ${requests.length - foreign.length} to ${origin} (models ${kinds.models}, WASM ${kinds.wasm}, code ${kinds.code}, other ${kinds.other}), ${foreign.length} elsewhere; ${websockets.length} WebSockets`,
    );
    expect(foreign).toEqual([]);
    // the dev server's own client (Vite) keeps a socket to the server the page came from; a built site has none
    console.log(`[e2e privacy] WebSockets: ${websockets.map((u) => u.replace(/token=[^&]+/, 'token=…')).join(', ') || 'none'}`);
    for (const u of websockets) expect(new URL(u).host, u).toBe(new URL(origin).host);
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);

    // the model files and the WASM binary came from this origin (the worker fetched them)
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'models/manifest.json'), 'utf8')) as {
      models: Record<string, { files: Record<string, unknown> }>;
    };
    for (const model of ['palmdetect-full', 'handlandmark-full', 'handtrack']) {
      for (const file of Object.keys(manifest.models[model].files)) expect(requests, file).toContain(`${origin}/models/${file}`);
    }
    const wasm = requests.filter((u) => /tfjs-backend-wasm[-a-z]*\.wasm$/.test(new URL(u).pathname));
    console.log(
      `[e2e privacy] WASM binary: ${wasm.map((u) => new URL(u).pathname).join(', ')}; models: ${requests
        .filter((u) => !u.startsWith('data:') && new URL(u).pathname.startsWith('/models/'))
        .map((u) => new URL(u).pathname)
        .join(', ')}; other: ${requests.filter((u) => !u.startsWith('data:') && !/^\/(models\/|@|node_modules\/|src\/)/.test(new URL(u).pathname)).join(', ')}`,
    );
    expect(wasm.length).toBeGreaterThan(0);
    for (const u of wasm) expect(new URL(u).origin).toBe(origin);

    // index.html's Content-Security-Policy: no remote sources for anything, and it is in force
    const html = readFileSync(join(REPO_ROOT, 'index.html'), 'utf8');
    const csp = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1];
    expect(csp, 'a CSP meta tag').toBeDefined();
    const directives = new Map(
      csp!
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...sources]) => [name, sources] as const),
    );
    // what each directive may name besides 'self' and 'none'; anything else (a host, a scheme, *) is remote
    const allowed: Record<string, string[]> = {
      'script-src': ["'wasm-unsafe-eval'"],
      'style-src': ["'unsafe-inline'"],
      'media-src': ['blob:'],
      'font-src': ['data:'],
    };
    for (const name of ['default-src', 'script-src', 'connect-src', 'img-src', 'worker-src']) expect(directives.has(name), name).toBe(true);
    for (const [name, sources] of directives) {
      if (name === 'base-uri' || name === 'form-action' || name === 'object-src') continue;
      for (const src of sources) expect(["'self'", "'none'", ...(allowed[name] ?? [])], `${name} ${src}`).toContain(src);
    }
    console.log(`[e2e privacy] CSP: ${[...directives].map(([n, v]) => `${n} ${v.join(' ')}`).join('; ')}`);
    const blocked = await page.evaluate(async () => {
      const violation = new Promise<string>((resolve) =>
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true }),
      );
      const fetched = await fetch('https://example.com/frame.jpg', { method: 'POST', body: 'pixels' }).then(
        () => 'sent',
        () => 'refused',
      );
      return `${fetched} (${await violation})`;
    });
    expect(blocked).toBe('refused (connect-src)');
    expect(foreignRequests(requests, origin), 'the blocked request never left').toEqual([]);
    console.log(`[e2e privacy] a fetch to another origin from the page: ${blocked}`);
  });
});
