import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { finished } from 'node:stream/promises';
import type { FrameSpool } from './frameSpool';

/** One video of `hands analyze`: its size and one entry per frame (spooled), or why it failed. */
export interface VideoReport {
  file: string;
  /** Displayed size: keypoints are in these pixels. */
  width?: number;
  height?: number;
  fps?: number;
  frameCount?: number;
  /** Per-frame entries ({ index, timestampMs, hands, gestureEvents, ... }), when JSON was asked for. */
  frames?: FrameSpool;
  error?: { code: string; message: string; hint: string };
}

const indent = (json: string) => json.replace(/\n/g, '\n  ');

/**
 * Writes the analyze report, { tool, images, videos }, to a file (a temporary name renamed at the
 * end, so a reader never sees half a file) or to stdout ('-'), streaming the videos' spooled
 * frames so that no video is held in memory whole. Without videos it is the images-only report.
 */
export async function writeAnalyzeReport(target: string, images: unknown, videos: readonly VideoReport[]): Promise<void> {
  const toStdout = target === '-';
  const tmp = `${target}.tmp-${process.pid}`;
  if (!toStdout) await mkdir(dirname(target), { recursive: true });
  const out = toStdout ? process.stdout : createWriteStream(tmp);
  const write = async (s: string) => {
    if (!out.write(s)) await new Promise((r) => out.once('drain', r));
  };
  try {
    await write(`{\n  "tool": "hands analyze",\n  "images": ${indent(JSON.stringify(images, null, 2))}`);
    if (videos.length > 0) {
      await write(',\n  "videos": [');
      for (const [i, v] of videos.entries()) {
        const { frames, ...head } = v;
        const json = JSON.stringify(head, null, 2);
        await write(`${i ? ',' : ''}\n    ${json.slice(0, -2).replace(/\n/g, '\n    ')}`);
        if (frames) {
          await write(`,\n      "frames": [\n`);
          await frames.copyTo(out);
          await write('\n      ]');
        }
        await write('\n    }');
      }
      await write('\n  ]');
    }
    await write('\n}\n');
    if (!toStdout) {
      (out as ReturnType<typeof createWriteStream>).end();
      await finished(out as ReturnType<typeof createWriteStream>);
      await rename(tmp, target);
    }
  } catch (err) {
    if (!toStdout) {
      (out as ReturnType<typeof createWriteStream>).destroy();
      await rm(tmp, { force: true });
    }
    throw err;
  }
}
