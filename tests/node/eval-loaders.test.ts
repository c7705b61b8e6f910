import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBmp } from '../../src/cli/eval/bmp';
import { detectFormat, loadDataset } from '../../src/cli/eval/load';
import { mediapipeIndexOfName, orderFromNames, INTERHAND_ORDER, RHD_ORDER, reorder } from '../../src/cli/eval/jointMaps';
import { readMask } from '../../src/cli/eval/masks';
import {
  bmp1bit,
  depth,
  EXPECTED,
  hgcnnUv,
  ONEHAND_NAMES,
  tempDir,
  TO_INTERHAND,
  TO_RHD,
  writeCoco,
  writeFreihand,
  writeHgcnn,
  writeInterhand,
  writeMaskPairs,
  writeRhd,
  writeWholebody,
} from '../helpers/evalDatasets';

// Every data set here is written by the test itself (see tests/helpers/evalDatasets.ts).

const close2 = (a: readonly (readonly number[])[], b: readonly (readonly number[])[], tol = 1e-6) => {
  expect(a).toHaveLength(b.length);
  a.forEach((p, i) => p.forEach((v, k) => expect(Math.abs(v - b[i][k])).toBeLessThan(tol)));
};

describe('joint maps', () => {
  it('maps names of every style to MediaPipe indices', () => {
    expect(mediapipeIndexOfName('wrist')).toBe(0);
    expect(mediapipeIndexOfName('thumb1')).toBe(1); // CMC
    expect(mediapipeIndexOfName('thumb4')).toBe(4);
    expect(mediapipeIndexOfName('forefinger1')).toBe(5);
    expect(mediapipeIndexOfName('middle_finger3')).toBe(11);
    expect(mediapipeIndexOfName('pinky_finger4')).toBe(20);
    expect(mediapipeIndexOfName('index_finger_pip')).toBe(6);
    expect(mediapipeIndexOfName('Thumb IP')).toBe(3);
    expect(mediapipeIndexOfName('ring_dip')).toBe(15);
    expect(mediapipeIndexOfName('elbow')).toBe(-1);
  });
  it('orderFromNames follows a shuffled name list and names what is missing', () => {
    const shuffled = [...ONEHAND_NAMES].reverse();
    expect(reorder(shuffled, orderFromNames(shuffled))).toEqual(ONEHAND_NAMES);
    expect(() => orderFromNames(ONEHAND_NAMES.slice(1))).toThrow(/missing wrist/);
  });
  it('fixed orders invert the test writers', () => {
    const mp = Array.from({ length: 21 }, (_, i) => i);
    expect(reorder(TO_INTERHAND, INTERHAND_ORDER)).toEqual(mp);
    expect(reorder(TO_RHD, RHD_ORDER)).toEqual(mp);
  });
});

describe('hgcnn loader', () => {
  it('reads crops, uv and xyz (cm -> mm) and is auto-detected', async () => {
    const dir = tempDir('hgcnn');
    await writeHgcnn(dir);
    expect(await detectFormat(dir)).toBe('hgcnn');
    const ds = await loadDataset(dir, 'auto');
    expect(ds.format).toBe('hgcnn');
    expect(ds.samples).toHaveLength(1);
    const s = ds.samples[0];
    expect(s.crop).toBe(true);
    expect(s.image).toBe(join(dir, 'images', '00000.jpg'));
    const h = s.hands[0];
    close2(h.keypoints2d, hgcnnUv());
    expect(h.normaliser).toBe(256);
    expect(h.keypoints3d![0][2]).toBeCloseTo(depth(0), 6); // 50 cm -> 500 mm
  });
});

describe('COCO loader', () => {
  it('one hand per annotation, joints by name (also when stored shuffled), bbox normaliser', async () => {
    const dir = tempDir('coco');
    // store the joints in reverse order, with the names reversed to match
    writeCoco(dir, { permute: ONEHAND_NAMES.map((_, i) => 20 - i) });
    expect(await detectFormat(dir)).toBe('coco');
    const ds = await loadDataset(dir, 'coco');
    expect(ds.samples).toHaveLength(1);
    expect(ds.samples[0].image).toBe(join(dir, 'hands.jpg'));
    const hands = ds.samples[0].hands;
    expect(hands).toHaveLength(2);
    close2(hands[0].keypoints2d, EXPECTED[0]);
    close2(hands[1].keypoints2d, EXPECTED[1]);
    expect(hands[0].visible.every(Boolean)).toBe(true);
    // bbox = keypoint box + 10 px each side
    const xs = EXPECTED[0].map((p) => p[0]);
    const ys = EXPECTED[0].map((p) => p[1]);
    expect(hands[0].normaliser).toBe(Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) + 20);
  });

  it('COCO-WholeBody hands: left/right kpts with boxes, invalid hands skipped', async () => {
    const dir = tempDir('wholebody');
    const file = writeWholebody(dir);
    const ds = await loadDataset(file, 'auto');
    expect(ds.format).toBe('coco');
    const hands = ds.samples[0].hands;
    expect(hands.map((h) => h.handedness)).toEqual(['left', 'right']);
    close2(hands[0].keypoints2d, EXPECTED[1]);
    close2(hands[1].keypoints2d, EXPECTED[0]);
  });

  it('RHD (mmpose): tip-first joints mapped back to MediaPipe order despite the names; joint_cam as 3D', async () => {
    const dir = tempDir('rhd');
    writeRhd(dir);
    const ds = await loadDataset(dir, 'auto');
    const h = ds.samples[0].hands[0];
    close2(h.keypoints2d, EXPECTED[0]);
    expect(h.keypoints3d).toHaveLength(21);
    expect(h.keypoints3d![4][2]).toBeCloseTo(depth(4), 6); // thumb tip back in slot 4
    expect(ds.notes.join(' ')).toMatch(/tip-first/);
  });

  it("--limit and missing images are the evaluator's business, not a load error", async () => {
    const dir = tempDir('coco-limit');
    writeCoco(dir);
    expect((await loadDataset(dir, 'coco', { limit: 0 })).samples).toHaveLength(0);
  });
});

