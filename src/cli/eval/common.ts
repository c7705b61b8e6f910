/** Small helpers shared by the data-set loaders. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { HandsError } from '../../core/errors';
import { pointsBox, type Vec2 } from '../../core/metrics/keypoints2d';

export async function readJson<T = unknown>(path: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new HandsError('file-not-found', `${path}: cannot read (${(err as Error).message})`, 'Check the --dataset path.', { cause: err });
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new HandsError('corrupt-file', `${path} is not valid JSON (${(err as Error).message})`, 'The annotation file may be truncated.', { cause: err });
  }
}

/**
 * Finds an annotation's image: as given (absolute), under --images, next to the annotation file,
 * in an images/ folder there, or by its base name alone (samples flattened into one folder).
 */
export function resolveImage(fileName: string, annotationDir: string, imagesDir?: string): string {
  if (isAbsolute(fileName)) return fileName;
  const candidates = [
    ...(imagesDir ? [join(imagesDir, fileName), join(imagesDir, basename(fileName))] : []),
    join(annotationDir, fileName),
    join(annotationDir, 'images', fileName),
    join(dirname(annotationDir), 'images', fileName),
    join(annotationDir, basename(fileName)),
  ];
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}

/** [x, y, w, h] -> [xMin, yMin, xMax, yMax], or undefined for an empty box. */
export function boxFromXywh(b: unknown): [number, number, number, number] | undefined {
  if (!Array.isArray(b) || b.length < 4) return undefined;
  const [x, y, w, h] = b.map(Number);
  return w > 0 && h > 0 ? [x, y, x + w, y + h] : undefined;
}

export function keypointBox(points: readonly Vec2[], visible: readonly boolean[]): [number, number, number, number] {
  return pointsBox(points, visible);
}

export const longerSide = (b: readonly number[]) => Math.max(b[2] - b[0], b[3] - b[1]);

/** Points [x, y, v] -> positions and visibility (v > 0; (0, 0, 0) placeholders are not annotated). */
export function splitTriples(flatOrNested: unknown, count: number): { points: Vec2[]; visible: boolean[] } {
  const flat = (Array.isArray(flatOrNested) ? flatOrNested.flat() : []).map(Number);
  if (flat.length !== count * 3) throw new Error(`expected ${count} keypoints as [x, y, v] (${count * 3} numbers), got ${flat.length} numbers`);
  const points: Vec2[] = [];
  const visible: boolean[] = [];
  for (let i = 0; i < count; i++) {
    const [x, y, v] = flat.slice(3 * i, 3 * i + 3);
    points.push([x, y]);
    visible.push(v > 0 && Number.isFinite(x) && Number.isFinite(y));
  }
  return { points, visible };
}

/** Pinhole projection of camera-frame points with a 3x3 intrinsic matrix (row-major nested). */
export function project(points: readonly (readonly number[])[], k: readonly (readonly number[])[]): Vec2[] {
  return points.map(([x, y, z]) => {
    const u = k[0][0] * x + k[0][1] * y + k[0][2] * z;
    const v = k[1][0] * x + k[1][1] * y + k[1][2] * z;
    const w = k[2][0] * x + k[2][1] * y + k[2][2] * z;
    return [u / w, v / w];
  });
}

export function applyLimit<T>(items: T[], limit?: number): T[] {
  return limit !== undefined && limit >= 0 ? items.slice(0, limit) : items;
}
