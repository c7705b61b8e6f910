/**
 * hand-graph-cnn real-world test set style: `annotations.json` = {samples: [{image, uv_crop256
 * (21 x 2 px), xyz_cm (21 x 3, camera frame), K_crop256, ...}]}, 256 x 256 crops centred on the hand,
 * joints already in MediaPipe's order (the file's `joint_order` says so in words; there are no
 * per-joint names).
 */
import { dirname, join } from 'node:path';
import { NUM_KEYPOINTS } from '../../core/keypoints';
import type { Vec3 } from '../../core/metrics/procrustes';
import type { Vec2 } from '../../core/metrics/keypoints2d';
import { applyLimit, readJson, resolveImage } from './common';
import { IDENTITY_ORDER, reorder } from './jointMaps';
import type { EvalDataset, LoadOptions } from './types';

export const HGCNN_CROP = 256;

interface HgcnnFile {
  joint_order?: string;
  samples: { image: string; uv_crop256: number[][]; xyz_cm?: number[][] }[];
}

export function isHgcnnJson(j: unknown): boolean {
  const s = (j as HgcnnFile | undefined)?.samples;
  return Array.isArray(s) && s.length > 0 && Array.isArray(s[0]?.uv_crop256);
}

/** `path`: the folder holding annotations.json, or the json file itself. */
export async function loadHgcnn(path: string, opts: LoadOptions = {}): Promise<EvalDataset> {
  const file = path.endsWith('.json') ? path : join(path, 'annotations.json');
  const dir = dirname(file);
  const json = await readJson<HgcnnFile>(file);
  if (!isHgcnnJson(json)) throw new Error(`${file}: no samples with uv_crop256`);
  const notes = ['hgcnn: 256x256 crops centred on one hand; PCK normaliser = 256 px; 3D from xyz_cm (x10 -> mm).'];
  if (json.joint_order && !/wrist.*thumb.*index.*middle.*ring.*pinky/i.test(json.joint_order))
    notes.push(`hgcnn: unexpected joint_order "${json.joint_order}"; assumed MediaPipe's.`);
  const samples = applyLimit(json.samples, opts.limit).map((s, i) => {
    if (s.uv_crop256.length !== NUM_KEYPOINTS) throw new Error(`${file}: sample ${i} has ${s.uv_crop256.length} joints, expected 21`);
    const keypoints2d = reorder(
      s.uv_crop256.map(([u, v]) => [u, v] as Vec2),
      IDENTITY_ORDER,
    );
    const keypoints3d = s.xyz_cm
      ? reorder(
          s.xyz_cm.map(([x, y, z]) => [10 * x, 10 * y, 10 * z] as Vec3),
          IDENTITY_ORDER,
        )
      : undefined;
    return {
      id: s.image.replace(/^.*\//, '').replace(/\.[^.]+$/, ''),
      image: resolveImage(s.image, dir, opts.imagesDir),
      crop: true,
      hands: [
        {
          keypoints2d,
          visible: keypoints2d.map(() => true),
          keypoints3d,
          valid3d: keypoints3d?.map(() => true),
          box: [0, 0, HGCNN_CROP, HGCNN_CROP] as [number, number, number, number],
          normaliser: HGCNN_CROP,
        },
      ],
    };
  });
  return { format: 'hgcnn', path, name: dir.split('/').pop() || 'hgcnn', samples, notes };
}
