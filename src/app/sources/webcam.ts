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

  /**
   * Resolves once frames flow; throws HandsError (camera-denied / -missing / -failed).
   * `onLost`: the camera went away while running (unplugged, taken by another application, its
   * permission revoked): the track ended without stop() being called.
   */
  async start(onLost?: (err: HandsError) => void): Promise<HTMLVideoElement> {
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
    for (const track of stream.getVideoTracks()) {
      track.addEventListener('ended', () => {
        if (this.stream !== stream) return; // stopped by us
        this.stop();
        onLost?.(
          new HandsError(
            'camera-failed',
            `The camera stopped${track.label ? ` (${track.label})` : ''}: it was unplugged, switched off, or taken by another application.`,
            'Reconnect it and press Retry. You can still open or drop an image or a video file.',
          ),
        );
      });
    }
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
