#!/usr/bin/env -S npx tsx
/**
 * Builds models/hand-model.json, the parametric hand's template, from the MIT-licensed WebXR
 * generic hand (npm @webxr-input-profiles/assets, dist/profiles/generic-hand/right.glb), and
 * updates its entry in models/manifest.json.
 *
 *   npx tsx scripts/build-hand-model.ts            # write the files
 *   npx tsx scripts/build-hand-model.ts --check    # rebuild in memory, fail if the file differs
 *
 * What it derives (documented in the asset's `notes` and models/README.md):
 * - template vertices, triangles, skin weights (top 4 joints per vertex, as in the glb), the 25
 *   WebXR joints with their hierarchy (by name: the glb stores them flat) and world bind matrices,
 *   all in the model frame: (x, y, z)_model = (x, -y, -z)_glb, wrist at the origin;
 * - the 21 MediaPipe keypoints by name: joints, and for the five fingertips the vertex at the end
 *   of the finger (see `notes.fingertips` for the measurement behind that choice);
 * - pose degrees of freedom with axes from the rest geometry (never the glb bones' local axes) and
 *   anatomical limits; shape = bone-length scales.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import type { Bone, BufferAttribute, SkinnedMesh } from 'three';
import { HAND_MODEL_FILE, HAND_MODEL_NAME, type DofJson, type DofKind, type HandModelJson } from '../src/core/handModel/asset';
import { FINGER_CHAINS, WEBXR_JOINT_NAMES, webxrParent, type Finger, type WebXRJointName } from '../src/core/handModel/joints';
import { cross, dot, normalize, reject, scale, signedAngle, sub, type Vec3 } from '../src/core/handModel/math';
import { KEYPOINT_NAMES, type KeypointName } from '../src/core/keypoints';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('@webxr-input-profiles/assets/package.json'));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { name: string; version: string };
const GLB_PATH = 'dist/profiles/generic-hand/right.glb';
const check = process.argv.includes('--check');

const deg = 180 / Math.PI;
const r6 = (x: number) => Math.round(x * 1e6) / 1e6 + 0; // + 0: no -0 in the JSON
const r1 = (x: number) => Math.round(x * 10) / 10 + 0;

// ---------------------------------------------------------------- read the glb (three's GLTFLoader)
const glbBytes = readFileSync(join(pkgDir, GLB_PATH));
const glbSha = createHash('sha256').update(glbBytes).digest('hex');
const gltf = await new Promise<{ scene: { traverse(cb: (o: unknown) => void): void } }>((resolve, reject) =>
  new GLTFLoader().parse(glbBytes.buffer.slice(glbBytes.byteOffset, glbBytes.byteOffset + glbBytes.byteLength) as ArrayBuffer, '', resolve as never, reject),
);
let mesh: SkinnedMesh | undefined;
gltf.scene.traverse((o) => {
  if ((o as SkinnedMesh).isSkinnedMesh) mesh = o as SkinnedMesh;
});
if (!mesh) throw new Error(`${GLB_PATH}: no skinned mesh`);
const geo = mesh.geometry;
const pos = geo.getAttribute('position') as BufferAttribute;
const skinIndex = geo.getAttribute('skinIndex') as BufferAttribute;
const skinWeight = geo.getAttribute('skinWeight') as BufferAttribute;
const index = geo.getIndex()!;
const bones: Bone[] = mesh.skeleton.bones;
const boneNames = bones.map((b) => b.name);
for (const n of WEBXR_JOINT_NAMES) if (!boneNames.includes(n)) throw new Error(`${GLB_PATH}: joint ${n} missing`);
if (mesh.bindMatrix.elements.some((v, i) => Math.abs(v - (i % 5 === 0 ? 1 : 0)) > 1e-9)) throw new Error('expected an identity bind matrix');

// glb (y up) -> model frame: 180 degrees about x, then the wrist at the origin
const bindWorld = WEBXR_JOINT_NAMES.map((n) => mesh!.skeleton.boneInverses[boneNames.indexOf(n)].clone().invert().elements.slice());
const wristGlb: Vec3 = [bindWorld[0][12], bindWorld[0][13], bindWorld[0][14]];
const toModel = (p: Vec3): Vec3 => [p[0] - wristGlb[0], -(p[1] - wristGlb[1]), -(p[2] - wristGlb[2])];
const J: Record<WebXRJointName, Vec3> = Object.fromEntries(
  WEBXR_JOINT_NAMES.map((n, i) => [n, toModel([bindWorld[i][12], bindWorld[i][13], bindWorld[i][14]])]),
) as Record<WebXRJointName, Vec3>;
const nv = pos.count;
const V: Vec3[] = Array.from({ length: nv }, (_, i) => toModel([pos.getX(i), pos.getY(i), pos.getZ(i)]));
// skin: glb joint indices -> our joint order
const jointOf = (glbIndex: number) => WEBXR_JOINT_NAMES.indexOf(boneNames[glbIndex] as WebXRJointName);
const influences = skinIndex.itemSize;
const skinJ = new Uint8Array(nv * influences);
const skinW = new Float32Array(nv * influences);
for (let v = 0; v < nv; v++) {
  let sum = 0;
  for (let k = 0; k < influences; k++) sum += skinWeight.getComponent(v, k);
  for (let k = 0; k < influences; k++) {
    const w = skinWeight.getComponent(v, k) / sum;
    skinJ[v * influences + k] = w > 0 ? jointOf(skinIndex.getComponent(v, k)) : 0;
    skinW[v * influences + k] = w;
  }
}
const weightOn = (v: number, joints: number[]) => {
  let s = 0;
  for (let k = 0; k < influences; k++) if (joints.includes(skinJ[v * influences + k])) s += skinW[v * influences + k];
  return s;
};

// ---------------------------------------------------------------- palm frame of the rest pose
const mcp = (f: Finger) => J[FINGER_CHAINS[f][1]];
// palmar normal: for a right hand (index - wrist) x (pinky - wrist) points out of the palm
const palmNormal = normalize(cross(mcp('index'), mcp('pinky')));
const handUp = normalize(mcp('middle'));
// radial: towards the thumb side, in the palm plane
const radial = normalize(reject(cross(handUp, palmNormal), palmNormal));
if (dot(J['thumb-metacarpal'], radial) <= 0) throw new Error('radial direction does not point to the thumb: is this a right hand?');
// the palm side of the mesh is where the fingers curl to: check on the mesh that the palm normal is outward on the palm
const boneDir = (a: WebXRJointName, b: WebXRJointName) => normalize(sub(J[b], J[a]));

// ---------------------------------------------------------------- fingertips: joint or vertex?
// The WebXR *-tip joints sit inside the finger pad, about 1 cm short of the end of the finger.
// MediaPipe's tips are at the end of the finger: on the repository's fixture video its distal
// segments (DIP -> tip) are 22-26 mm (thumb IP -> tip 36 mm), against 11.6-12.2 mm (thumb 14.9)
// to the glb's tip joints and 21.5-24.8 mm (thumb 24.8) to the fingertip vertex chosen here: the
// vertex skinned wholly to the distal phalanx that lies furthest along the distal bone.
const fingertip: Record<Finger, { vertex: number; joint: WebXRJointName; jointMm: number; vertexMm: number }> = {} as never;
for (const [f, chain] of Object.entries(FINGER_CHAINS) as Array<[Finger, readonly WebXRJointName[]]>) {
  const tipJoint = chain[chain.length - 1];
  const distal = chain[chain.length - 2];
  const d = boneDir(distal, tipJoint);
  const carriers = [WEBXR_JOINT_NAMES.indexOf(distal), WEBXR_JOINT_NAMES.indexOf(tipJoint)];
  let best = -1;
  let bestProj = -Infinity;
  for (let v = 0; v < nv; v++) {
    if (weightOn(v, carriers) < 0.999) continue;
    const p = dot(sub(V[v], J[distal]), d);
    if (p > bestProj + 1e-9) {
      bestProj = p;
      best = v;
    }
  }
  fingertip[f] = { vertex: best, joint: distal, jointMm: 1000 * dot(sub(J[tipJoint], J[distal]), d), vertexMm: 1000 * bestProj };
}

// ---------------------------------------------------------------- keypoints by name
const KEYPOINT_JOINTS: Record<KeypointName, WebXRJointName | { tip: Finger }> = {
  wrist: 'wrist',
  thumb_cmc: 'thumb-metacarpal',
  thumb_mcp: 'thumb-phalanx-proximal',
  thumb_ip: 'thumb-phalanx-distal',
  thumb_tip: { tip: 'thumb' },
  index_finger_mcp: 'index-finger-phalanx-proximal',
  index_finger_pip: 'index-finger-phalanx-intermediate',
  index_finger_dip: 'index-finger-phalanx-distal',
  index_finger_tip: { tip: 'index' },
  middle_finger_mcp: 'middle-finger-phalanx-proximal',
  middle_finger_pip: 'middle-finger-phalanx-intermediate',
  middle_finger_dip: 'middle-finger-phalanx-distal',
  middle_finger_tip: { tip: 'middle' },
  ring_finger_mcp: 'ring-finger-phalanx-proximal',
  ring_finger_pip: 'ring-finger-phalanx-intermediate',
  ring_finger_dip: 'ring-finger-phalanx-distal',
  ring_finger_tip: { tip: 'ring' },
  pinky_finger_mcp: 'pinky-finger-phalanx-proximal',
  pinky_finger_pip: 'pinky-finger-phalanx-intermediate',
  pinky_finger_dip: 'pinky-finger-phalanx-distal',
  pinky_finger_tip: { tip: 'pinky' },
};
const keypoints = KEYPOINT_NAMES.map((name) => {
  const k = KEYPOINT_JOINTS[name];
  return typeof k === 'string' ? { name, joint: k } : { name, joint: fingertip[k.tip].joint, vertex: fingertip[k.tip].vertex };
});

// ---------------------------------------------------------------- degrees of freedom
/** Bone leaving a joint (to its only child). */
const outBone = (j: WebXRJointName): Vec3 => {
  const child = WEBXR_JOINT_NAMES.find((c) => c !== 'wrist' && webxrParent(c) === j);
  if (!child) throw new Error(`${j} has no child`);
  return boneDir(j, child);
};
const inBone = (j: WebXRJointName): Vec3 => {
  const p = webxrParent(j)!;
  return p === 'wrist' ? normalize(J[j]) : boneDir(p, j);
};
/** Flexion axis: positive rotation turns the bone towards the palm. */
const flexAxis = (d: Vec3) => normalize(cross(d, palmNormal));
/** Axis in the palm-normal direction; positive rotation turns the bone towards `towards` (in the palm plane). */
const inPlaneAxis = (d: Vec3, towards: Vec3) => {
  const a = normalize(reject(palmNormal, d));
  return dot(cross(a, d), towards) > 0 ? a : scale(a, -1);
};

