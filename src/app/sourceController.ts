import { HandsError } from '../core/errors';
import { inspectFile } from './sources/fileKind';
import { enableFileDrop } from './sources/fileDrop';
import { decodeImageFile, type DecodedImage } from './sources/imageFile';
import { VideoFile } from './sources/videoFile';
import { Webcam } from './sources/webcam';
import type { Banner } from './ui/banner';

/** A playing video being analysed: the camera (name null) or a video file. */
export interface LiveSource {
  kind: 'live';
  video: HTMLVideoElement;
  /** File name, or null for the camera (names exported files). */
  name: string | null;
}

/** A still image (owned by the view's background; at most MAX_ANALYSIS_SIDE, its original size in width and height). */
export interface StillSource {
  kind: 'still';
  image: DecodedImage;
  name: string;
}

/** What the page shows and analyses. */
export type Source = LiveSource | StillSource | { kind: 'none' };

export interface SourceEvents {
  /** A new source is current: show it and start analysing it. */
  shown(source: LiveSource | StillSource): void;
  /** The source shown went away (camera stopped or lost, video file broken): nothing is shown. */
  cleared(): void;
  /** Mirror the view: a selfie view for the camera, none for files. */
  mirror(mirrored: boolean): void;
}

const element = (id: string) => document.getElementById(id) as HTMLElement;

/**
 * The current source and the switching between them: the camera (Start / Stop buttons) and files
 * (picked or dropped). A source that cannot be used leaves the current one running and says why in
 * the banner.
 */
export class SourceController {
  private readonly webcam = new Webcam();
  /** The video file playing, or null. */
  private videoFile: VideoFile | null = null;
  /** Counts file opens: a slow decode that finishes after a newer file was opened is dropped. */
  private opening = 0;
  private source: Source = { kind: 'none' };

  constructor(
    private readonly banner: Banner,
    private readonly events: SourceEvents,
  ) {}

  /** The source shown, if any. */
  get current(): Source {
    return this.source;
  }

  /** The playing video (webcam or file) being analysed, or null. */
  get live(): HTMLVideoElement | null {
    return this.source.kind === 'live' ? this.source.video : null;
  }

  /** The still image shown, or null. */
  get still(): DecodedImage | null {
    return this.source.kind === 'still' ? this.source.image : null;
  }

  /** File name of the source, or null for the camera or no source. */
  get name(): string | null {
    return this.source.kind === 'none' ? null : this.source.name;
  }

  /** Wires the camera buttons, the file input and file drops. */
  listen(): void {
    element('camera-start').addEventListener('click', () => void this.startCamera());
    element('camera-stop').addEventListener('click', () => this.stopCamera());
    const input = element('file-input') as HTMLInputElement;
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      input.value = ''; // picking the same file again still fires 'change'
      if (file) void this.openFile(file);
    });
    enableFileDrop(element('drop-overlay'), (file) => void this.openFile(file));
  }

  private async startCamera(): Promise<void> {
    this.banner.dismiss();
    let video: HTMLVideoElement;
    try {
      video = await this.webcam.start((err) => this.onCameraLost(err));
    } catch (err) {
      this.banner.show(HandsError.from(err).toJSON(), { label: 'Retry', run: () => void this.startCamera() });
      return;
    }
    this.events.mirror(true); // a selfie view feels natural for a camera facing the user
    this.closeVideoFile();
    this.show({ kind: 'live', video, name: null });
    this.setCameraButtons(true);
  }

  /** The camera went away mid-stream: say so, offer Retry; files still work. */
  private onCameraLost(err: HandsError): void {
    this.stopCamera();
    this.banner.show(err.toJSON(), { label: 'Retry', run: () => void this.startCamera() });
  }

  private stopCamera(): void {
    const wasShowing = this.live === this.webcam.video;
    this.webcam.stop();
    this.setCameraButtons(false);
    if (wasShowing) this.clear();
  }

  private setCameraButtons(running: boolean): void {
    element('camera-start').hidden = running;
    element('camera-stop').hidden = !running;
  }

  /**
   * Images and videos, recognised by their content; a file that cannot be used leaves the current
   * source running and says why. Of files opened in quick succession, the last one wins.
   */
  private async openFile(file: File): Promise<void> {
    const token = ++this.opening;
    try {
      const { kind, sniffed } = await inspectFile(file);
      if (token !== this.opening) return;
      if (kind === 'image') {
        const image = await decodeImageFile(file, sniffed);
        if (token !== this.opening) return image.bitmap.close();
        this.webcam.stop();
        this.closeVideoFile();
        this.setCameraButtons(false);
        this.show({ kind: 'still', image, name: file.name });
      } else {
        const video: VideoFile = await VideoFile.open(file, sniffed, (err) => this.onVideoFailure(video, err));
        if (token !== this.opening) return video.close();
        this.webcam.stop();
        this.setCameraButtons(false);
        this.closeVideoFile();
        this.videoFile = video;
        this.show({ kind: 'live', video: video.video, name: file.name });
      }
      this.banner.dismiss();
      this.events.mirror(false);
    } catch (err) {
      if (token === this.opening) this.banner.show(HandsError.from(err).toJSON());
    }
  }

  /** The playing video file broke further in: stop it and say so. */
  private onVideoFailure(video: VideoFile, err: HandsError): void {
    if (this.videoFile !== video) return;
    this.videoFile = null;
    if (this.live === video.video) this.clear();
    this.banner.show(err.toJSON());
  }

  private closeVideoFile(): void {
    this.videoFile?.close();
    this.videoFile = null;
  }

  private show(source: LiveSource | StillSource): void {
    this.source = source;
    this.events.shown(source);
  }

  private clear(): void {
    this.source = { kind: 'none' };
    this.events.cleared();
  }
}
