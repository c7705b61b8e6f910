/**
 * Tiny data sets in every format `hands eval` reads, WRITTEN BY THE TESTS into a temp folder from
 * the repository's own fixture (tests/fixtures/hands.jpg, with MediaPipe's expected keypoints from
 * hands.expected.json standing in as "ground truth"). No third-party data set is read.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { SKELETON } from '../../src/core/keypoints';
import { FIXTURES } from './nodePipeline';

export const HANDS_JPG = join(FIXTURES, 'hands.jpg');
/** The two hands of hands.jpg, 21 x [x, y] px, MediaPipe order: [0] is the right-hand one in the image. */
export const EXPECTED: [number, number][][] = JSON.parse(readFileSync(join(FIXTURES, 'hands.expected.json'), 'utf8')).hands;
export const HANDS_SIZE = { width: 720, height: 382 };

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `hands-eval-${prefix}-`));

const boxOf = (pts: number[][]) => {
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
};
const xywh = (b: number[]) => [b[0], b[1], b[2] - b[0], b[3] - b[1]];

/** OneHand10K-style names (x1..x4 from the palm out). */
export const ONEHAND_NAMES = [
  'wrist',
  ...['thumb', 'forefinger', 'middle_finger', 'ring_finger', 'pinky_finger'].flatMap((f) => [1, 2, 3, 4].map((i) => `${f}${i}`)),
];

/** COCO hand keypoints (one hand per annotation), joint order given by names; `permute` shuffles the stored order. */
export function writeCoco(dir: string, opts: { permute?: number[] } = {}): string {
  copyFileSync(HANDS_JPG, join(dir, 'hands.jpg'));
  const perm = opts.permute ?? ONEHAND_NAMES.map((_, i) => i);
  const annotations = EXPECTED.map((hand, k) => {
    const box = boxOf(hand);
    const pad = 10;
    return {
      id: k + 1,
      image_id: 7,
      category_id: 1,
      iscrowd: 0,
      bbox: xywh([box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad]),
      keypoints: perm.flatMap((src) => [hand[src][0], hand[src][1], 1]),
    };
  });
  const json = {
    info: { description: 'test' },
    images: [{ id: 7, file_name: 'hands.jpg', width: 720, height: 382 }],
    annotations,
    categories: [{ id: 1, name: 'hand', keypoints: perm.map((i) => ONEHAND_NAMES[i]) }],
  };
  const path = join(dir, 'test_hands.json');
  writeFileSync(path, JSON.stringify(json));
  return path;
}

/** COCO-WholeBody: one person annotation with both hands (hand 0 of EXPECTED as the right hand). */
export function writeWholebody(dir: string): string {
  copyFileSync(HANDS_JPG, join(dir, 'hands.jpg'));
  const kpts = (h: number[][]) => h.flatMap(([x, y]) => [x, y, 0.9]);
  const ann = {
    id: 1,
    image_id: 7,
    category_id: 1,
    keypoints: new Array(51).fill(0),
    bbox: [0, 0, 720, 382],
    righthand_kpts: kpts(EXPECTED[0]),
    righthand_box: xywh(boxOf(EXPECTED[0])),
    righthand_valid: true,
    lefthand_kpts: kpts(EXPECTED[1]),
    lefthand_box: xywh(boxOf(EXPECTED[1])),
    lefthand_valid: true,
  };
  const empty = {
    ...ann,
    id: 2,
    righthand_valid: false,
    lefthand_valid: false,
    righthand_box: [0, 0, 0, 0],
    lefthand_box: [0, 0, 0, 0],
    righthand_kpts: new Array(63).fill(0),
    lefthand_kpts: new Array(63).fill(0),
  };
  const path = join(dir, 'wholebody.json');
  writeFileSync(
    path,
    JSON.stringify({ images: [{ id: 7, file_name: 'hands.jpg' }], annotations: [ann, empty], categories: [{ id: 1, name: 'person', keypoints: ['nose'] }] }),
  );
  return path;
}

/** MediaPipe order -> RHD (mmpose) order: wrist, then each finger tip first. */
export const TO_RHD = [0, 4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9, 16, 15, 14, 13, 20, 19, 18, 17];

/** Camera-frame points (mm) that project onto `uv` with focal f and centre c at depths z. */
export function backProject(uv: number[][], f: number, c: [number, number], z: (i: number) => number): [number, number, number][] {
  return uv.map(([u, v], i) => [((u - c[0]) * z(i)) / f, ((v - c[1]) * z(i)) / f, z(i)]);
}
export const depth = (i: number) => 500 + 3 * i;