describe('FreiHAND loader', () => {
  it('projects xyz with K, maps image i to label i mod N, metres -> mm', async () => {
    const dir = tempDir('freihand');
    const { xyz } = await writeFreihand(dir);
    expect(await detectFormat(dir)).toBe('freihand');
    const ds = await loadDataset(dir, 'auto');
    expect(ds.samples.map((s) => s.id)).toEqual(['00000000', '00000001']);
    const uv224 = hgcnnUv().map(([u, v]) => [(u * 224) / 256, (v * 224) / 256]);
    for (const s of ds.samples) {
      expect(s.crop).toBe(true);
      close2(s.hands[0].keypoints2d, uv224, 1e-6);
      expect(s.hands[0].normaliser).toBe(224);
      close2(
        s.hands[0].keypoints3d!,
        xyz.map((p) => p.map((v) => v * 1000)),
        1e-6,
      );
    }
  });
});

describe('InterHand2.6M loader', () => {
  it('world -> camera with camrot / campos, projection, two hands from an interacting image', async () => {
    const dir = tempDir('interhand');
    const { camRight } = writeInterhand(dir);
    expect(await detectFormat(dir)).toBe('interhand');
    const ds = await loadDataset(dir, 'auto');
    const hands = ds.samples[0].hands;
    expect(hands.map((h) => h.handedness)).toEqual(['right', 'left']);
    close2(hands[0].keypoints2d, EXPECTED[0], 1e-6);
    close2(hands[1].keypoints2d, EXPECTED[1], 1e-6);
    close2(hands[0].keypoints3d!, camRight, 1e-6);
  });
});

describe('masks loader and BMP reader', () => {
  it('finds .bmp and .png masks next to the images; BMP black = skin, PNG white = hand', async () => {
    const dir = tempDir('masks');
    const mask = await writeMaskPairs(dir);
    expect(await detectFormat(dir)).toBe('masks');
    const ds = await loadDataset(dir, 'auto');
    expect(ds.samples.map((s) => [s.id, s.mask!.split('/').pop()])).toEqual([
      ['a', 'a.bmp'],
      ['b', 'b.png'],
    ]);
    for (const s of ds.samples) {
      const m = await readMask(s.mask!);
      expect([m.width, m.height]).toEqual([720, 382]);
      expect(m.data).toEqual(mask);
    }
    expect((await readMask(join(dir, 'a.bmp'))).polarity).toBe('dark');
    // forcing the other polarity inverts it
    const inv = await readMask(join(dir, 'a.bmp'), 'light');
    expect(inv.data[0]).toBe(1 - mask[0]);
  });

  it('decodeBmp: 1-bit palette with odd width, 8-bit palette, 24-bit top-down', () => {
    const m = Uint8Array.from([1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1]); // 5 x 3
    const b1 = decodeBmp(bmp1bit(m, 5, 3));
    expect([b1.width, b1.height, b1.bitsPerPixel]).toEqual([5, 3, 1]);
    expect(Array.from(b1.indices!)).toEqual(Array.from(m, (v) => 1 - v));
    expect(Array.from(b1.grey)).toEqual(Array.from(m, (v) => (v ? 0 : 255)));

    // 2 x 2, 8-bit, palette [red, white], bottom-up rows padded to 4 bytes
    const b8 = Buffer.alloc(54 + 8 + 8);
    b8.write('BM', 0, 'ascii');
    b8.writeUInt32LE(62, 10);
    b8.writeUInt32LE(40, 14);
    b8.writeInt32LE(2, 18);
    b8.writeInt32LE(2, 22);
    b8.writeUInt16LE(8, 28);
    b8.writeUInt32LE(2, 46);
    b8.set([0, 0, 255, 0, 255, 255, 255, 0], 54);
    b8.set([1, 0, 0, 0, 0, 1, 0, 0], 62); // bottom row: white, red; top row: red, white
    const d8 = decodeBmp(b8);
    expect(Array.from(d8.indices!)).toEqual([0, 1, 1, 0]);
    expect(d8.grey[0]).toBe(76); // red: 0.299 x 255

    // 1 x 2, 24-bit, top-down (negative height): blue then green
    const b24 = Buffer.alloc(54 + 8);
    b24.write('BM', 0, 'ascii');
    b24.writeUInt32LE(54, 10);
    b24.writeUInt32LE(40, 14);
    b24.writeInt32LE(1, 18);
    b24.writeInt32LE(-2, 22);
    b24.writeUInt16LE(24, 28);
    b24.set([255, 0, 0, 0, 0, 255, 0, 0], 54);
    expect(Array.from(decodeBmp(b24).grey)).toEqual([29, 150]);

    expect(() => decodeBmp(Buffer.from('not a bitmap at all, really, but long enough to parse a header......'))).toThrow(/not a BMP/);
    expect(() => decodeBmp(bmp1bit(m, 5, 3).subarray(0, 64))).toThrow(/truncated/);
  });
});

describe('format detection', () => {
  it('says what it cannot recognise', async () => {
    const dir = tempDir('empty');
    await expect(loadDataset(dir, 'auto')).rejects.toThrow(/cannot tell the data-set format/);
    await expect(loadDataset(join(dir, 'nope'), 'auto')).rejects.toThrow(/no such file/);
    await expect(loadDataset(dir, 'hgcnn')).rejects.toThrow(/annotations\.json: cannot read/);
  });
});
