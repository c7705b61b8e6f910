/**
 * Output files appear whole or not at all: each is written under a temporary name beside its
 * target (same folder, so the same file system and an atomic rename) and renamed at the end, so a
 * reader never sees half a file and a failed write leaves nothing behind.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

/**
 * The temporary name `path` is written under: hidden, beside it, this process's, and keeping the
 * extension (ffmpeg picks the container from it).
 */
export function tempPathFor(path: string): string {
  const ext = extname(path);
  return join(dirname(path), `.${basename(path, ext)}.tmp-${process.pid}${ext}`);
}

/** Creates `path`'s folder, lets `write` fill the temporary name, then renames it to `path`; removes it when `write` fails. */
export async function withAtomicFile(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    await write(tmp);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Writes `body` to `path` atomically. */
export function writeFileAtomic(path: string, body: string | Uint8Array): Promise<void> {
  return withAtomicFile(path, (tmp) => writeFile(tmp, body));
}

/** Writes `value` as indented JSON to `path` atomically. */
export function writeJsonFile(path: string, value: unknown): Promise<void> {
  return writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
