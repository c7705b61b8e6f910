/**
 * COCO-style hand keypoints: `{images, annotations, categories}`. Handles
 *  - COCO-WholeBody: `lefthand_kpts` / `righthand_kpts` (63 numbers) with `*hand_box` and `*hand_valid`;
 *  - one hand per annotation with `keypoints` (OneHand10K, CMU Panoptic hand, FreiHAND and RHD as
 *    converted by mmpose): joint order from the category's keypoint names, except RHD (tip first,
 *    whatever the names say) which also brings 3D `joint_cam` (mm, camera frame).
 * Visibility is v > 0; the GT box is the annotation's (else the visible joints' box).
 */
import { dirname, join } from 'node:path';
import { readdirSync } from 'node:fs';
import { NUM_KEYPOINTS } from '../../core/keypoints';
import type { Vec3 } from '../../core/metrics/procrustes';
import { applyLimit, boxFromXywh, keypointBox, longerSide, readJson, resolveImage, splitTriples } from './common';
import { COCO_WHOLEBODY_HAND_ORDER, IDENTITY_ORDER, orderFromNames, reorder, RHD_ORDER, type JointOrder } from './jointMaps';
import type { EvalDataset, EvalSample, GtHand, LoadOptions } from './types';

interface CocoImage {
  id: number | string;
  file_name: string;
  width?: number;
  height?: number;
}
interface CocoAnnotation {
  id?: number;
  image_id: number | string;
  category_id?: number;
  bbox?: number[];
  keypoints?: unknown;
  joint_cam?: number[][];
  hand_type?: string;
  lefthand_kpts?: number[];
  righthand_kpts?: number[];
  lefthand_box?: number[];
  righthand_box?: number[];
  lefthand_valid?: boolean;
  righthand_valid?: boolean;
}
interface CocoFile {
  info?: { description?: string };
  images: CocoImage[];
  annotations: CocoAnnotation[];
  categories?: { id: number; name?: string; keypoints?: string[] }[];
}

export function isCocoJson(j: unknown): boolean {
  const c = j as CocoFile | undefined;
  if (!c || !Array.isArray(c.images) || !Array.isArray(c.annotations)) return false;
  const a = c.annotations[0];
  return !a || 'keypoints' in a || 'lefthand_kpts' in a || 'righthand_kpts' in a;
}

/** The COCO json in a folder: the only .json, or the first one that parses as COCO hands. */
export async function findCocoJson(dir: string): Promise<string | undefined> {
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    try {
      if (isCocoJson(await readJson(join(dir, f)))) return join(dir, f);
    } catch {
      // not ours
    }
  }
  return undefined;
}

function handFrom(kpts: unknown, order: JointOrder, boxXywh: unknown, handedness?: 'left' | 'right', jointCam?: number[][]): GtHand | undefined {
  const { points, visible } = splitTriples(kpts, NUM_KEYPOINTS);
  const keypoints2d = reorder(points, order);
  const vis = reorder(visible, order);
  if (!vis.some(Boolean)) return undefined;
  const box = boxFromXywh(boxXywh) ?? keypointBox(keypoints2d, vis);
  const hand: GtHand = { keypoints2d, visible: vis, box, normaliser: longerSide(box), handedness };
  if (jointCam && jointCam.length === NUM_KEYPOINTS) {
    hand.keypoints3d = reorder(
      jointCam.map(([x, y, z]) => [x, y, z] as Vec3),
      order,
    );
    hand.valid3d = hand.keypoints3d.map((p) => p.every(Number.isFinite));
  }
  return hand;
}

/** `path`: a COCO json file, or a folder holding one. */
export async function loadCoco(path: string, opts: LoadOptions = {}): Promise<EvalDataset> {
  const file = path.endsWith('.json') ? path : await findCocoJson(path);
  if (!file) throw new Error(`${path}: no COCO-style hand keypoint json found`);
  const dir = dirname(file);
  const json = await readJson<CocoFile>(file);
  if (!isCocoJson(json)) throw new Error(`${file}: not a COCO keypoint file (needs images, annotations with keypoints)`);
  const notes: string[] = [];
  const description = json.info?.description ?? '';
  const rhd = /\brhd\b/i.test(description) || json.annotations.some((a) => Array.isArray(a.joint_cam));
  const categories = new Map((json.categories ?? []).map((c) => [c.id, c]));
  const orderFor = (a: CocoAnnotation): JointOrder => {
    if (rhd) return RHD_ORDER;
    const names = categories.get(a.category_id ?? -1)?.keypoints ?? json.categories?.[0]?.keypoints;
    if (names && names.length === NUM_KEYPOINTS) return orderFromNames(names);
    return IDENTITY_ORDER;
  };
  if (rhd)
    notes.push(
      'coco: RHD (mmpose conversion): joints are wrist then each finger tip-first although the category names read thumb1..4; mapped by the fixed RHD order. 3D from joint_cam (mm). RHD is synthetic.',
    );
  const wholebody = json.annotations.some((a) => 'lefthand_kpts' in a || 'righthand_kpts' in a);
  if (wholebody)
    notes.push(
      'coco: COCO-WholeBody hands (no names in the file; documented order wrist, thumb1-4 CMC->tip, ...); a hand counts when *hand_valid and its box is non-empty; hand keypoint "v" are confidences (> 0 = annotated). Many hands are tiny (boxes of 10-30 px).',
    );
  const byImage = new Map<string, GtHand[]>();
  for (const a of json.annotations) {
    const key = String(a.image_id);
    const hands = byImage.get(key) ?? [];
    if (wholebody) {
      for (const side of ['left', 'right'] as const) {
        const kpts = a[`${side}hand_kpts`];
        if (!a[`${side}hand_valid`] || !kpts || !boxFromXywh(a[`${side}hand_box`])) continue;
        const h = handFrom(kpts, COCO_WHOLEBODY_HAND_ORDER, a[`${side}hand_box`], side);
        if (h) hands.push(h);
      }
    } else if (a.keypoints !== undefined) {
      const side = a.hand_type === 'left' || a.hand_type === 'right' ? a.hand_type : undefined;
      const h = handFrom(a.keypoints, orderFor(a), a.bbox, side, a.joint_cam);
      if (h) hands.push(h);
    }
    byImage.set(key, hands);
  }
  if (!wholebody && !rhd) {
    const names = json.categories?.[0]?.keypoints;
    notes.push(
      names && names.length === NUM_KEYPOINTS
        ? `coco: joints mapped by name (${names.slice(0, 3).join(', ')}, ...: the x1..x4 numbering runs palm -> tip, 1 = CMC for the thumb).`
        : 'coco: no joint names; assumed MediaPipe order.',
    );
  }
  notes.push('coco: PCK normaliser = the GT box longer side.');
  const samples: EvalSample[] = [];
  for (const img of json.images) {
    const hands = byImage.get(String(img.id)) ?? [];
    if (hands.length === 0) continue;
    samples.push({ id: String(img.id), image: resolveImage(img.file_name, dir, opts.imagesDir), hands });
  }
  return { format: 'coco', path, name: dir.split('/').pop() || 'coco', samples: applyLimit(samples, opts.limit), notes };
}
