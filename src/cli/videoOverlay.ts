import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp from 'sharp';
import type { FrameResult } from '../core/types';
import { tempPathFor } from './atomicWrite';
import { handsOverlaySvg } from './overlaySvg';

/** Extensions an overlay video may have (ffmpeg picks the container and codec from them). */
export const OVERLAY_VIDEO_EXT = /\.(mp4|m4v|mov|mkv|webm)$/i;

/**
 * The overlay video: each analysed frame with the hands drawn by the image overlay's SVG
 * (overlaySvg.ts), piped as raw RGB into Debian's ffmpeg. It writes to the temporary name of
 * atomicWrite.ts and renames it on `finish`, so a failed or interrupted run leaves no half a video
 * (ffmpeg's lifetime spans many calls, so it cannot use withAtomicFile's single callback).
 */
export class OverlayVideoWriter {
  private readonly proc;
  private readonly exited: Promise<number | null>;
  private stderr = '';
  private readonly tmp: string;

  private constructor(
    readonly target: string,
    private readonly width: number,
    private readonly height: number,
    fps: number,
  ) {
    this.tmp = tempPathFor(target);
    const webm = /\.webm$/i.test(target);
    const args = ['-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-framerate', String(fps), '-i', 'pipe:0'];
    // even sizes (yuv420p needs them), then the codec most players take for the container
    args.push('-vf', 'pad=ceil(iw/2)*2:ceil(ih/2)*2', '-pix_fmt', 'yuv420p');
    args.push(
      ...(webm ? ['-c:v', 'libvpx-vp9', '-b:v', '0', '-crf', '32', '-deadline', 'realtime'] : ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20']),
      this.tmp,
    );
    this.proc = spawn('ffmpeg', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (s: string) => {
      if (this.stderr.length < 65536) this.stderr += s;
    });
    this.proc.stdin.on('error', () => undefined); // ffmpeg died: reported by finish()
    this.exited = new Promise((resolve) => {
      this.proc.once('error', (err) => {
        this.stderr += err.message;
        resolve(-1);
      });
      this.proc.once('close', resolve);
    });
  }

  /** Starts ffmpeg for frames of `width` x `height` (the analysed frames' size) at `fps`. */
  static async open(target: string, width: number, height: number, fps: number): Promise<OverlayVideoWriter> {
    await mkdir(dirname(target), { recursive: true });
    return new OverlayVideoWriter(target, width, height, fps);
  }

  /** Draws the hands of `result` (in displayed pixels; `drawScale` maps them to the frame) on the frame and sends it. */
  async write(rgb: Uint8Array, result: FrameResult, drawScale: number): Promise<void> {
    const svg = handsOverlaySvg(result.hands, this.width, this.height, drawScale);
    const drawn = await sharp(rgb, { raw: { width: this.width, height: this.height, channels: 3 } })
      .composite([{ input: Buffer.from(svg), top: 0, left: 0 }])
      .removeAlpha()
      .raw()
      .toBuffer();
    if (!this.proc.stdin.write(drawn)) await Promise.race([once(this.proc.stdin, 'drain'), this.exited]);
  }

  /** Ends the video and moves it to its name; throws (and removes the partial file) when ffmpeg failed. */
  async finish(): Promise<void> {
    this.proc.stdin.end();
    const code = await this.exited;
    if (code !== 0) {
      await rm(this.tmp, { force: true });
      throw new Error(`ffmpeg could not encode ${this.target}: ${this.stderr.trim().split('\n').pop() ?? `exit ${code}`}`);
    }
    await rename(this.tmp, this.target);
  }

  /** Stops ffmpeg and removes the partial file (a failed analysis writes no overlay). */
  async abort(): Promise<void> {
    this.proc.kill('SIGKILL');
    await this.exited;
    await rm(this.tmp, { force: true });
  }
}
