import { HandsError } from '../../core/errors';
import { FORMAT_NAMES, sniff, SNIFF_BYTES, type Sniffed } from './sniff';

const IMAGE_EXTENSIONS = /\.(jpe?g|png|webp|gif|avif|bmp|ico)$/i;
const VIDEO_EXTENSIONS = /\.(mp4|webm|ogv|mov|m4v|mkv)$/i;
const OPEN_HINT = 'Open a JPEG, PNG or WebP image, or an MP4 or WebM video.';

export type FileKind = 'image' | 'video' | 'unsupported';

/** By MIME type, or by extension where the browser gave none. */
export function fileKind(file: File): FileKind {
  if (file.type.startsWith('image/')) return file.type === 'image/svg+xml' ? 'unsupported' : 'image';
  if (file.type.startsWith('video/')) return 'video';
  if (!file.type && IMAGE_EXTENSIONS.test(file.name)) return 'image';
  if (!file.type && VIDEO_EXTENSIONS.test(file.name)) return 'video';
  return 'unsupported';
}

export interface InspectedFile {
  kind: 'image' | 'video';
  /** What the first bytes say ('other'/'unknown' when they say nothing, and the name decided). */
  sniffed: Sniffed;
}

/**
 * Image or video, by content first (a renamed file is what it is), by name or MIME type when the
 * content is not recognised; throws HandsError (empty-file, unsupported-file) with what it is and
 * what to open instead.
 */
export async function inspectFile(file: File): Promise<InspectedFile> {
  if (file.size === 0) throw new HandsError('empty-file', `${file.name} is empty (0 bytes).`, `It may not have finished downloading or copying. ${OPEN_HINT}`);
  let sniffed: Sniffed;
  try {
    sniffed = sniff(new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer()));
  } catch (err) {
    throw new HandsError('corrupt-file', `${file.name} could not be read.`, 'The file may have been moved or deleted; pick it again.', { cause: err });
  }
  if (sniffed.kind === 'image' || sniffed.kind === 'video') return { kind: sniffed.kind, sniffed };
  const what = FORMAT_NAMES[sniffed.format];
  switch (sniffed.format) {
    case 'svg':
      throw new HandsError('unsupported-file', `${file.name} is an SVG drawing, not a photo.`, `Export it as a PNG (raster image) first. ${OPEN_HINT}`);
    case 'tiff':
    case 'heic':
      throw new HandsError('unsupported-file', `${file.name} is a ${what}, which browsers cannot decode.`, `Convert it to JPEG or PNG first. ${OPEN_HINT}`);
    case 'pdf':
    case 'html':
    case 'zip':
    case 'text':
      throw new HandsError('unsupported-file', `${file.name} is not an image or a video: it is a ${what}${misnamed(file)}.`, OPEN_HINT);
    case 'unknown': {
      // not recognised: trust the name (the browser may know formats we do not sniff)
      const kind = fileKind(file);
      if (kind !== 'unsupported') return { kind, sniffed };
      throw new HandsError('unsupported-file', `${file.name} is not an image or a video (${file.type || 'unknown type'}).`, OPEN_HINT);
    }
  }
}

/** ", named .jpg" when the name promises a picture. */
function misnamed(file: File): string {
  const ext = /\.[^.]+$/.exec(file.name)?.[0];
  return ext && (IMAGE_EXTENSIONS.test(file.name) || VIDEO_EXTENSIONS.test(file.name)) ? ` renamed ${ext}` : '';
}