interface DofSpec {
  joint: WebXRJointName;
  kind: DofKind;
  axis: Vec3;
  /** Anatomical range (degrees, 0 = anatomical neutral). */
  anatomical: [number, number];
  /** Anatomical angle of the rest pose (degrees). */
  rest: number;
}
const specs: Array<DofSpec & { name: string }> = [];
const addDof = (name: string, s: DofSpec) => specs.push({ name, ...s });

// Limits (anatomical, degrees): normal active ranges of motion of the American Academy of
// Orthopaedic Surgeons (AAOS 1965; tabulated in Norkin & White, "Measurement of Joint Motion"):
// finger MCP flexion 90 / hyperextension 45, PIP flexion 100 (110 here: MediaPipe's tightest
// fists), DIP flexion 90 / extension 10, thumb MCP flexion 50 (60 here), thumb IP flexion 80 /
// hyperextension 20, thumb CMC palmar abduction 70. MCP abduction/adduction (not in the AAOS
// table): +-20 degrees as in Lin, Wu & Huang 2000 ("Modeling the constraints of human hand
// motion", +-15) widened by 5 for the index and pinky. Ring/pinky CMC flexion (palm cupping):
// 10 / 20 degrees (Kapandji, "The Physiology of the Joints", vol. 1). Thumb CMC in-plane motion
// and axial rotation: see the notes below; these have no single clinical reference.
const FINGER_RANGES: Record<Exclude<Finger, 'thumb'>, { abd: [number, number]; cmc?: [number, number] }> = {
  index: { abd: [-20, 25] },
  middle: { abd: [-20, 20] },
  ring: { abd: [-20, 20], cmc: [-5, 10] },
  pinky: { abd: [-30, 20], cmc: [-5, 20] },
};
const THUMB = {
  cmcFlex: [-15, 60] as [number, number],
  cmcAbd: [0, 70] as [number, number],
  cmcTwist: [-15, 35] as [number, number],
  mcpFlex: [-15, 60] as [number, number],
  mcpAbd: [-15, 15] as [number, number],
  ipFlex: [-20, 80] as [number, number],
};