/** RHD as mmpose converts it: names say thumb1..4 but the data is tip first; 3D joint_cam in mm. */
export function writeRhd(dir: string): string {
  copyFileSync(HANDS_JPG, join(dir, 'hands.jpg'));
  const f = 600;
  const c: [number, number] = [360, 191];
  const hand = EXPECTED[0];
  const cam = backProject(hand, f, c, depth);
  const ann = {
    id: 1,
    image_id: 7,
    category_id: 1,
    bbox: xywh(boxOf(hand)),
    keypoints: TO_RHD.map((i) => [hand[i][0], hand[i][1], 1]),
    joint_cam: TO_RHD.map((i) => cam[i]),
  };
  const path = join(dir, 'test_rhd.json');
  writeFileSync(
    path,
    JSON.stringify({
      info: { description: 'RHD' },
      images: [{ id: 7, file_name: 'hands.jpg', cam_param: { focal: [f, f], princpt: c } }],
      annotations: [ann],
      categories: [{ id: 1, name: 'hand', keypoints: ONEHAND_NAMES }],
    }),
  );
  return path;
}

/** A 256 x 256 hgcnn-style crop around the second hand of hands.jpg. */
export const HGCNN_CROP = { left: 15, top: 1, side: 360 };
export const hgcnnUv = () => EXPECTED[1].map(([x, y]) => [((x - HGCNN_CROP.left) * 256) / HGCNN_CROP.side, ((y - HGCNN_CROP.top) * 256) / HGCNN_CROP.side]);

export async function writeHgcnn(dir: string): Promise<string> {
  mkdirSync(join(dir, 'images'), { recursive: true });
  await sharp(HANDS_JPG)
    .extract({ left: HGCNN_CROP.left, top: HGCNN_CROP.top, width: HGCNN_CROP.side, height: HGCNN_CROP.side })
    .resize(256, 256)
    .jpeg({ quality: 95 })
    .toFile(join(dir, 'images', '00000.jpg'));
  const uv = hgcnnUv();
  const k = [
    [480, 0, 128],
    [0, 480, 128],
    [0, 0, 1],
  ];
  const xyzCm = backProject(uv, 480, [128, 128], depth).map((p) => p.map((v) => v / 10));
  writeFileSync(
    join(dir, 'annotations.json'),
    JSON.stringify({
      n: 1,
      joint_order: 'wrist, thumb1-4, index1-4, middle1-4, ring1-4, pinky1-4',
      samples: [{ image: 'images/00000.jpg', K_crop256: k, xyz_cm: xyzCm, uv_crop256: uv }],
    }),
  );
  return dir;
}

/** FreiHAND native: training_K.json + training_xyz.json (metres) + training/rgb/%08d.jpg; 2 images share label 0 (i mod N). */
export async function writeFreihand(dir: string): Promise<{ k: number[][]; xyz: number[][] }> {
  mkdirSync(join(dir, 'training', 'rgb'), { recursive: true });
  const uv = hgcnnUv().map(([u, v]) => [(u * 224) / 256, (v * 224) / 256]);
  const k = [
    [400, 0, 112],
    [0, 400, 112],
    [0, 0, 1],
  ];
  const xyz = backProject(uv, 400, [112, 112], depth).map((p) => p.map((v) => v / 1000));
  const crop = sharp(HANDS_JPG)
    .extract({ left: HGCNN_CROP.left, top: HGCNN_CROP.top, width: HGCNN_CROP.side, height: HGCNN_CROP.side })
    .resize(224, 224)
    .jpeg();
  await crop.clone().toFile(join(dir, 'training', 'rgb', '00000000.jpg'));
  await crop.clone().toFile(join(dir, 'training', 'rgb', '00000001.jpg'));
  writeFileSync(join(dir, 'training_K.json'), JSON.stringify([k]));
  writeFileSync(join(dir, 'training_xyz.json'), JSON.stringify([xyz]));
  return { k, xyz };
}

/** MediaPipe order -> InterHand2.6M per-hand order (tip first, wrist last). */
export const TO_INTERHAND = [4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9, 16, 15, 14, 13, 20, 19, 18, 17, 0];

