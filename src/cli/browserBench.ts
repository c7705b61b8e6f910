import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Plugin } from 'vite';
import type { ScenarioReport } from '../core/benchmark';
import { initBackend } from '../core/backend';
import type { BackendName } from '../core/types';
import type { DeepPartial, PipelineConfig } from '../core/config';
import { WASM_DIR } from './paths';
import { weightBytesFor, type BenchReport } from './bench';
import { decodeImageFile } from './decodeImage';
import { decodeVideo } from './decodeVideo';

export interface BrowserBenchOptions {
  backend: BackendName;
  frames: number;
  warmup: number;
  image: string;
  video: string;
  model: 'full' | 'lite';
  /** Pipeline options on top of the defaults (heads, mesh), as for the Node bench. */
  config?: DeepPartial<PipelineConfig>;
  log: (line: string) => void;
}

/** Serves the prepared raw frames at /__bench/ to the bench page. */
function benchFrames(dir: string): Plugin {
  return {
    name: 'hands-bench-frames',
    configureServer(server) {
      server.middlewares.use(async (req, res, next) => {
        if (!req.url?.startsWith('/__bench/')) return next();
        const name = req.url.slice('/__bench/'.length).split('?')[0];
        if (!/^[\w.-]+$/.test(name)) return next();
        try {
          const body = await readFile(join(dir, name));
          res.setHeader('Content-Type', name.endsWith('.json') ? 'application/json' : 'application/octet-stream');
          res.end(body);
        } catch {
          res.statusCode = 404;
          res.end();
        }
      });
    },
  };
}

/**
 * `hands bench --browser <backend>`: the same frames, the same benchmark loop, in headless Debian
 * chromium (WebGL runs on SwiftShader, a CPU rasteriser, on machines without a GPU).
 */
export async function browserBench(opts: BrowserBenchOptions): Promise<BenchReport> {
  const { launchChromium, startDevServer } = await import('./browser');
  // Node only decodes and serves the frames; a backend holds them briefly
  await initBackend({ order: ['wasm'], wasmPaths: WASM_DIR });
  const dir = await mkdtemp(join(tmpdir(), 'hands-bench-'));
  try {
    const video = decodeVideo(opts.video, opts.frames + opts.warmup);
    await writeFile(join(dir, 'video.rgb'), Buffer.concat(video.frames));
    const img = await decodeImageFile(opts.image);
    const [h, w] = img.tensor.shape;
    await writeFile(join(dir, 'photo.rgb'), Buffer.from(await img.tensor.data().then((d) => Uint8Array.from(d))));
    img.tensor.dispose();
    const manifest = {
      scenarios: [
        {
          name: `video ${video.width}x${video.height}`,
          mode: 'video',
          fps: video.fps,
          width: video.width,
          height: video.height,
          count: video.frames.length,
          url: '/__bench/video.rgb',
        },
        { name: `photo ${w}x${h}`, mode: 'image', fps: 30, width: w, height: h, count: 1, url: '/__bench/photo.rgb' },
      ],
    };
    await writeFile(join(dir, 'frames.json'), JSON.stringify(manifest));
    const { server, origin } = await startDevServer([benchFrames(dir)]);
    const browser = await launchChromium(opts.backend === 'webgpu' ? ['--enable-unsafe-webgpu'] : []);
    try {
      const query = `backend=${opts.backend}&frames=${opts.frames}&warmup=${opts.warmup}&model=${opts.model}&config=${encodeURIComponent(JSON.stringify(opts.config ?? {}))}`;
      // wasm: one thread first (a fresh page: TF.js starts wasm once per page), then the default
      const single = opts.backend === 'wasm' ? await runBenchPage(browser, `${origin}/src/app/bench/bench.html?${query}&threads=1`, opts.log) : undefined;
      const r = await runBenchPage(browser, `${origin}/src/app/bench/bench.html?${query}`, opts.log);
      const report: BenchReport = {
        tool: 'hands bench',
        cpu: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`,
        weightBytes: await weightBytesFor(r.config),
        ...r,
      };
      if (single)
        report.oneThread = { threads: single.threads ?? 1, scenarios: single.scenarios.map((s) => ({ name: s.name, totalMedian: s.stages.totalMs.median })) };
      return report;
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type PageReport = Omit<BenchReport, 'tool' | 'cpu' | 'weightBytes'> & { scenarios: ScenarioReport[] };

/** One bench page in a fresh tab, to its result. */
async function runBenchPage(browser: Browser, url: string, log: (line: string) => void): Promise<PageReport> {
  const page = await browser.newPage();
  try {
    page.on('console', (m) => {
      if (m.type() === 'error') log(`page: ${m.text()}`);
    });
    log(`bench: ${url}`);
    await page.goto(url);
    await page.waitForFunction(() => window.__benchResult !== undefined || window.__benchError !== undefined, null, { timeout: 0, polling: 1000 });
    const error = await page.evaluate(() => window.__benchError);
    if (error) throw new Error(`bench page failed: ${error}`);
    return (await page.evaluate(() => window.__benchResult)) as PageReport;
  } finally {
    await page.close();
  }
}