// Thumb. Its flexion plane is turned about 90 degrees from the fingers' (the thumb pad faces the
// index in a flat hand): MCP and IP flexion are about the palm normal (projected perpendicular to
// the bone), turning the thumb across the palm (ulnarwards). Measured on MediaPipe's 3D keypoints
// of the fixture video (the IP and MCP hinge axes from consecutive thumb bones, 280 / 310 bent
// frames): -106 and -92 degrees (median) about the thumb metacarpal from the fingers' convention
// (bone x palm normal), i.e. about the palm normal as used here.
{
  const d = outBone('thumb-metacarpal');
  const indexMeta = normalize(reject(outBone('index-finger-metacarpal'), palmNormal));
  // in-plane angle of the thumb metacarpal from the index metacarpal, radial positive
  const inPlane = signedAngle(indexMeta, d, palmNormal) * (dot(cross(indexMeta, radial), palmNormal) > 0 ? 1 : -1);
  // "flexion" of the CMC = in-plane motion ulnarwards: anatomical angle = -(in-plane angle)
  addDof('thumb_cmc_flex', {
    joint: 'thumb-metacarpal',
    kind: 'flex',
    axis: inPlaneAxis(d, scale(radial, -1)),
    anatomical: THUMB.cmcFlex.map((x) => -x).reverse() as [number, number],
    rest: -inPlane * deg,
  });
  const elevation = Math.asin(dot(d, palmNormal)) * deg;
  addDof('thumb_cmc_abd', { joint: 'thumb-metacarpal', kind: 'abd', axis: flexAxis(d), anatomical: THUMB.cmcAbd, rest: elevation });
  // twist: about the bone, positive = pronation (the thumb pad turns towards the palm). For a
  // right hand that is a left-handed turn about the distal direction, hence -d.
  addDof('thumb_cmc_twist', { joint: 'thumb-metacarpal', kind: 'twist', axis: scale(d, -1), anatomical: THUMB.cmcTwist, rest: 0 });
  const dm = outBone('thumb-phalanx-proximal');
  addDof('thumb_mcp_flex', { joint: 'thumb-phalanx-proximal', kind: 'flex', axis: inPlaneAxis(dm, scale(radial, -1)), anatomical: THUMB.mcpFlex, rest: 0 });
  addDof('thumb_mcp_abd', { joint: 'thumb-phalanx-proximal', kind: 'abd', axis: flexAxis(dm), anatomical: THUMB.mcpAbd, rest: 0 });
  const di = outBone('thumb-phalanx-distal');
  addDof('thumb_ip_flex', { joint: 'thumb-phalanx-distal', kind: 'flex', axis: inPlaneAxis(di, scale(radial, -1)), anatomical: THUMB.ipFlex, rest: 0 });
}
// rest anatomical angles of the thumb MCP / IP: the bend between consecutive thumb bones about each axis
for (const s of specs) {
  if (s.joint === 'thumb-phalanx-proximal' || s.joint === 'thumb-phalanx-distal') s.rest = signedAngle(inBone(s.joint), outBone(s.joint), s.axis) * deg;
}
for (const f of ['index', 'middle', 'ring', 'pinky'] as const) {
  const [meta, prox, inter, dist] = FINGER_CHAINS[f];
  const r = FINGER_RANGES[f];
  if (r.cmc) {
    const d = outBone(meta);
    addDof(`${f}_cmc_flex`, { joint: meta, kind: 'flex', axis: flexAxis(d), anatomical: r.cmc, rest: 0 });
  }
  const dp = outBone(prox);
  const flex = flexAxis(dp);
  const abd = inPlaneAxis(dp, radial);
  addDof(`${f}_mcp_flex`, { joint: prox, kind: 'flex', axis: flex, anatomical: [-45, 90], rest: signedAngle(inBone(prox), dp, flex) * deg });
  addDof(`${f}_mcp_abd`, { joint: prox, kind: 'abd', axis: abd, anatomical: r.abd, rest: signedAngle(inBone(prox), dp, abd) * deg });
  const di = outBone(inter);
  addDof(`${f}_pip_flex`, { joint: inter, kind: 'flex', axis: flexAxis(di), anatomical: [-10, 110], rest: signedAngle(inBone(inter), di, flexAxis(di)) * deg });
  const dd = outBone(dist);
  addDof(`${f}_dip_flex`, { joint: dist, kind: 'flex', axis: flexAxis(dd), anatomical: [-10, 90], rest: signedAngle(inBone(dist), dd, flexAxis(dd)) * deg });
}
const dofs: DofJson[] = specs.map((s) => ({
  name: s.name,
  joint: s.joint,
  kind: s.kind,
  axis: s.axis.map(r6),
  // the parameter is relative to the rest pose: limits = anatomical range - rest angle, widened
  // to include the rest pose itself (the middle DIP rests at -10.7, 0.7 degrees past the range)
  limitsDeg: [Math.min(0, r1(s.anatomical[0] - s.rest)), Math.max(0, r1(s.anatomical[1] - s.rest))],
  restDeg: r1(s.rest),
  anatomicalDeg: s.anatomical,
}));

