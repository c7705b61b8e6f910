import { HandsError } from '../errors';
import { KEYPOINT_NAMES, type KeypointName } from '../keypoints';
import type { Handedness } from '../types';

/**
 * models/hand-model.json: the parametric hand's template, as written by
 * scripts/build-hand-model.ts from the MIT WebXR generic hand (right.glb). Plain JSON with float
 * arrays as base64 of little-endian Float32 / Uint16 / Uint8, so numpy reads it as easily as
 * TypeScript (see models/README.md).
 *
 * Model frame (the frame every position and axis below is in): metres, the glb's y-up axes turned
 * 180 degrees about x, i.e. (x, y, z)_model = (x, -y, -z)_glb, so that the axes match the camera
 * frame of our results (x right, y down, z forward) when the global rotation is the identity; the
 * wrist joint is the origin. The asset holds the RIGHT hand; the left hand is its mirror image
 * (x -> -x), see `mirrorHandModel`.
 */
export interface HandModelJson {
  format: 'hands/hand-model';
  version: 1;
  description: string;
  provenance: {
    package: string;
    version: string;
    file: string;
    sha256: string;
    licence: string;
    copyright: string;
    command: string;
  };
  units: 'metres';
  frame: string;
  hand: 'right';
  mirror: string;
  /** WebXR hand joints (25), parents before children. */
  joints: Array<{
    name: string;
    parent: string | null;
    /** Rest position, model frame. */
    position: number[];
    /** World bind matrix (joint local -> model frame), 16 numbers, column-major like glTF. */
    bindMatrix: number[];
  }>;
  vertices: EncodedArray<'f32'>;
  triangles: EncodedArray<'u16'>;
  skin: {
    influences: number;
    /** Per vertex `influences` joint indices into `joints`. */
    joints: EncodedArray<'u8'>;
    /** Per vertex `influences` weights (sum 1). */
    weights: EncodedArray<'f32'>;
  };
  /** The 21 MediaPipe keypoints in KEYPOINT_NAMES order: a joint, or a vertex carried by a joint. */
  keypoints: Array<{ name: KeypointName; joint: string; vertex?: number }>;
  /** Pose degrees of freedom, in parameter order. */
  dofs: DofJson[];
  /** Shape: per-bone length scales, in parameter order; `bones` are joints whose incoming bone (parent -> joint) this scale multiplies. */
  shape: Array<{ name: string; bones: string[] }>;
  notes: Record<string, string>;
}

export type DofKind = 'flex' | 'abd' | 'twist';

export interface DofJson {
  /** e.g. "index_mcp_flex". */
  name: string;
  /** WebXR joint that rotates (its bone is the one leaving it). */
  joint: string;
  kind: DofKind;
  /** Unit rotation axis in the model frame; a positive angle is flexion / radial (thumbward) abduction / right-hand twist about the bone. */
  axis: number[];
  /** Limits of the parameter (degrees, relative to the rest pose, which is 0). */
  limitsDeg: [number, number];
  /** The rest pose's anatomical angle (degrees) where the anatomy defines one, else 0. */
  restDeg: number;
  /** The anatomical range the limits come from (degrees, 0 = anatomical neutral). */
  anatomicalDeg: [number, number];
}

export interface EncodedArray<T extends 'f32' | 'u16' | 'u8'> {
  dtype: T;
  count: number;
  /** base64 of the little-endian values. */
  base64: string;
}

/** Decoded, ready-to-use template of one hand (right from the file, left mirrored). */
export interface HandModelData {
  handedness: Handedness;
  jointNames: string[];
  /** Parent joint index, -1 for the wrist. */
  parents: Int32Array;
  /** Rest joint positions [J * 3]. */
  joints: Float64Array;
  /** World bind matrices [J * 16], column-major. */
  bindMatrices: Float64Array;
  /** Rest vertices [V * 3]. */
  vertices: Float32Array;
  /** Triangles [T * 3], counter-clockwise seen from outside. */
  triangles: Uint16Array;
  influences: number;
  skinJoints: Uint8Array;
  skinWeights: Float32Array;
  keypoints: Array<{ name: KeypointName; joint: number; vertex: number }>;
  dofs: Array<{ name: string; joint: number; kind: DofKind; axis: [number, number, number]; min: number; max: number; restDeg: number }>;
  shape: Array<{ name: string; bones: number[] }>;
  json: HandModelJson;
}

