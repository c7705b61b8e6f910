import { HandsError } from '../../core/errors';
import { cameraError } from './cameraErrors';

/** The user's camera as a playing, muted <video>. */
export class Webcam {
  readonly video = document.createElement('video');
  private stream: MediaStream | null = null;

  constructor() {
    this.video.muted = true;
    this.video.playsInline = true;
  }

  get active(): boolean {
    return this.stream !== null;
  }

  /** Resolves once frames flow; throws HandsError (camera-denied / -missing / -failed). */
  async start(): Promise<HTMLVideoElement> {
    this.stop();
    if (!navigator.mediaDevices?.getUserMedia) {
      throw new HandsError('camera-failed', 'This page cannot use a camera here.', 'Open it over https or on localhost, or drop an image or a video file.');
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false });
    } catch (err) {
      throw cameraError(err);
    }
    this.stream = stream;
    this.video.srcObject = stream;
    try {
      await this.video.play();
      if (this.video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) await once(this.video, 'loadeddata');
    } catch (err) {
      this.stop();
      throw cameraError(err);
    }
    return this.video;
  }

  stop(): void {
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    this.video.pause();
    this.video.srcObject = null;
  }
}

function once(target: EventTarget, type: string): Promise<void> {
  return new Promise((resolve) => target.addEventListener(type, () => resolve(), { once: true }));
}