// ---------------------------------------------------------------- shape: bone-length scales
const shape: HandModelJson['shape'] = [
  { name: 'thumb.cmc', bones: ['thumb-metacarpal'] },
  { name: 'thumb.metacarpal', bones: ['thumb-phalanx-proximal'] },
  { name: 'thumb.proximal', bones: ['thumb-phalanx-distal'] },
  { name: 'thumb.distal', bones: ['thumb-tip'] },
  ...(['index', 'middle', 'ring', 'pinky'] as const).flatMap((f) => {
    const [meta, prox, inter, dist, tip] = FINGER_CHAINS[f];
    return [
      { name: `${f}.palm`, bones: [meta, prox] },
      { name: `${f}.proximal`, bones: [inter] },
      { name: `${f}.intermediate`, bones: [dist] },
      { name: `${f}.distal`, bones: [tip] },
    ];
  }),
];

// ---------------------------------------------------------------- write
const b64 = (a: Float32Array | Uint16Array | Uint8Array) => {
  // little-endian regardless of the machine
  const bytes = new Uint8Array(a.length * a.BYTES_PER_ELEMENT);
  const view = new DataView(bytes.buffer);
  a.forEach((x, i) =>
    a instanceof Float32Array ? view.setFloat32(4 * i, x, true) : a instanceof Uint16Array ? view.setUint16(2 * i, x, true) : view.setUint8(i, x),
  );
  return Buffer.from(bytes).toString('base64');
};
// bind matrices in the model frame: B' = [C R | C (p - w)] with C = diag(1, -1, -1)
const bindModel = (e: number[]) => {
  const out = e.slice();
  for (const c of [0, 1, 2]) {
    out[4 * c + 1] = -e[4 * c + 1];
    out[4 * c + 2] = -e[4 * c + 2];
  }
  const p = toModel([e[12], e[13], e[14]]);
  out[12] = p[0];
  out[13] = p[1];
  out[14] = p[2];
  return out.map(r6);
};
const tris = new Uint16Array(index.count);
for (let i = 0; i < index.count; i++) tris[i] = index.getX(i);
const verts = new Float32Array(nv * 3);
V.forEach((p, i) => verts.set(p, 3 * i));

