import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import sharp from 'sharp';

const run = promisify(execFile);

/** Container extensions `hands analyze` reads as video (audio-only ones too: they get "no video stream"). */
const VIDEO_EXT = /\.(mp4|m4v|mov|qt|webm|mkv|avi|ogv|ogg|mpg|mpeg|ts|mts|m2ts|3gp|flv|wmv|m4a|mp3|wav|aac|flac|opus)$/i;
/** Image extensions: decided without probing, so every image keeps the image path's own errors. */
const IMAGE_EXT = /\.(jpe?g|png|webp|gif|avif|tiff?|heic|heif|bmp|svg|pdf)$/i;

/**
 * Whether an input is a still or a video: by its extension, else by its content (sharp reads it:
 * an image; else ffprobe finds streams in it: a video). Unknown files go the image way, whose
 * errors say what was expected.
 */
export async function inputKind(path: string): Promise<'image' | 'video'> {
  if (VIDEO_EXT.test(path)) return 'video';
  if (IMAGE_EXT.test(path)) return 'image';
  try {
    await sharp(path, { limitInputPixels: false }).metadata();
    return 'image';
  } catch {
    // not an image sharp knows
  }
  try {
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', path]);
    return stdout.trim() ? 'video' : 'image';
  } catch {
    return 'image';
  }
}
