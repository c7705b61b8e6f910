import { HandsError } from '../../core/errors';

const OTHER_SOURCES = 'You can still open or drop an image or a video file.';

/** getUserMedia's DOMException names -> an error that says what to do. */
export function cameraError(err: unknown): HandsError {
  const name = (err as { name?: string })?.name ?? '';
  const detail = (err as Error)?.message ?? String(err);
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return new HandsError(
        'camera-denied',
        'Camera permission was denied.',
        `Allow camera access for this page (camera icon in the address bar), then press Retry. ${OTHER_SOURCES}`,
        { cause: err },
      );
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return new HandsError('camera-missing', 'No camera found.', `Connect a camera and press Retry. ${OTHER_SOURCES}`, { cause: err });
    case 'NotReadableError':
    case 'TrackStartError':
      return new HandsError(
        'camera-failed',
        'The camera could not be started: another application may be using it.',
        `Close the other application and press Retry. ${OTHER_SOURCES}`,
        { cause: err },
      );
    default:
      return new HandsError('camera-failed', `The camera could not be started (${name || 'error'}: ${detail}).`, `Press Retry. ${OTHER_SOURCES}`, {
        cause: err,
      });
  }
}