const ft = (f: Finger) => `${f} ${fingertip[f].jointMm.toFixed(1)} -> ${fingertip[f].vertexMm.toFixed(1)} mm past the distal joint's bone end`;
const asset: HandModelJson = {
  format: 'hands/hand-model',
  version: 1,
  description:
    'MANO-style parametric right hand on the WebXR generic hand: 1360 vertices, 2314 triangles, 25 WebXR joints, linear blend skinning; pose = angles on anatomical axes with limits; shape = bone-length scales + global scale. Left = mirror (x -> -x).',
  provenance: {
    package: pkg.name,
    version: pkg.version,
    file: GLB_PATH,
    sha256: glbSha,
    licence: 'MIT',
    copyright: 'Copyright (c) 2019 Amazon (WebXR Input Profiles, github.com/immersive-web/webxr-input-profiles)',
    command: 'npx tsx scripts/build-hand-model.ts',
  },
  units: 'metres',
  frame:
    '(x, y, z) = (x, -y, -z) of the glb (y up), i.e. turned 180 degrees about x so that with the identity global rotation the axes are the camera frame of the results (x right, y down, z forward); origin at the wrist joint. The rest hand has its fingers along +y, its palm facing -x.',
  hand: 'right',
  mirror:
    'left hand = mirror image through x = 0: positions and bind translations x -> -x, bind rotations M R M, rotation axes a -> (a.x, -a.y, -a.z) (pseudo-vectors), triangle winding reversed; the same pose and shape parameters then mean the same anatomical pose.',
  joints: WEBXR_JOINT_NAMES.map((name, i) => ({ name, parent: webxrParent(name), position: J[name].map(r6), bindMatrix: bindModel(bindWorld[i]) })),
  vertices: { dtype: 'f32', count: verts.length, base64: b64(verts) },
  triangles: { dtype: 'u16', count: tris.length, base64: b64(tris) },
  skin: { influences, joints: { dtype: 'u8', count: skinJ.length, base64: b64(skinJ) }, weights: { dtype: 'f32', count: skinW.length, base64: b64(skinW) } },
  keypoints,
  dofs,
  shape,
  notes: {
    pose: 'Local rotation of a joint = R(abd) R(flex) R(twist) about its axes (model frame, rest pose), angles in radians relative to the rest pose (0); world rotation G = G(parent) L; position p = p(parent) + G(parent) s (J - J(parent)). Positive angles: flex = towards the palm (thumb: across the palm, ulnarwards), abd = towards the thumb side (thumb: palmar abduction, out of the palm plane), twist = thumb pronation.',
    axes: "Derived from the rest-pose geometry, not the glb bones' local axes: palm normal n = normalize((index MCP - wrist) x (pinky MCP - wrist)) (palmar for a right hand); finger flexion axis = normalize(bone x n); abduction axis = n projected perpendicular to the bone; thumb flexion (CMC in-plane, MCP, IP) about n projected perpendicular to the bone; thumb CMC palmar abduction about normalize(bone x n); thumb twist about the bone.",
    limits:
      "limitsDeg = anatomicalDeg - restDeg (widened to include 0, the rest pose), where restDeg is the rest pose's anatomical angle measured on the template (bend between consecutive bones about the axis; thumb CMC: angle out of the palm plane for abd, in-plane angle from the index metacarpal for flex). Sources: AAOS normal ranges of motion (Norkin & White), Lin, Wu & Huang 2000 for MCP abduction, Kapandji for CMC cupping; thumb CMC in-plane range -60..15 (radial abduction 60 from the index metacarpal, 15 across it; AAOS: flexion 15) and axial rotation -15..35 (pronation during opposition) are our choices.",
    shape:
      "Per-bone length scales (1 = template), in `shape` order, multiply the rest offset of each listed joint from its parent; each bone's vertices stretch along the bone with it; a global scale multiplies the whole hand. Fingertip vertices scale with the distal phalanx.",
    fingertips: `MediaPipe tips = vertices at the end of the finger, not the WebXR *-tip joints (which sit inside the pad): distance from the distal joint along the distal bone, tip joint -> chosen vertex: ${(['thumb', 'index', 'middle', 'ring', 'pinky'] as const).map(ft).join('; ')}. MediaPipe's 3D distal segments on the fixture video: 22-26 mm (thumb 36).`,
    restPose: `palm normal ${palmNormal.map((x) => x.toFixed(3)).join(', ')}; radial ${radial.map((x) => x.toFixed(3)).join(', ')}`,
  },
};

