/**
 * The MediaPipe Hands web row of `hands eval`: its predictions from the cache, else from a run in
 * chromium (then cached), else skipped with the reason in one line; never a failed eval.
 */
import {
  mediapipeWebOptions,
  mediapipeWebPackage,
  mediapipeWebUnavailable,
  runMediapipeWeb,
  type MediapipeWebImageRaw,
  type MediapipeWebOptions,
} from './mediapipeWeb';
import { mediapipeWebCacheKey, MEDIAPIPE_WEB_CACHE_DIR, readMediapipeWebCache, writeMediapipeWebCache } from './mediapipeWebCache';

export interface MediapipeWebRun {
  status: 'measured' | 'cached' | 'skipped' | 'off';
  /** Why skipped, or where the cache is. */
  note?: string;
  version?: string;
  options?: MediapipeWebOptions;
  /** One per image, in the order given (absent when skipped or off). */
  results?: MediapipeWebImageRaw[];
}

export interface MediapipeWebBaselineOptions {
  maxHands: number;
  variant: 'full' | 'lite';
  /** Where predictions are cached (default .cache/mediapipe-web/). */
  cacheDir?: string;
  /** The browser it needs (default Debian's /usr/bin/chromium; tests name a missing one). */
  chromium?: string;
  log: (line: string) => void;
}

/** The row's label in tables. */
export const mediapipeWebLabel = (variant: 'full' | 'lite') => `MediaPipe Hands web (${variant})`;

export async function mediapipeWebBaseline(images: readonly string[], opts: MediapipeWebBaselineOptions): Promise<MediapipeWebRun> {
  const pkg = mediapipeWebPackage();
  const unavailable = await mediapipeWebUnavailable(opts.chromium);
  if (!pkg || unavailable) return { status: 'skipped', note: unavailable };
  const options = mediapipeWebOptions(opts.maxHands, opts.variant);
  const dir = opts.cacheDir ?? MEDIAPIPE_WEB_CACHE_DIR;
  const key = await mediapipeWebCacheKey(images, pkg.version, options);
  const cached = await readMediapipeWebCache(key, dir);
  if (cached) {
    opts.log(`eval: MediaPipe Hands web: cached predictions (${dir}/${key.key.slice(0, 12)}...)`);
    return { status: 'cached', note: `cache ${key.key.slice(0, 12)}`, version: pkg.version, options, results: cached };
  }
  let results: MediapipeWebImageRaw[];
  try {
    results = await runMediapipeWeb(images, options, opts.log);
  } catch (err) {
    return { status: 'skipped', note: `it did not run: ${(err as Error).message.split('\n')[0]}`, version: pkg.version, options };
  }
  try {
    await writeMediapipeWebCache(key, results, dir);
  } catch (err) {
    opts.log(`eval: MediaPipe Hands web: could not write the cache in ${dir} (${(err as Error).message}); the next eval runs it again`);
  }
  return { status: 'measured', version: pkg.version, options, results };
}
