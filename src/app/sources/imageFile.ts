import { HandsError } from '../../core/errors';
import { FORMAT_NAMES, type Sniffed } from './sniff';

/** Files larger than this are refused before decoding (as in the CLI). */
export const MAX_IMAGE_BYTES = 200 * 1024 * 1024;
/**
 * Images with more pixels than this are refused by their declared size, before decoding: the
 * browser would need 4 bytes per pixel at once (a 30000 x 20000 photo: 2.4 GB, decoded in ~3 s
 * by Chromium; a PNG "bomb" declares 100000 x 100000 in a few hundred bytes).
 */
export const MAX_IMAGE_PIXELS = 30_000 * 20_000;
/** Longer side analysed and shown; bigger images are downscaled, results scaled back to the original's pixels. */
export const MAX_ANALYSIS_SIDE = 4096;

export interface DecodedImage {
  /** What is analysed and drawn: the picture, EXIF orientation applied, at most MAX_ANALYSIS_SIDE on its longer side. */
  bitmap: ImageBitmap;
  /** The original picture's size (after EXIF orientation): results are reported in these pixels. */
  width: number;
  height: number;
}

const RETRY_HINT = 'Re-export or re-download it, or open another JPEG, PNG or WebP image.';

/** Decodes an image file, EXIF orientation applied; throws HandsError with a hint. */
export async function decodeImageFile(file: File, sniffed?: Sniffed): Promise<DecodedImage> {
  if (file.size === 0) throw new HandsError('empty-file', `${file.name} is empty (0 bytes).`, 'Choose an image file with content.');
  if (file.size > MAX_IMAGE_BYTES) {
    throw new HandsError(
      'image-too-large',
      `${file.name} is ${(file.size / 1e6).toFixed(0)} MB; the limit is ${MAX_IMAGE_BYTES / 1e6} MB.`,
      'Downscale or recompress the image.',
    );
  }
  const declared = sniffed?.kind === 'image' && sniffed.width && sniffed.height ? { width: sniffed.width, height: sniffed.height } : null;
  if (declared && declared.width * declared.height > MAX_IMAGE_PIXELS) {
    throw new HandsError(
      'image-too-large',
      `${file.name} is ${declared.width}x${declared.height} pixels; the limit is ${MAX_IMAGE_PIXELS / 1e6} megapixels.`,
      'Downscale the image (for example to 8000 pixels wide) and open it again.',
    );
  }
  const what = sniffed?.kind === 'image' ? FORMAT_NAMES[sniffed.format] : 'image';
  let full: ImageBitmap;
  try {
    full = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch (err) {
    throw new HandsError(
      'corrupt-file',
      `${file.name} could not be decoded as ${article(what)} ${what}: it is truncated, damaged, or not really an image.`,
      RETRY_HINT,
      { cause: err },
    );
  }
  const { width, height } = full;
  const longer = Math.max(width, height);
  if (longer <= MAX_ANALYSIS_SIDE) return { bitmap: full, width, height };
  const scale = MAX_ANALYSIS_SIDE / longer;
  try {
    const bitmap = await createImageBitmap(full, {
      resizeWidth: Math.max(1, Math.round(width * scale)),
      resizeHeight: Math.max(1, Math.round(height * scale)),
      resizeQuality: 'high',
    });
    return { bitmap, width, height };
  } catch (err) {
    throw new HandsError(
      'image-too-large',
      `${file.name} (${width}x${height} pixels) could not be downscaled for analysis: the browser ran out of memory.`,
      'Downscale the image and open it again.',
      { cause: err },
    );
  } finally {
    full.close();
  }
}

const article = (word: string) => (/^[aeiouAEIOU]/.test(word) ? 'an' : 'a');