export const HAND_MODEL_FILE = 'hand-model.json';
export const HAND_MODEL_NAME = 'hand-model';

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function decodeArray(a: EncodedArray<'f32'>, what: string): Float32Array;
function decodeArray(a: EncodedArray<'u16'>, what: string): Uint16Array;
function decodeArray(a: EncodedArray<'u8'>, what: string): Uint8Array;
function decodeArray(a: EncodedArray<'f32' | 'u16' | 'u8'>, what: string): Float32Array | Uint16Array | Uint8Array {
  const bytes = decodeBase64(a.base64);
  const size = a.dtype === 'f32' ? 4 : a.dtype === 'u16' ? 2 : 1;
  if (bytes.byteLength !== a.count * size) throw new Error(`${what}: ${bytes.byteLength} bytes for ${a.count} ${a.dtype}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (a.dtype === 'u8') return bytes;
  if (a.dtype === 'u16') return Uint16Array.from({ length: a.count }, (_, i) => view.getUint16(2 * i, true));
  return Float32Array.from({ length: a.count }, (_, i) => view.getFloat32(4 * i, true));
}

/** Parses and checks models/hand-model.json; throws HandsError('model-corrupt'). */
export function parseHandModel(json: unknown): HandModelData {
  try {
    const j = json as HandModelJson;
    if (j?.format !== 'hands/hand-model' || j.version !== 1) throw new Error('not a hands/hand-model v1 file');
    const names = j.joints.map((x) => x.name);
    const index = (n: string) => {
      const i = names.indexOf(n);
      if (i < 0) throw new Error(`unknown joint "${n}"`);
      return i;
    };
    const parents = Int32Array.from(j.joints, (x, i) => {
      if (x.parent === null) return -1;
      const p = index(x.parent);
      if (p >= i) throw new Error(`joint "${x.name}" comes before its parent`);
      return p;
    });
    const vertices = decodeArray(j.vertices, 'vertices');
    const triangles = decodeArray(j.triangles, 'triangles');
    const skinJoints = decodeArray(j.skin.joints, 'skin.joints');
    const skinWeights = decodeArray(j.skin.weights, 'skin.weights');
    const nv = vertices.length / 3;
    if (skinJoints.length !== nv * j.skin.influences || skinWeights.length !== nv * j.skin.influences)
      throw new Error('skin arrays do not match the vertex count');
    for (const t of triangles) if (t >= nv) throw new Error('triangle index out of range');
    for (const s of skinJoints) if (s >= names.length) throw new Error('skin joint out of range');
    if (j.keypoints.length !== KEYPOINT_NAMES.length || j.keypoints.some((k, i) => k.name !== KEYPOINT_NAMES[i]))
      throw new Error('keypoints are not the 21 MediaPipe keypoints in order');
    const deg = Math.PI / 180;
    return {
      handedness: 'right',
      jointNames: names,
      parents,
      joints: Float64Array.from(j.joints.flatMap((x) => x.position)),
      bindMatrices: Float64Array.from(j.joints.flatMap((x) => x.bindMatrix)),
      vertices,
      triangles,
      influences: j.skin.influences,
      skinJoints,
      skinWeights,
      keypoints: j.keypoints.map((k) => ({ name: k.name, joint: index(k.joint), vertex: k.vertex ?? -1 })),
      dofs: j.dofs.map((d) => ({
        name: d.name,
        joint: index(d.joint),
        kind: d.kind,
        axis: [d.axis[0], d.axis[1], d.axis[2]],
        min: d.limitsDeg[0] * deg,
        max: d.limitsDeg[1] * deg,
        restDeg: d.restDeg,
      })),
      shape: j.shape.map((s) => ({ name: s.name, bones: s.bones.map(index) })),
      json: j,
    };
  } catch (err) {
    throw new HandsError(
      'model-corrupt',
      `hand model is not valid: ${(err as Error).message}`,
      'Restore models/hand-model.json from the repository (or rebuild it: npx tsx scripts/build-hand-model.ts).',
      { cause: err },
    );
  }
}

/**
 * The left hand: the mirror image of the right through the model frame's x = 0 plane. Positions
 * x -> -x; rotation axes a -> -M a (axes are pseudo-vectors: mirroring flips their handedness),
 * so the same angles mean the same anatomical motion on both hands; triangles reversed so they
 * stay counter-clockwise from outside; bind matrices M B M (a proper rotation again).
 */
export function mirrorHandModel(m: HandModelData): HandModelData {
  const mirrorXyz = <T extends Float32Array | Float64Array>(a: T): T => {
    const out = a.slice() as T;
    for (let i = 0; i < out.length; i += 3) out[i] = -out[i];
    return out;
  };
  const tri = m.triangles.slice();
  for (let i = 0; i < tri.length; i += 3) {
    const t = tri[i + 1];
    tri[i + 1] = tri[i + 2];
    tri[i + 2] = t;
  }
  const bind = m.bindMatrices.slice();
  // column-major 4x4: M B M with M = diag(-1, 1, 1, 1) negates entries (r, c) where exactly one of r, c is 0
  for (let j = 0; j < bind.length; j += 16)
    for (let c = 0; c < 4; c++) for (let r = 0; r < 4; r++) if ((r === 0) !== (c === 0)) bind[j + 4 * c + r] = -bind[j + 4 * c + r];
  return {
    ...m,
    handedness: m.handedness === 'right' ? 'left' : 'right',
    joints: mirrorXyz(m.joints),
    bindMatrices: bind,
    vertices: mirrorXyz(m.vertices),
    triangles: tri,
    dofs: m.dofs.map((d) => ({ ...d, axis: [d.axis[0], -d.axis[1], -d.axis[2]] })),
  };
}
