import { spawnSync } from 'node:child_process';

export interface RawVideo {
  width: number;
  height: number;
  fps: number;
  frames: Uint8Array[];
}

/** Decodes a video into RGB24 frames with Debian's ffmpeg (scripts/setup-system.sh installs it). */
export function decodeVideo(path: string, maxFrames = Infinity): RawVideo {
  const probe = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,r_frame_rate', '-of', 'json', path], {
    encoding: 'utf8',
  });
  if (probe.status !== 0) throw new Error(`ffprobe failed on ${path}: ${probe.stderr}`);
  const s = JSON.parse(probe.stdout).streams[0];
  const [num, den] = String(s.r_frame_rate).split('/').map(Number);
  const args = ['-v', 'error', '-i', path];
  if (Number.isFinite(maxFrames)) args.push('-frames:v', String(maxFrames));
  args.push('-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');
  const out = spawnSync('ffmpeg', args, { maxBuffer: 2 ** 31 });
  if (out.status !== 0) throw new Error(`ffmpeg failed on ${path}: ${out.stderr}`);
  const size = s.width * s.height * 3;
  const frames: Uint8Array[] = [];
  for (let o = 0; o + size <= out.stdout.length; o += size) frames.push(new Uint8Array(out.stdout.buffer, out.stdout.byteOffset + o, size));
  return { width: s.width, height: s.height, fps: num / (den || 1), frames };
}
