/**
 * FreiHAND's native format: `<split>_K.json` (N x 3 x 3 intrinsics) and `<split>_xyz.json` (N x 21 x 3
 * metres, camera frame, MediaPipe's joint order) next to `<split>/rgb/%08d.jpg` (224 x 224 crops).
 * The training set has 4 images per label (green screen + 3 backgrounds): image i uses label i mod N.
 * 2D ground truth = projection of xyz with K.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { NUM_KEYPOINTS } from '../../core/keypoints';
import type { Vec3 } from '../../core/metrics/procrustes';
import { applyLimit, project, readJson } from './common';
import { IDENTITY_ORDER, reorder } from './jointMaps';
import type { EvalDataset, EvalSample, LoadOptions } from './types';

/** The split prefix ("training", "evaluation", "" for bare K.json / xyz.json) of a FreiHAND folder, or undefined. */
export function freihandPrefix(dir: string): string | undefined {
  const files = new Set(readdirSync(dir));
  for (const f of files) {
    const m = /^(.*?)_?K\.json$/.exec(f);
    if (m && (files.has(`${m[1]}_xyz.json`) || files.has(`${m[1]}xyz.json`))) return m[1];
  }
  return undefined;
}

export async function loadFreihand(dir: string, opts: LoadOptions = {}): Promise<EvalDataset> {
  const prefix = freihandPrefix(dir);
  if (prefix === undefined) throw new Error(`${dir}: no FreiHAND <split>_K.json + <split>_xyz.json`);
  const sep = prefix ? '_' : '';
  const ks = await readJson<number[][][]>(join(dir, `${prefix}${sep}K.json`));
  const xyzs = await readJson<number[][][]>(join(dir, `${prefix}${sep}xyz.json`));
  if (ks.length !== xyzs.length) throw new Error(`${dir}: ${ks.length} K but ${xyzs.length} xyz entries`);
  const rgbDirs = [opts.imagesDir, join(dir, prefix, 'rgb'), join(dir, 'rgb'), dir].filter((d): d is string => !!d && existsSync(d));
  const rgb = rgbDirs.find((d) => readdirSync(d).some((f) => /^\d+\.(jpg|png)$/i.test(f)));
  if (!rgb) throw new Error(`${dir}: no images named 00000000.jpg ... in ${prefix || '.'}/rgb`);
  const images = readdirSync(rgb)
    .filter((f) => /^\d+\.(jpg|png)$/i.test(f))
    .sort();
  const samples: EvalSample[] = [];
  for (const f of applyLimit(images, opts.limit)) {
    const i = Number(f.replace(/\.\w+$/, ''));
    const k = ks[i % ks.length];
    const xyz = xyzs[i % xyzs.length];
    if (xyz.length !== NUM_KEYPOINTS) throw new Error(`${dir}: label ${i % xyzs.length} has ${xyz.length} joints`);
    const meta = await sharp(join(rgb, f)).metadata();
    const side = Math.max(meta.width ?? 224, meta.height ?? 224);
    const keypoints2d = reorder(project(xyz, k), IDENTITY_ORDER);
    const keypoints3d = reorder(
      xyz.map(([x, y, z]) => [1000 * x, 1000 * y, 1000 * z] as Vec3),
      IDENTITY_ORDER,
    );
    samples.push({
      id: f.replace(/\.\w+$/, ''),
      image: join(rgb, f),
      crop: true,
      hands: [
        { keypoints2d, visible: keypoints2d.map(() => true), keypoints3d, valid3d: keypoints3d.map(() => true), box: [0, 0, side, side], normaliser: side },
      ],
    });
  }
  return {
    format: 'freihand',
    path: dir,
    name: dir.split('/').filter(Boolean).pop() || 'freihand',
    samples,
    notes: [
      'freihand: 2D = projection of xyz with K (no visibility labels: every joint counts, occluded or not); PCK normaliser = image side; 3D xyz m -> mm. Joint definitions differ a little between data sets (MANO-based here): prefer PA-MPJPE and 2D PCK over raw MPJPE.',
    ],
  };
}
