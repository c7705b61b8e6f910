/**
 * InterHand2.6M: `*_data.json` (COCO-like images with capture / camera / frame_idx, annotations
 * with hand_type and joint_valid), `*_camera.json` (capture -> campos, camrot, focal, princpt per
 * camera) and `*_joint_3d.json` (capture -> frame -> world_coord 42 x 3 mm). Camera frame =
 * camrot (world - campos); 2D = focal * (x, y) / z + princpt. Joints 0-20 right hand, 21-41 left,
 * each tip first, wrist last (see INTERHAND_ORDER). One GT hand per valid hand; GT box = the
 * visible joints' box (the annotation bbox spans both hands of an interacting pair).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Vec2 } from '../../core/metrics/keypoints2d';
import type { Vec3 } from '../../core/metrics/procrustes';
import { applyLimit, keypointBox, longerSide, readJson, resolveImage } from './common';
import { INTERHAND_ORDER, reorder } from './jointMaps';
import type { EvalDataset, EvalSample, GtHand, LoadOptions } from './types';

interface IhImage {
  id: number;
  file_name: string;
  capture: number | string;
  camera: string;
  frame_idx: number | string;
}
interface IhAnnotation {
  image_id: number;
  hand_type?: string;
  joint_valid?: (number | boolean)[][] | (number | boolean)[];
}
interface IhCameras {
  [capture: string]: {
    campos: Record<string, number[]>;
    camrot: Record<string, number[][]>;
    focal: Record<string, number[]>;
    princpt: Record<string, number[]>;
  };
}
interface IhJoints {
  [capture: string]: { [frame: string]: { world_coord: number[][]; joint_valid?: (number | boolean)[][]; hand_type?: string } };
}

export function interhandFiles(dir: string): { data: string; camera: string; joints: string } | undefined {
  const files = readdirSync(dir);
  const find = (suffix: string) => files.find((f) => f.endsWith(suffix));
  const data = find('_data.json');
  const camera = find('_camera.json');
  const joints = find('_joint_3d.json');
  return data && camera && joints ? { data: join(dir, data), camera: join(dir, camera), joints: join(dir, joints) } : undefined;
}

const flatValid = (v: unknown): boolean[] => (Array.isArray(v) ? v.map((x) => Boolean(Array.isArray(x) ? x[0] : x)) : []);

export async function loadInterhand(dir: string, opts: LoadOptions = {}): Promise<EvalDataset> {
  const files = interhandFiles(dir);
  if (!files) throw new Error(`${dir}: needs *_data.json, *_camera.json and *_joint_3d.json`);
  const data = await readJson<{ images: IhImage[]; annotations: IhAnnotation[] }>(files.data);
  const cameras = await readJson<IhCameras>(files.camera);
  const joints = await readJson<IhJoints>(files.joints);
  const annByImage = new Map(data.annotations.map((a) => [a.image_id, a]));
  const samples: EvalSample[] = [];
  let skipped = 0;
  for (const img of data.images) {
    const ann = annByImage.get(img.id);
    const cap = String(img.capture);
    const cam = cameras[cap];
    const j = joints[cap]?.[String(img.frame_idx)];
    if (!ann || !cam || !j || !cam.camrot[img.camera]) {
      skipped++;
      continue;
    }
    const r = cam.camrot[img.camera];
    const t = cam.campos[img.camera];
    const [fx, fy] = cam.focal[img.camera];
    const [px, py] = cam.princpt[img.camera];
    const camCoords: Vec3[] = j.world_coord.map((w) => {
      const d = [w[0] - t[0], w[1] - t[1], w[2] - t[2]];
      return [0, 1, 2].map((k) => r[k][0] * d[0] + r[k][1] * d[1] + r[k][2] * d[2]) as unknown as Vec3;
    });
    const valid = flatValid(ann.joint_valid ?? j.joint_valid);
    const type = ann.hand_type ?? j.hand_type ?? 'interacting';
    const hands: GtHand[] = [];
    for (const [side, offset] of [
      ['right', 0],
      ['left', 21],
    ] as const) {
      if (type !== side && type !== 'interacting') continue;
      const order = INTERHAND_ORDER.map((i) => i + offset);
      const xyz = reorder(camCoords, order);
      const v = reorder(valid, order).map((b, i) => b && xyz[i][2] > 0);
      if (v.filter(Boolean).length < 3) continue;
      const keypoints2d: Vec2[] = xyz.map(([x, y, z]) => [(fx * x) / z + px, (fy * y) / z + py]);
      const box = keypointBox(keypoints2d, v);
      hands.push({ keypoints2d, visible: v, keypoints3d: xyz, valid3d: v, box, normaliser: longerSide(box), handedness: side });
    }
    if (hands.length) samples.push({ id: String(img.id), image: resolveImage(img.file_name, dir, opts.imagesDir), hands });
  }
  const notes = [
    'interhand: 2D = projection of the camera-frame joints (mm) with focal / princpt; joint_valid gates 2D and 3D (not image visibility: occluded joints count); PCK normaliser = the hand\'s joint-box longer side; "interacting" images give two GT hands.',
  ];
  if (skipped) notes.push(`interhand: ${skipped} image(s) without annotation, camera or joints skipped.`);
  return { format: 'interhand', path: dir, name: dir.split('/').filter(Boolean).pop() || 'interhand', samples: applyLimit(samples, opts.limit), notes };
}
