const IMAGE_EXTENSIONS = /\.(jpe?g|png|webp|gif|avif|bmp|ico)$/i;
const VIDEO_EXTENSIONS = /\.(mp4|webm|ogv|mov|m4v|mkv)$/i;

export type FileKind = 'image' | 'video' | 'unsupported';

/** By MIME type, or by extension where the browser gave none. */
export function fileKind(file: File): FileKind {
  if (file.type.startsWith('image/')) return file.type === 'image/svg+xml' ? 'unsupported' : 'image';
  if (file.type.startsWith('video/')) return 'video';
  if (!file.type && IMAGE_EXTENSIONS.test(file.name)) return 'image';
  if (!file.type && VIDEO_EXTENSIONS.test(file.name)) return 'video';
  return 'unsupported';
}
