/**
 * Reads a synthetic gesture split written by training/gesture/synth.py (raw little-endian arrays +
 * meta.json) into GestureInput objects, for the feature writer and the evaluations.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GestureInput } from '../../src/core/gesture/features';

export interface SplitMeta {
  format: string;
  count: number;
  labels: string[];
  intents: string[];
  seed: number;
  command: string;
  frames?: number;
  fps?: number;
}

export interface Split {
  meta: SplitMeta;
  inputs: GestureInput[];
  label: Uint8Array;
  clear: Uint8Array;
  intent: Uint8Array;
  noise: Float32Array;
  seq?: Uint32Array;
  time?: Float32Array;
}

function f32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function u8(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

export function readSplit(dir: string): Split {
  const metaPath = join(dir, 'meta.json');
  if (!existsSync(metaPath)) throw new Error(`${dir} has no meta.json: run \`cd training && /usr/bin/python3 -m gesture.synth\` first`);
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as SplitMeta;
  if (meta.format !== 'hands/gesture-synth') throw new Error(`${metaPath} is not a hands/gesture-synth split`);
  const n = meta.count;
  const kp2d = f32(join(dir, 'kp2d.f32'));
  const kp3d = f32(join(dir, 'kp3d.f32'));
  const hand = u8(join(dir, 'handedness.u8'));
  if (kp2d.length !== n * 42 || kp3d.length !== n * 63 || hand.length !== n) throw new Error(`${dir}: array sizes do not match count ${n}`);
  const inputs: GestureInput[] = [];
  for (let i = 0; i < n; i++) {
    const keypoints2d = [];
    const keypoints3d = [];
    for (let j = 0; j < 21; j++) {
      keypoints2d.push({ x: kp2d[i * 42 + 2 * j], y: kp2d[i * 42 + 2 * j + 1] });
      keypoints3d.push({ x: kp3d[i * 63 + 3 * j], y: kp3d[i * 63 + 3 * j + 1], z: kp3d[i * 63 + 3 * j + 2] });
    }
    inputs.push({ keypoints2d, keypoints3d, handedness: hand[i] ? 'left' : 'right' });
  }
  const out: Split = {
    meta,
    inputs,
    label: u8(join(dir, 'label.u8')),
    clear: u8(join(dir, 'clear.u8')),
    intent: u8(join(dir, 'intent.u8')),
    noise: f32(join(dir, 'noise.f32')),
  };
  if (existsSync(join(dir, 'seq.u32'))) {
    const b = readFileSync(join(dir, 'seq.u32'));
    out.seq = new Uint32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    out.time = f32(join(dir, 'time.f32'));
  }
  return out;
}
