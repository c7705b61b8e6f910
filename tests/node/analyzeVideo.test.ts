import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/nodePipeline';

// `hands analyze clip.mp4` (issue 15 item 7): every frame in video mode (tracking, smoothing,
// gestures), streamed from ffmpeg; per-frame JSON and an overlay video; bad videos refused like
// bad images (exit 3, a message naming the file, no overlay left behind).
const BIN = new URL('../../bin/hands.mjs', import.meta.url).pathname;
const VIDEO = `${FIXTURES}asl_hand.25fps.mp4`;
const REF_2D = JSON.parse(readFileSync(`${FIXTURES}asl_hand.full.json`, 'utf8')) as number[][][];
// the video parity test's tolerance (tests/node/videoParity.test.ts): 22 px per coordinate for
// 99.9 % of coordinates, all within twice that, mean distance under 3 px
const TOL_2D = 22;
const MIN_FRACTION_WITHIN = 0.999;

interface Hand {
  keypoints2d: Array<{ x: number; y: number }>;
  gesture?: { label: string; score: number };
}
interface Frame {
  index: number;
  timestampMs: number;
  hands: Hand[];
  gestureEvents: Array<{ type: string; handId: number; timeMs: number }>;
}
interface Report {
  images: unknown[];
  videos: Array<{
    file: string;
    width?: number;
    height?: number;
    fps?: number;
    frameCount?: number;
    frames?: Frame[];
    error?: { code: string; message: string };
  }>;
}

