import * as tf from '@tensorflow/tfjs-core';
import { stat } from 'node:fs/promises';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { HandsError } from '../core/errors';

/** Files larger than this are refused before decoding. */
export const MAX_FILE_BYTES = 200 * 1024 * 1024;
/** Images with more pixels than this are refused (decompression bombs). */
export const MAX_INPUT_PIXELS = 40_000 * 40_000;
/** Images are analysed at most this long on their longer side; results are scaled back. */
export const MAX_ANALYSIS_SIDE = 4096;

export interface DecodedImage {
  /** RGB, 0..255, [H, W, 3] at analysis resolution. */
  tensor: tf.Tensor3D;
  /** Original size (after EXIF orientation). */
  width: number;
  height: number;
  /** analysis pixels -> original pixels. */
  scale: number;
}

/**
 * Decodes an image file with sharp (libvips): EXIF orientation applied, alpha dropped (composited
 * on black), greyscale/CMYK/16-bit converted to 8-bit sRGB, downscaled for analysis when huge.
 */
export async function decodeImageFile(path: string): Promise<DecodedImage> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new HandsError('unsupported-file', `${path} is not a file`, 'Pass an image file (JPEG, PNG, WebP, GIF, AVIF, TIFF).');
    size = st.size;
  } catch (err) {
    if (err instanceof HandsError) throw err;
    throw new HandsError('file-not-found', `${path}: no such file`, 'Check the path.', { cause: err });
  }
  if (size === 0) throw new HandsError('empty-file', `${path} is empty (0 bytes)`, 'Pass an image file with content.');
  if (size > MAX_FILE_BYTES)
    throw new HandsError(
      'image-too-large',
      `${path} is ${(size / 1e6).toFixed(0)} MB; the limit is ${MAX_FILE_BYTES / 1e6} MB`,
      'Downscale or recompress the image.',
    );
  let meta: Metadata;
  try {
    // the header only: a decompression bomb is refused below by its declared size, by name
    meta = await sharp(path, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new HandsError(
      'unsupported-file',
      `${path} is not an image this tool can read (${(err as Error).message})`,
      'Pass a JPEG, PNG, WebP, GIF, AVIF or TIFF image.',
      { cause: err },
    );
  }
  if (!meta.width || !meta.height) throw new HandsError('corrupt-file', `${path} has no image size`, 'The file may be damaged; re-export it.');
  if (meta.format === 'svg' || meta.format === 'pdf')
    throw new HandsError('unsupported-file', `${path} is ${meta.format.toUpperCase()}, not a photo`, 'Pass a raster image (JPEG, PNG, WebP).');
  if (meta.width * meta.height > MAX_INPUT_PIXELS)
    throw new HandsError(
      'image-too-large',
      `${path} is ${meta.width}x${meta.height} pixels; the limit is ${MAX_INPUT_PIXELS / 1e6} megapixels`,
      'Downscale the image.',
    );
  const rotated = (meta.orientation ?? 1) >= 5;
  const width = rotated ? meta.height : meta.width;
  const height = rotated ? meta.width : meta.height;
  const scale = Math.max(1, Math.max(width, height) / MAX_ANALYSIS_SIDE);
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    let img = sharp(path, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate().toColourspace('srgb').flatten({ background: '#000000' });
    if (scale > 1) img = img.resize(Math.round(width / scale), Math.round(height / scale), { fit: 'fill' });
    decoded = await img.removeAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (decoded.info.channels !== 3) throw new Error(`decoded to ${decoded.info.channels} channels`);
  } catch (err) {
    throw new HandsError('corrupt-file', `${path} could not be decoded: ${(err as Error).message}`, 'The file may be truncated or damaged; re-export it.', {
      cause: err,
    });
  }
  const { data, info } = decoded;
  const tensor = tf.tensor3d(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), [info.height, info.width, 3], 'int32');
  return { tensor, width, height, scale: width / info.width };
}
