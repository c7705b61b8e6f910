import { HandsError } from '../../core/errors';

/** A dropped or picked video file, playing muted in a loop from an object URL. */
export class VideoFile {
  readonly video = document.createElement('video');
  private url = '';

  constructor() {
    this.video.muted = true;
    this.video.loop = true;
    this.video.playsInline = true;
  }

  /** Resolves once the first frame is decoded; throws HandsError when the browser cannot play it. */
  async open(file: File): Promise<HTMLVideoElement> {
    this.close();
    if (file.size === 0) throw new HandsError('empty-file', `${file.name} is empty (0 bytes).`, 'Choose a video file with content.');
    this.url = URL.createObjectURL(file);
    this.video.src = this.url;
    try {
      await new Promise<void>((resolve, reject) => {
        this.video.addEventListener('loadeddata', () => resolve(), { once: true });
        this.video.addEventListener('error', () => reject(this.video.error), { once: true });
      });
      await this.video.play();
    } catch (err) {
      this.close();
      const unsupported = (err as MediaError | null)?.code === 4; // MEDIA_ERR_SRC_NOT_SUPPORTED
      throw new HandsError(
        unsupported ? 'unsupported-file' : 'corrupt-file',
        `${file.name} could not be played${unsupported ? ': this browser does not support its format' : ''}.`,
        'Try an MP4 (H.264) or WebM video.',
        { cause: err },
      );
    }
    return this.video;
  }

  close(): void {
    this.video.pause();
    this.video.removeAttribute('src');
    this.video.load();
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = '';
  }
}