const text = `${JSON.stringify(asset)}\n`;
const outPath = join(root, 'models', HAND_MODEL_FILE);
const sha = createHash('sha256').update(text).digest('hex');
if (check) {
  const old = readFileSync(outPath, 'utf8');
  if (old !== text) {
    console.error(`${relative(root, outPath)} differs from a fresh build: run npx tsx scripts/build-hand-model.ts`);
    process.exit(1);
  }
  console.log(`${relative(root, outPath)} is up to date (sha256 ${sha})`);
  process.exit(0);
}
writeFileSync(outPath, text);
const manifestPath = join(root, 'models', 'manifest.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
manifest.models[HAND_MODEL_NAME] = {
  files: { [HAND_MODEL_FILE]: { bytes: Buffer.byteLength(text), sha256: sha } },
  source: `${pkg.name}@${pkg.version}:${GLB_PATH} (sha256 ${glbSha}), built by scripts/build-hand-model.ts`,
  licence: 'MIT (WebXR generic hand, Copyright (c) 2019 Amazon); derived data (axes, limits, mapping) MIT',
  description:
    'Parametric right-hand template (left = mirror): 1360 vertices, 2314 triangles, 25 WebXR joints, skin weights, 21 MediaPipe keypoints by name, pose DoFs with anatomical limits, bone-length shape scales. Read by src/core/handModel (TypeScript) and numpy alike.',
};
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`wrote ${relative(root, outPath)} (${(Buffer.byteLength(text) / 1024).toFixed(1)} KiB, sha256 ${sha}) and its manifest entry`);
console.log(`vertices ${nv}, triangles ${tris.length / 3}, joints ${WEBXR_JOINT_NAMES.length}, dofs ${dofs.length}, shape ${shape.length}`);
for (const f of ['thumb', 'index', 'middle', 'ring', 'pinky'] as const) console.log(`fingertip ${ft(f)} (vertex ${fingertip[f].vertex})`);
for (const d of dofs)
  console.log(`${d.name.padEnd(18)} rest ${String(d.restDeg).padStart(6)}  limits [${d.limitsDeg.join(', ')}]  anatomical [${d.anatomicalDeg.join(', ')}]`);
