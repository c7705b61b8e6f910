import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A video's per-frame JSON entries, appended to a temporary file as frames are analysed instead
 * of held in memory (an hour of video is ~100 000 entries), then copied into the report.
 */
export class FrameSpool {
  private count = 0;

  private constructor(
    private readonly dir: string,
    readonly path: string,
    private readonly fh: FileHandle,
  ) {}

  static async create(): Promise<FrameSpool> {
    const dir = await mkdtemp(join(tmpdir(), 'hands-frames-'));
    const path = join(dir, 'frames.json-part');
    return new FrameSpool(dir, path, await open(path, 'w'));
  }

  get frames(): number {
    return this.count;
  }

  async append(entry: unknown): Promise<void> {
    await this.fh.write(`${this.count++ ? ',\n' : ''}        ${JSON.stringify(entry)}`);
  }

  /** Writes the entries, comma-separated, to `out` (the JSON array's inside). */
  async copyTo(out: NodeJS.WritableStream): Promise<void> {
    await this.fh.sync().catch(() => undefined);
    for await (const chunk of createReadStream(this.path)) if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  }

  async dispose(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
