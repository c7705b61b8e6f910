import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS } from '../../src/app/isolationHeaders';
import { REPO_ROOT, launchChromium } from './harness';

// Issue 15 item 4: the package as a user gets it. `npm pack` (which builds dist-lib/ through the
// prepack script), the tarball installed into a scratch project by npm (dependencies from npm's
// cache or registry, as a user's install), then the public API (createHandTracker -> detect) in
// Node and in a Vite page in headless chromium, on the two-hand fixture photo.
const FIXTURE = join(REPO_ROOT, 'tests/fixtures/hands.jpg');

const NODE_CHECK = `
import sharp from 'sharp';
import { createHandTracker, KEYPOINT_NAMES } from 'hands';
const { data, info } = await sharp(process.argv[2]).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
const tracker = await createHandTracker({ quality: 'fast' });
const result = await tracker.detect({ data: new Uint8Array(data), width: info.width, height: info.height });
tracker.dispose();
console.log(JSON.stringify({ backend: tracker.backend.name, names: KEYPOINT_NAMES.length, hands: result.hands.map((h) => ({ handedness: h.handedness, score: h.score, keypoints: h.keypoints2d.map((k) => [k.x, k.y]) })) }));
`;

const PAGE_HTML = `<!doctype html><html><body><script type="module" src="/main.js"></script></body></html>`;
const PAGE_MAIN = `
import { createHandTracker } from 'hands';
const summary = (tracker, result) => ({ backend: tracker.backend.name, threads: tracker.backend.threads, isolated: crossOriginIsolated, hands: result.hands.map((h) => ({ handedness: h.handedness, score: h.score, keypoints: h.keypoints2d.map((k) => [k.x, k.y]) })) });
const bitmap = await createImageBitmap(await (await fetch('/hands.jpg')).blob());
const here = await createHandTracker({ backend: 'wasm', quality: 'fast' });
const inWorker = await createHandTracker({ backend: 'wasm', quality: 'fast', worker: true });
window.__libraryResult = { main: summary(here, await here.detect(bitmap)), worker: summary(inWorker, await inWorker.detect(bitmap)) };
here.dispose();
inWorker.dispose();
`;

interface Found {
  backend: string;
  hands: Array<{ handedness: string; score: number; keypoints: Array<[number, number]> }>;
}

/**
 * hands.jpg's two hands, each keypoint within MediaPipe's own test tolerance of its expected
 * position (tests/fixtures/hands.expected.json, as the golden test checks the pipeline itself).
 */
function expectBothHands(found: Found): void {
  const expected = JSON.parse(readFileSync(join(REPO_ROOT, 'tests/fixtures/hands.expected.json'), 'utf8')) as {
    tolerancePx: number;
    hands: Array<Array<[number, number]>>;
  };
  expect(found.hands).toHaveLength(2);
  for (const want of expected.hands) {
    const hand = found.hands.find((h) => Math.hypot(h.keypoints[0][0] - want[0][0], h.keypoints[0][1] - want[0][1]) < expected.tolerancePx * 3);
    expect(hand, `a hand with its wrist near (${want[0].join(', ')})`).toBeDefined();
    expect(hand!.score).toBeGreaterThan(0.9);
    const worst = Math.max(...want.flatMap(([x, y], i) => [Math.abs(hand!.keypoints[i][0] - x), Math.abs(hand!.keypoints[i][1] - y)]));
    expect(worst).toBeLessThanOrEqual(expected.tolerancePx);
  }
}

describe('the packed library (npm pack, installed into a scratch project)', () => {
  let scratch = '';
  let server: ViteDevServer | undefined;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'hands-lib-'));
    execFileSync('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack wrote no tarball');
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', `./${tarball}`], {
      cwd: scratch,
      encoding: 'utf8',
    });
    if (install.status !== 0) throw new Error(`npm install of the tarball failed:\n${install.stderr}`);
  });

  afterAll(async () => {
    await server?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('Node: import { createHandTracker } from "hands" finds both hands of hands.jpg (WASM)', () => {
    writeFileSync(join(scratch, 'check.mjs'), NODE_CHECK);
    const run = spawnSync(process.execPath, ['check.mjs', FIXTURE], { cwd: scratch, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`node check failed:\n${run.stderr}`);
    const found = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Found & { names: number };
    expect(found.backend).toBe('wasm');
    expect(found.names).toBe(21);
    expectBothHands(found);
  });

  it('browser: a Vite page importing "hands" finds both hands of hands.jpg, on its thread and in worker mode, loading only its own origin', async () => {
    const site = join(scratch, 'site');
    mkdirSync(join(site, 'public'), { recursive: true });
    writeFileSync(join(site, 'index.html'), PAGE_HTML);
    writeFileSync(join(site, 'main.js'), PAGE_MAIN);
    copyFileSync(FIXTURE, join(site, 'public/hands.jpg'));
    // the package resolves its models and WASM binaries next to its own module (import.meta.url),
    // which Vite's dependency pre-bundling would move: README "Use as a library" says the same
    server = await createServer({
      configFile: false,
      root: site,
      logLevel: 'warn',
      optimizeDeps: { exclude: ['hands'] },
      // cross-origin isolated, as a site that wants WASM threads serves itself: the library's
      // minified browser build must run the threaded binary (scripts/wasmThreadsSurviveMinify.ts)
      server: { host: '127.0.0.1', port: 0, hmr: false, watch: null, fs: { allow: [scratch] }, headers: { ...ISOLATION_HEADERS } },
    });
    await server.listen();
    const origin = server.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '';
    const browser = await launchChromium();
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      // context-level: includes the library worker's requests
      context.on('request', (r) => requests.push(r.url()));
      page.on('pageerror', (e) => errors.push(e.message));
      // 'commit': the module's top-level await (the whole detection) would hold back the load event
      await page.goto(`${origin}/`, { waitUntil: 'commit' });
      await page
        .waitForFunction(() => (window as { __libraryResult?: unknown }).__libraryResult !== undefined || false, null, { timeout: 240_000, polling: 250 })
        .catch(() => {
          throw new Error(`no result from the page: ${errors.join('; ')}`);
        });
      const found = (await page.evaluate(() => (window as unknown as { __libraryResult: unknown }).__libraryResult)) as {
        main: Found & { isolated: boolean; threads: number };
        worker: Found & { isolated: boolean; threads: number };
      };
      for (const run of [found.main, found.worker]) {
        expect(run.backend).toBe('wasm');
        expect(run.isolated).toBe(true);
        expect(run.threads).toBeGreaterThan(1);
        expectBothHands(run);
      }
      // the WASM threads are workers made from blob: URLs of this origin
      expect(requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith(`blob:${origin}/`))).toEqual([]);
      expect(requests.some((u) => u.includes('/node_modules/hands/models/'))).toBe(true);
      expect(requests.some((u) => u.includes('/node_modules/hands/dist-lib/worker.js'))).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
