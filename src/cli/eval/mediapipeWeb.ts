/**
 * The real MediaPipe Hands web solution (npm `@mediapipe/hands`, Apache-2.0, Google: its own WASM
 * graph, palm detector and landmark network) run in headless Debian chromium on an eval's images:
 * the baseline row `hands eval` calls "MediaPipe Hands web". Every file it loads comes from a
 * server on 127.0.0.1 (the package's files and our frames); any other request is refused.
 *
 * Each image is made independent of the previous one by a black frame of the same size sent just
 * before it (the solution runs in video mode and would otherwise track the last image's hands).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import sharp from 'sharp';
import { MAX_ANALYSIS_SIDE, MAX_INPUT_PIXELS } from '../decodeImage';
import { startMediapipeWebServer } from './mediapipeWebServer';

/** One hand as the solution reports it. */
export interface MediapipeWebHandRaw {
  /** 21 x [x, y, z]: x, y normalised to the image (0..1), z relative depth. */
  landmarks: number[][];
  /** 21 x [x, y, z] metres (multiHandWorldLandmarks). */
  world: number[][];
  /** MediaPipe's handedness label, which assumes a mirrored (selfie) image. */
  label: 'Left' | 'Right' | null;
  score: number | null;
}

export interface MediapipeWebImageRaw {
  /** Size of the source image (after EXIF orientation): normalised landmarks scale by these. */
  width: number;
  height: number;
  /** Milliseconds of the solution's `send` on this image (not the black frame), in chromium. */
  ms: number;
  hands: MediapipeWebHandRaw[];
  /** Why this image has no result (could not be decoded or sent). */
  error?: string;
}

/** The options the solution runs with (Options of hands.js, plus useCpuInference, which hands.js reads though index.d.ts omits it). */
export interface MediapipeWebOptions {
  selfieMode: boolean;
  maxNumHands: number;
  modelComplexity: 0 | 1;
  minDetectionConfidence: number;
  minTrackingConfidence: number;
  useCpuInference: boolean;
}

const require = createRequire(import.meta.url);

/** node_modules/@mediapipe/hands, or undefined when the devDependency is not installed. */
export function mediapipeWebPackage(): { dir: string; version: string } | undefined {
  try {
    const pkg = require.resolve('@mediapipe/hands/package.json');
    return { dir: dirname(pkg), version: JSON.parse(readFileSync(pkg, 'utf8')).version as string };
  } catch {
    return undefined;
  }
}

/**
 * The solution's options for an eval: the eval's hand count and landmark variant (full = model
 * complexity 1); detection and tracking thresholds at the solution's own defaults (0.5, hands.js
 * and MediaPipe's hands documentation); no mirroring (eval images are not selfies); the CPU
 * inference path (headless chromium has no GPU).
 */
export function mediapipeWebOptions(maxHands: number, variant: 'full' | 'lite'): MediapipeWebOptions {
  return {
    selfieMode: false,
    maxNumHands: maxHands,
    modelComplexity: variant === 'full' ? 1 : 0,
    minDetectionConfidence: 0.5,
    minTrackingConfidence: 0.5,
    useCpuInference: true,
  };
}

/** Why the row cannot run here (one line), or undefined when it can. `chromium`: the browser to check (default Debian's, ../browser). */
export async function mediapipeWebUnavailable(chromium?: string): Promise<string | undefined> {
  if (!mediapipeWebPackage()) return 'the devDependency @mediapipe/hands is not installed (npm install)';
  // ../browser loads vite (a devDependency): only when the row runs
  const path = chromium ?? (await import('../browser')).CHROMIUM;
  if (!existsSync(path)) return `${path} not found (Debian's chromium; scripts/setup-system.sh installs it)`;
  return undefined;
}

/** RGBA at the analysis resolution the pipeline uses (EXIF orientation, sRGB, alpha on black), as decodeImageFile decodes. */
async function decodeRgba(path: string): Promise<{ data: Buffer; width: number; height: number; srcWidth: number; srcHeight: number }> {
  const meta = await sharp(path, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  const rotated = (meta.orientation ?? 1) >= 5;
  const srcWidth = rotated ? meta.height! : meta.width!;
  const srcHeight = rotated ? meta.width! : meta.height!;
  const scale = Math.max(1, Math.max(srcWidth, srcHeight) / MAX_ANALYSIS_SIDE);
  let img = sharp(path, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate().toColourspace('srgb').flatten({ background: '#000000' });
  if (scale > 1) img = img.resize(Math.round(srcWidth / scale), Math.round(srcHeight / scale), { fit: 'fill' });
  const { data, info } = await img.removeAlpha().ensureAlpha(1).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, srcWidth, srcHeight };
}

/** Runs the solution on each image, in order; an image that fails gets `error` and no hands. */
export async function runMediapipeWeb(images: readonly string[], options: MediapipeWebOptions, log: (line: string) => void): Promise<MediapipeWebImageRaw[]> {
  const pkg = mediapipeWebPackage();
  if (!pkg) throw new Error(await mediapipeWebUnavailable());
  const { launchChromium } = await import('../browser');
  let current: { index: number; data: Buffer } | undefined;
  const server = await startMediapipeWebServer(pkg.dir, (i) => (current?.index === i ? current.data : undefined));
  const browser = await launchChromium();
  const out: MediapipeWebImageRaw[] = [];
  try {
    const context = await browser.newContext();
    const foreign: string[] = [];
    // the page may reach only this origin (and its own data:/blob: URLs)
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${server.origin}/`) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      foreign.push(url);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.origin}/`);
    const t0 = performance.now();
    await page.evaluate((o) => (window as unknown as { __mpInit(o: unknown): Promise<unknown> }).__mpInit(o), options as unknown);
    log(`eval: MediaPipe Hands web ${pkg.version} loaded in chromium (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    for (const [index, image] of images.entries()) {
      try {
        const f = await decodeRgba(image);
        current = { index, data: f.data };
        const r = (await page.evaluate(([i, w, h]) => (window as unknown as { __mpRun(i: number, w: number, h: number): Promise<unknown> }).__mpRun(i, w, h), [
          index,
          f.width,
          f.height,
        ] as const)) as { blackHands: number; ms: number; hands: MediapipeWebHandRaw[] };
        // a hand on the black frame would mean its track could carry into the image
        if (r.blackHands !== 0) throw new Error(`the black reset frame before it had ${r.blackHands} hand(s)`);
        out.push({ width: f.srcWidth, height: f.srcHeight, ms: r.ms, hands: r.hands });
      } catch (err) {
        const message = (err as Error).message.split('\n')[0];
        out.push({ width: 0, height: 0, ms: Number.NaN, hands: [], error: message });
        log(`eval: MediaPipe web: ${image}: ${message}`);
      } finally {
        current = undefined;
      }
      if ((index + 1) % 25 === 0 || index + 1 === images.length)
        log(`eval: MediaPipe web ${index + 1}/${images.length} images, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    if (foreign.length) throw new Error(`the page asked for ${foreign.length} file(s) outside 127.0.0.1 (refused), e.g. ${foreign[0]}`);
    if (pageErrors.length) log(`eval: MediaPipe web page reported: ${pageErrors[0]}`);
  } finally {
    await browser.close();
    await server.close();
  }
  return out;
}