/** Runs the CLI asynchronously (a long video must not block the test worker's event loop). */
function hands(args: string[], timeoutMs = 600_000): Promise<{ status: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

const ffmpeg = (...args: string[]) => {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${r.stderr}`);
};

const probe = (file: string) =>
  spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-of', 'csv=p=0', file], {
    encoding: 'utf8',
  }).stdout.trim();

describe('hands analyze on videos (CLI)', () => {
  let dir: string;
  const at = (name: string) => join(dir, name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hands-video-'));
    const video = readFileSync(VIDEO);
    writeFileSync(at('empty.mp4'), '');
    // moov at the end: the first 64 KB have frames but no index
    writeFileSync(at('corrupt.mp4'), video.subarray(0, 64 * 1024));
    // index first (faststart), then cut: ffprobe reads it, the decoder hits the cut after ~130 frames
    ffmpeg('-i', VIDEO, '-c', 'copy', '-movflags', '+faststart', at('faststart.mp4'));
    writeFileSync(at('truncated.mp4'), readFileSync(at('faststart.mp4')).subarray(0, 300_000));
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac', at('audio.m4a'));
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac', at('audio-only.mp4'));
    ffmpeg('-f', 'lavfi', '-i', 'color=c=black:s=8200x8200:d=0.04', '-frames:v', '1', '-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', at('huge.avi'));
    // the first 10 frames, in a file with no extension: recognised by its content
    ffmpeg('-i', VIDEO, '-frames:v', '10', '-c:v', 'libx264', '-f', 'mp4', at('first-frames'));
  });

  it('asl_hand.25fps.mp4 --quality fast: 325 frames with timestamps, gestures and events, keypoints within the video parity tolerance of MediaPipe; an overlay video; one progress line per 10 %', async () => {
    const r = await hands(['analyze', VIDEO, '--quality', 'fast', '--json', at('out.json'), '--overlay', at('out.mp4')]);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(at('out.json'), 'utf8')) as Report;
    expect(report.images).toEqual([]);
    const v = report.videos[0];
    expect([v.width, v.height, v.fps, v.frameCount]).toEqual([620, 1080, 25, 325]);
    const frames = v.frames!;
    expect(frames).toHaveLength(REF_2D.length);
    expect(frames.map((f) => f.index)).toEqual(frames.map((_, i) => i));
    expect(frames.map((f) => f.timestampMs)).toEqual(frames.map((_, i) => i * 40));
    expect(frames.every((f) => f.hands.length >= 1 && f.hands.every((h) => h.gesture && typeof h.gesture.label === 'string'))).toBe(true);
    expect(frames.every((f) => Array.isArray(f.gestureEvents))).toBe(true);
    const events = frames.flatMap((f) => f.gestureEvents);
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(frames.map((f) => f.hands[0].keypoints2d.length))).toEqual(new Set([21]));
    // the same comparison as videoParity.test.ts, on the CLI's output (smoothing on here)
    let worst = 0;
    let sum = 0;
    let n = 0;
    let over = 0;
    frames.forEach((f, i) => {
      const kp = f.hands[0].keypoints2d;
      REF_2D[i].forEach(([x, y], k) => {
        const e = Math.max(Math.abs(kp[k].x - x), Math.abs(kp[k].y - y));
        worst = Math.max(worst, e);
        sum += Math.hypot(kp[k].x - x, kp[k].y - y);
        n++;
        if (e > TOL_2D) over++;
      });
    });
    const progress = r.stderr.split('\n').filter((l) => /\d+\/325 frames/.test(l));
    console.log(
      `analyze video (--quality fast): ${frames.length} frames in ${(r.ms / 1000).toFixed(1)} s (${(r.ms / frames.length).toFixed(0)} ms/frame with model loading and overlay); 2D vs MediaPipe: mean ${(sum / n).toFixed(2)} px, worst ${worst.toFixed(1)} px, ${n - over}/${n} within ${TOL_2D} px; ${events.length} gesture events; ${progress.length} progress lines`,
    );
    expect((n - over) / n).toBeGreaterThanOrEqual(MIN_FRACTION_WITHIN);
    expect(worst).toBeLessThanOrEqual(2 * TOL_2D);
    expect(sum / n).toBeLessThan(3);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.length).toBeLessThanOrEqual(12);
    expect(progress.at(-1)).toMatch(/325\/325 frames \(100 %\)/);
    expect(probe(at('out.mp4'))).toBe('h264,620,1080,325');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  }, 600_000);

  it('a file without an extension is recognised as a video by its content; JSON to stdout; --overlay a folder', async () => {
    const r = await hands(['analyze', at('first-frames'), '--quality', 'fast', '--json', '-', '--overlay', at('overlays/'), '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const v = (JSON.parse(r.stdout) as Report).videos[0];
    expect(v.frames).toHaveLength(10);
    expect(v.frames!.every((f) => f.hands.length === 1)).toBe(true);
    expect(probe(at('overlays/first-frames.overlay.mp4'))).toBe('h264,620,1080,10');
  }, 300_000);

  it.each([
    ['corrupt.mp4', 'corrupt-file', /could not be read as a video/],
    ['truncated.mp4', 'corrupt-file', /could not be decoded after \d+ frames/],
    ['audio.m4a', 'unsupported-file', /has no video stream \(only audio\)/],
    ['audio-only.mp4', 'unsupported-file', /has no video stream \(only audio\)/],
    ['empty.mp4', 'empty-file', /is empty/],
    ['missing.mp4', 'file-not-found', /no such file/],
    ['huge.avi', 'image-too-large', /8200x8200-pixel frames/],
  ])(
    '%s -> exit 3, %s, no overlay left behind',
    async (name, code, message) => {
      const overlay = at(`${name}.overlay.mp4`);
      const json = at(`${name}.json`);
      const r = await hands(['analyze', at(name), '--quality', 'fast', '--json', json, '--overlay', overlay], 300_000);
      expect(r.status, r.stderr).toBe(3);
      expect(r.stderr).toContain(name);
      expect(r.stderr).toMatch(message);
      const v = (JSON.parse(readFileSync(json, 'utf8')) as Report).videos[0];
      expect(v.error?.code).toBe(code);
      expect(v.frames).toBeUndefined();
      expect(existsSync(overlay)).toBe(false);
      expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    },
    300_000,
  );

  it('a video with a .png overlay path is a usage error (exit 2)', async () => {
    const r = await hands(['analyze', at('first-frames'), '--quality', 'fast', '--overlay', at('x.png'), '--quiet'], 300_000);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the overlay of a video is a video/);
    expect(existsSync(at('x.png'))).toBe(false);
  }, 300_000);
});
