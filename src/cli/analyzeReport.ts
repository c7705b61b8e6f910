import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { withAtomicFile } from './atomicWrite';
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
 * Writes the analyze report, { tool, images, videos }, to a file (whole or not at all:
 * atomicWrite.ts) or to stdout ('-'), streaming the videos' spooled frames so that no video is
 * held in memory whole. Without videos it is the images-only report.
 */
export async function writeAnalyzeReport(target: string, images: unknown, videos: readonly VideoReport[]): Promise<void> {
  if (target === '-') return streamReport(process.stdout, images, videos);
  await withAtomicFile(target, async (tmp) => {
    const out = createWriteStream(tmp);
    try {
      await streamReport(out, images, videos);
      out.end();
      await finished(out);
    } catch (err) {
      out.destroy();
      throw err;
    }
  });
}

async function streamReport(out: Writable, images: unknown, videos: readonly VideoReport[]): Promise<void> {
  const write = async (s: string) => {
    if (!out.write(s)) await new Promise((r) => out.once('drain', r));
  };
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
}