/** InterHand2.6M: world joints + camera (rotation about y, position), both hands of hands.jpg as one "interacting" image. */
export function writeInterhand(dir: string): { camRight: [number, number, number][] } {
  copyFileSync(HANDS_JPG, join(dir, 'image100.jpg'));
  const f: [number, number] = [700, 700];
  const c: [number, number] = [360, 191];
  const a = 0.3;
  const r = [
    [Math.cos(a), 0, -Math.sin(a)],
    [0, 1, 0],
    [Math.sin(a), 0, Math.cos(a)],
  ];
  const campos = [100, -50, 20];
  // world = R^T cam + campos
  const toWorld = (p: number[]) => [0, 1, 2].map((k) => r[0][k] * p[0] + r[1][k] * p[1] + r[2][k] * p[2] + campos[k]);
  const camRight = backProject(EXPECTED[0], f[0], c, depth);
  const camLeft = backProject(EXPECTED[1], f[0], c, depth);
  const world = [...TO_INTERHAND.map((i) => toWorld(camRight[i])), ...TO_INTERHAND.map((i) => toWorld(camLeft[i]))];
  writeFileSync(
    join(dir, 'test_data.json'),
    JSON.stringify({
      images: [{ id: 5, file_name: 'image100.jpg', width: 720, height: 382, capture: 1, camera: '400', frame_idx: 100 }],
      annotations: [{ id: 5, image_id: 5, bbox: [0, 0, 720, 382], joint_valid: world.map(() => [1]), hand_type: 'interacting', hand_type_valid: 1 }],
    }),
  );
  writeFileSync(join(dir, 'test_camera.json'), JSON.stringify({ 1: { campos: { 400: campos }, camrot: { 400: r }, focal: { 400: f }, princpt: { 400: c } } }));
  writeFileSync(
    join(dir, 'test_joint_3d.json'),
    JSON.stringify({ 1: { 100: { world_coord: world, joint_valid: world.map(() => [true]), hand_type: 'interacting', hand_type_valid: true } } }),
  );
  return { camRight };
}

/** A 1-bit BMP (bottom-up, palette [black, white]) of a 0/1 mask in which 1 = skin = palette index 0, as HGR1 stores it. */
export function bmp1bit(mask: Uint8Array, width: number, height: number): Buffer {
  const stride = Math.ceil(width / 32) * 4;
  const offset = 14 + 40 + 8;
  const buf = Buffer.alloc(offset + stride * height);
  buf.write('BM', 0, 'ascii');
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(offset, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(width, 18);
  buf.writeInt32LE(height, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(1, 28);
  buf.writeUInt32LE(stride * height, 34);
  buf.writeUInt32LE(2, 46);
  buf.set([0, 0, 0, 0, 255, 255, 255, 0], 54);
  for (let y = 0; y < height; y++) {
    const row = offset + (height - 1 - y) * stride;
    for (let x = 0; x < width; x++) if (!mask[y * width + x]) buf[row + (x >> 3)] |= 0x80 >> (x & 7); // background = index 1
  }
  return buf;
}

/** A hand mask for hands.jpg: the skeletons of both expected hands drawn with thick strokes (1 = hand). */
export async function handsMask(): Promise<Uint8Array> {
  const lines = EXPECTED.flatMap((h) =>
    SKELETON.map(([a, b]) => `<line x1="${h[a][0]}" y1="${h[a][1]}" x2="${h[b][0]}" y2="${h[b][1]}" stroke="#fff" stroke-width="36" stroke-linecap="round"/>`),
  );
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="382"><rect width="720" height="382" fill="#000"/>${lines.join('')}</svg>`;
  const { data } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
  return Uint8Array.from(data, (v) => (v >= 128 ? 1 : 0));
}

/** Image + mask pairs: a.jpg + a.bmp (HGR1 style, black = skin) and b.jpg + b.png (white = hand). */
export async function writeMaskPairs(dir: string): Promise<Uint8Array> {
  const mask = await handsMask();
  copyFileSync(HANDS_JPG, join(dir, 'a.jpg'));
  writeFileSync(join(dir, 'a.bmp'), bmp1bit(mask, 720, 382));
  copyFileSync(HANDS_JPG, join(dir, 'b.jpg'));
  await sharp(Buffer.from(Uint8Array.from(mask, (v) => v * 255)), { raw: { width: 720, height: 382, channels: 1 } })
    .png()
    .toFile(join(dir, 'b.png'));
  return mask;
}
