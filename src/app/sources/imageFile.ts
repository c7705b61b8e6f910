import { HandsError } from '../../core/errors';

/** Files larger than this are refused before decoding. */
export const MAX_IMAGE_BYTES = 100 * 1024 * 1024;
/** Longer side shown and analysed; bigger photos are downscaled (results are in these pixels). */
export const MAX_IMAGE_SIDE = 4096;

/** Decodes an image file, EXIF orientation applied; throws HandsError with a hint. */
export async function decodeImageFile(file: File): Promise<ImageBitmap> {
  if (file.size === 0) throw new HandsError('empty-file', `${file.name} is empty (0 bytes).`, 'Choose an image file with content.');
  if (file.size > MAX_IMAGE_BYTES) {
    throw new HandsError('image-too-large', `${file.name} is ${(file.size / 1e6).toFixed(0)} MB; the limit is ${MAX_IMAGE_BYTES / 1e6} MB.`, 'Downscale or recompress the image.');
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch (err) {
    throw new HandsError('corrupt-file', `${file.name} could not be decoded as an image.`, 'The file may be damaged or not really an image; try a JPEG, PNG or WebP.', { cause: err });
  }
  const longer = Math.max(bitmap.width, bitmap.height);
  if (longer <= MAX_IMAGE_SIDE) return bitmap;
  const scale = MAX_IMAGE_SIDE / longer;
  try {
    return await createImageBitmap(bitmap, { resizeWidth: Math.round(bitmap.width * scale), resizeHeight: Math.round(bitmap.height * scale), resizeQuality: 'high' });
  } finally {
    bitmap.close();
  }
}
