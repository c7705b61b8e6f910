import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FileSource } from '../core/models/fileSource';

/** Model files from a folder on disk (the repository's models/). */
export class NodeFileSource implements FileSource {
  readonly location: string;

  constructor(private readonly dir: string) {
    this.location = `${resolve(dir)}/`;
  }

  async read(name: string, onProgress?: (loaded: number) => void): Promise<Uint8Array> {
    const buf = await readFile(join(this.dir, name));
    onProgress?.(buf.byteLength);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
}
