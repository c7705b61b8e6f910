import { execFile, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { HandsError } from '../core/errors';
import { MAX_ANALYSIS_SIDE } from './decodeImage';

const run = promisify(execFile);

/**
 * Frames with more pixels than this are refused (8192 x 8192; an 8K UHD frame is 33 MP). Unlike
 * sharp with images, ffmpeg decodes every frame whole, so the limit is on the frame, not the file.
 */
export const MAX_VIDEO_PIXELS = 8192 * 8192;

export interface VideoInfo {
  path: string;
  /** Displayed size (after the container's rotation), in which results are reported. */
  width: number;
  height: number;
  /** Size of the frames handed to the pipeline (downscaled when the longer side exceeds MAX_ANALYSIS_SIDE). */
  analysisWidth: number;
  analysisHeight: number;
  /** analysis pixels -> displayed pixels. */
  scale: number;
  /** Average frame rate (for the overlay video; timestamps come from the packets). */
  fps: number;
  /** Presentation times (ms from the first frame) of the video packets, sorted: one per frame. */
  timestampsMs: number[];
  /** ffmpeg's index of the video stream. */
  streamIndex: number;
}

export interface VideoFrame {
  index: number;
  timestampMs: number;
  /** RGB24, analysisWidth x analysisHeight. */
  rgb: Uint8Array;
}

const HINT_VIDEO = 'Pass a video file ffmpeg can decode (MP4, WebM, MOV, MKV, AVI).';

interface ProbeStream {
  index: number;
  codec_type?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  disposition?: { attached_pic?: number };
  side_data_list?: Array<{ rotation?: number }>;
}

const rate = (r: string | undefined) => {
  const [n, d] = String(r ?? '')
    .split('/')
    .map(Number);
  const v = n / (d || 1);
  return Number.isFinite(v) && v > 0 && v < 1000 ? v : undefined;
};

/** ffprobe's complaint, last line, for messages. */
const lastLine = (err: unknown) =>
  String((err as { stderr?: string }).stderr ?? (err as Error).message)
    .trim()
    .split('\n')
    .pop() ?? '';

/**
 * Reads a video's header and packet times with Debian's ffprobe (no decoding) and applies the
 * same bad-input rules as images: missing, empty, unreadable, no video stream (audio only; cover
 * art does not count), too many pixels. Throws HandsError.
 */
export async function probeVideo(path: string): Promise<VideoInfo> {
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new HandsError('unsupported-file', `${path} is not a file`, HINT_VIDEO);
    if (st.size === 0) throw new HandsError('empty-file', `${path} is empty (0 bytes)`, 'Pass a video file with content.');
  } catch (err) {
    if (err instanceof HandsError) throw err;
    throw new HandsError('file-not-found', `${path}: no such file`, 'Check the path.', { cause: err });
  }
  let streams: ProbeStream[];
  try {
    const { stdout } = await run(
      'ffprobe',
      [
        '-v',
        'error',
        '-show_entries',
        'stream=index,codec_type,width,height,avg_frame_rate,r_frame_rate:stream_disposition=attached_pic:stream_side_data=rotation',
        '-of',
        'json',
        path,
      ],
      { maxBuffer: 16 << 20 },
    );
    streams = (JSON.parse(stdout) as { streams?: ProbeStream[] }).streams ?? [];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new HandsError('internal', 'ffprobe is not installed', 'Install ffmpeg (apt-get install ffmpeg; scripts/setup-system.sh does it).', { cause: err });
    throw new HandsError('corrupt-file', `${path} could not be read as a video (${lastLine(err)})`, 'The file may be truncated or damaged; re-export it.', {
      cause: err,
    });
  }
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!video) {
    const kinds = [...new Set(streams.map((s) => s.codec_type ?? 'unknown'))];
    throw new HandsError('unsupported-file', `${path} has no video stream (${kinds.length ? `only ${kinds.join(', ')}` : 'no streams'})`, HINT_VIDEO);
  }
  const rawW = video.width ?? 0;
  const rawH = video.height ?? 0;
  if (!rawW || !rawH) throw new HandsError('corrupt-file', `${path} has no frame size`, 'The file may be damaged; re-export it.');
  if (rawW * rawH > MAX_VIDEO_PIXELS)
    throw new HandsError(
      'image-too-large',
      `${path} has ${rawW}x${rawH}-pixel frames; the limit is ${MAX_VIDEO_PIXELS / 1e6} megapixels`,
      'Downscale the video (e.g. ffmpeg -vf scale=1920:-2).',
    );
  // ffmpeg turns frames upright by the container's rotation (phones), as sharp does with EXIF
  const rotation = Math.abs(video.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? 0) % 180;
  const [width, height] = rotation === 90 ? [rawH, rawW] : [rawW, rawH];
  const down = Math.max(1, Math.max(width, height) / MAX_ANALYSIS_SIDE);
  // even sizes: every decoder's scaler handles them
  const analysisWidth = down > 1 ? 2 * Math.round(width / down / 2) : width;
  const analysisHeight = down > 1 ? 2 * Math.round(height / down / 2) : height;
  let packets: number[];
  try {
    const { stdout } = await run(
      'ffprobe',
      ['-v', 'error', '-select_streams', String(video.index), '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', path],
      { maxBuffer: 256 << 20 },
    );
    packets = stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => Number.parseFloat(l));
  } catch (err) {
    throw new HandsError('corrupt-file', `${path} could not be read as a video (${lastLine(err)})`, 'The file may be truncated or damaged; re-export it.', {
      cause: err,
    });
  }
  if (packets.length === 0)
    throw new HandsError('corrupt-file', `${path} has a video stream but no frames`, 'The file may be truncated or damaged; re-export it.');
  const fps = rate(video.avg_frame_rate) ?? rate(video.r_frame_rate) ?? 25;
  // packets come in decode order (B-frames): sorted, they are the frames' presentation times;
  // a stream without times gets them from the frame rate
  const timed = packets.every(Number.isFinite);
  const sorted = timed ? [...packets].sort((a, b) => a - b) : packets.map((_, i) => i / fps);
  const timestampsMs = sorted.map((t) => (t - sorted[0]) * 1000);
  return { path, width, height, analysisWidth, analysisHeight, scale: width / analysisWidth, fps, timestampsMs, streamIndex: video.index };
}

