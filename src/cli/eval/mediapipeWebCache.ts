/**
 * Cache of MediaPipe Hands web predictions, so a repeated `hands eval` does not start chromium:
 * one JSON file per (images, package version, options), in the git-ignored .cache/ folder. The key
 * hashes every image's bytes in order, so an edited, added or removed image misses the cache.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomicWrite';
import { REPO_ROOT } from '../paths';
import type { MediapipeWebImageRaw, MediapipeWebOptions } from './mediapipeWeb';

/**
 * .cache/ is git-ignored (.gitignore); the training side keeps its renders there too.
 * HANDS_MEDIAPIPE_WEB_CACHE overrides it (tests use a temp folder, to see a miss and then a hit).
 */
export const MEDIAPIPE_WEB_CACHE_DIR = process.env.HANDS_MEDIAPIPE_WEB_CACHE || join(REPO_ROOT, '.cache', 'mediapipe-web');

/** Bumped when the stored raw results change shape or meaning (e.g. how frames are sent). */
const CACHE_FORMAT = 1;

export interface MediapipeWebCacheKey {
  key: string;
  version: string;
  options: MediapipeWebOptions;
  images: number;
}

export async function mediapipeWebCacheKey(images: readonly string[], version: string, options: MediapipeWebOptions): Promise<MediapipeWebCacheKey> {
  const h = createHash('sha256');
  h.update(JSON.stringify({ format: CACHE_FORMAT, package: `@mediapipe/hands@${version}`, options }));
  for (const image of images) {
    // unreadable images are part of the key as such (they fail the same way next time)
    const bytes = await readFile(image).catch(() => Buffer.from(`unreadable:${image}`));
    h.update(createHash('sha256').update(bytes).digest());
  }
  return { key: h.digest('hex'), version, options, images: images.length };
}

interface CacheFile {
  key: string;
  package: string;
  options: MediapipeWebOptions;
  results: MediapipeWebImageRaw[];
}

/** The cached results for this key, or undefined (absent, unreadable or for other images). */
export async function readMediapipeWebCache(k: MediapipeWebCacheKey, dir = MEDIAPIPE_WEB_CACHE_DIR): Promise<MediapipeWebImageRaw[] | undefined> {
  try {
    const c = JSON.parse(await readFile(join(dir, `${k.key}.json`), 'utf8')) as CacheFile;
    if (c.key !== k.key || !Array.isArray(c.results) || c.results.length !== k.images) return undefined;
    // JSON has no NaN: restore the timing of failed images
    return c.results.map((r) => ({ ...r, ms: r.ms ?? Number.NaN }));
  } catch {
    return undefined;
  }
}

export async function writeMediapipeWebCache(
  k: MediapipeWebCacheKey,
  results: readonly MediapipeWebImageRaw[],
  dir = MEDIAPIPE_WEB_CACHE_DIR,
): Promise<string> {
  const path = join(dir, `${k.key}.json`);
  const body: CacheFile = { key: k.key, package: `@mediapipe/hands@${k.version}`, options: k.options, results: [...results] };
  await writeFileAtomic(path, `${JSON.stringify(body)}\n`);
  return path;
}
