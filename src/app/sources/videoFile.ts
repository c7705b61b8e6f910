import { HandsError } from '../../core/errors';
import type { Sniffed } from './sniff';

/** A video whose first frame has not been decoded after this long is given up on. */
export const VIDEO_OPEN_TIMEOUT_MS = 15_000;

/**
 * A dropped or picked video file, playing muted in a loop from an object URL. One instance per
 * file: opening the next file never disturbs the one playing until the new one is known to work.
 */
export class VideoFile {
  readonly video = document.createElement('video');
  private url = '';
  private onFailure: ((err: HandsError) => void) | null = null;

  private constructor(private readonly name: string) {
    this.video.muted = true;
    this.video.loop = true;
    this.video.playsInline = true;
  }

  /**
   * Resolves once the first frame is decoded and playing; throws HandsError when the browser
   * cannot play it (damaged, truncated, no frames, no picture, unsupported codec).
   * `onFailure`: the video broke later, while playing (e.g. a damaged part further in).
   */
  static async open(file: File, sniffed: Sniffed | undefined, onFailure: (err: HandsError) => void): Promise<VideoFile> {
    if (file.size === 0) throw new HandsError('empty-file', `${file.name} is empty (0 bytes).`, 'Choose a video file with content.');
    const v = new VideoFile(file.name);
    v.url = URL.createObjectURL(file);
    const video = v.video;
    const recognised = sniffed?.kind === 'video';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no frame after ${VIDEO_OPEN_TIMEOUT_MS / 1000} s`)), VIDEO_OPEN_TIMEOUT_MS);
        const done = (f: () => void) => () => {
          clearTimeout(timer);
          f();
        };
        video.addEventListener('loadeddata', done(resolve), { once: true });
        video.addEventListener(
          'error',
          done(() => reject(video.error)),
          { once: true },
        );
        video.src = v.url;
      });
      if (video.videoWidth === 0 || video.videoHeight === 0) {
        throw new HandsError('unsupported-file', `${file.name} has no picture (an audio-only file?).`, 'Open a video with a picture, or an image.');
      }
      await video.play();
    } catch (err) {
      v.close();
      if (err instanceof HandsError) throw err;
      const code = (err as MediaError | null)?.code;
      const detail = (err as { message?: string } | null)?.message;
      const supported = code !== 4 || recognised; // MEDIA_ERR_SRC_NOT_SUPPORTED: unknown container, or a known one that cannot be opened
      throw new HandsError(
        supported ? 'corrupt-file' : 'unsupported-file',
        supported
          ? `${file.name} could not be played: it is truncated or damaged, has no frames, or uses a codec this browser cannot decode${detail ? ` (${detail})` : ''}.`
          : `${file.name} could not be played: this browser does not support its format.`,
        'Try an MP4 (H.264) or WebM (VP8/VP9) video, or open an image.',
        { cause: err },
      );
    }
    v.onFailure = onFailure;
    video.addEventListener('error', () => {
      const failure = v.onFailure;
      v.close();
      failure?.(
        new HandsError(
          'corrupt-file',
          `${v.name} stopped playing: part of it is damaged (${video.error?.message || `media error ${video.error?.code}`}).`,
          'Re-export the video, or open another file.',
        ),
      );
    });
    return v;
  }

  close(): void {
    this.onFailure = null;
    this.video.pause();
    this.video.removeAttribute('src');
    this.video.load();
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = '';
  }
}