/**
 * Decodes the video frame by frame with Debian's ffmpeg (rawvideo RGB24 on its stdout, read as
 * it comes): ffmpeg blocks while a frame is being analysed, so memory stays at a frame or two
 * whatever the length. Stopping early (break, an error) kills ffmpeg. A decoding error ends the
 * stream with HandsError('corrupt-file').
 */
export async function* videoFrames(info: VideoInfo): AsyncGenerator<VideoFrame> {
  const { path, analysisWidth: w, analysisHeight: h } = info;
  // -xerror: a damaged stream is refused, as sharp refuses a truncated JPEG, rather than analysed up to the damage
  const args = ['-v', 'error', '-xerror', '-nostdin', '-i', path, '-map', `0:${info.streamIndex}`, '-fps_mode', 'passthrough'];
  if (w !== info.width || h !== info.height) args.push('-vf', `scale=${w}:${h}:flags=area`);
  args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');
  const proc = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (s: string) => {
    if (stderr.length < 65536) stderr += s;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    proc.once('error', reject);
    proc.once('close', (code) => resolve(code));
  });
  const frameBytes = w * h * 3;
  const times = info.timestampsMs;
  const step = 1000 / info.fps;
  let frame = Buffer.allocUnsafe(frameBytes);
  let filled = 0;
  let index = 0;
  let done = false;
  try {
    for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
      for (let off = 0; off < chunk.length; ) {
        const n = Math.min(frameBytes - filled, chunk.length - off);
        chunk.copy(frame, filled, off, off + n);
        filled += n;
        off += n;
        if (filled === frameBytes) {
          const timestampMs = index < times.length ? times[index] : times[times.length - 1] + (index - times.length + 1) * step;
          yield { index, timestampMs, rgb: frame };
          index++;
          frame = Buffer.allocUnsafe(frameBytes);
          filled = 0;
        }
      }
    }
    const code = await exited;
    done = true;
    if (code !== 0)
      throw new HandsError(
        'corrupt-file',
        `${path} could not be decoded after ${index} frames (ffmpeg: ${stderr.trim().split('\n').pop() ?? `exit ${code}`})`,
        'The file may be truncated or damaged; re-export it.',
      );
    if (index === 0)
      throw new HandsError(
        'corrupt-file',
        `${path}: ffmpeg decoded no frames${stderr ? ` (${stderr.trim().split('\n').pop()})` : ''}`,
        'The file may be truncated or damaged; re-export it.',
      );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new HandsError('internal', 'ffmpeg is not installed', 'Install ffmpeg (apt-get install ffmpeg; scripts/setup-system.sh does it).', { cause: err });
    throw err;
  } finally {
    if (!done) {
      proc.kill('SIGKILL');
      await exited.catch(() => undefined);
    }
  }
}
