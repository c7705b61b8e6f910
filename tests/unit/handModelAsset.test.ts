import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Bone, BufferAttribute, SkinnedMesh } from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { HandsError } from '../../src/core/errors';
import { mirrorHandModel, parseHandModel, type HandModelData, type HandModelJson } from '../../src/core/handModel/asset';
import { FINGER_CHAINS, WEBXR_JOINT_NAMES } from '../../src/core/handModel/joints';
import { cross, dot, norm, sub, type Vec3 } from '../../src/core/handModel/math';
import { referenceForward, referenceVertices } from '../../src/core/handModel/reference';
import { mirrorParams, restParams, type HandParams } from '../../src/core/handModel/params';
import { KEYPOINT_NAMES } from '../../src/core/keypoints';

const MODELS = new URL('../../models/', import.meta.url).pathname;
const json = JSON.parse(readFileSync(`${MODELS}hand-model.json`, 'utf8')) as HandModelJson;
const manifest = JSON.parse(readFileSync(`${MODELS}manifest.json`, 'utf8'));
const model = parseHandModel(json);
const joint = (m: HandModelData, name: string): Vec3 => {
  const j = m.jointNames.indexOf(name);
  return [m.joints[3 * j], m.joints[3 * j + 1], m.joints[3 * j + 2]];
};

describe('hand model asset (models/hand-model.json)', () => {
  it('holds the WebXR generic hand: 1360 vertices, 2314 triangles, 25 named joints, 4 skin weights per vertex', () => {
    expect(model.vertices.length).toBe(1360 * 3);
    expect(model.triangles.length).toBe(2314 * 3);
    expect(model.jointNames).toEqual([...WEBXR_JOINT_NAMES]);
    expect(model.influences).toBe(4);
    for (let v = 0; v < 1360; v++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += model.skinWeights[4 * v + k];
      expect(s).toBeCloseTo(1, 5);
    }
    expect(model.joints.slice(0, 3)).toEqual(new Float64Array([0, 0, 0])); // wrist at the origin
  });

  it('has provenance, licence and a manifest entry whose hash matches the file', async () => {
    expect(json.provenance).toMatchObject({ package: '@webxr-input-profiles/assets', file: 'dist/profiles/generic-hand/right.glb', licence: 'MIT' });
    expect(json.provenance.sha256).toMatch(/^[0-9a-f]{64}$/);
    const entry = manifest.models['hand-model'].files['hand-model.json'];
    const bytes = readFileSync(`${MODELS}hand-model.json`);
    expect(entry.bytes).toBe(bytes.byteLength);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
  });

  it('maps the 21 MediaPipe keypoints by name: joints, and fingertip vertices carried by the distal phalanx', () => {
    expect(model.keypoints.map((k) => k.name)).toEqual([...KEYPOINT_NAMES]);
    const byName = Object.fromEntries(json.keypoints.map((k) => [k.name, k]));
    expect(byName.wrist.joint).toBe('wrist');
    expect(byName.thumb_cmc.joint).toBe('thumb-metacarpal');
    expect(byName.index_finger_mcp.joint).toBe('index-finger-phalanx-proximal');
    expect(byName.pinky_finger_dip.joint).toBe('pinky-finger-phalanx-distal');
    for (const f of ['thumb', 'index_finger', 'middle_finger', 'ring_finger', 'pinky_finger']) {
      const tip = byName[`${f}_tip`];
      expect(tip.vertex).toBeGreaterThanOrEqual(0);
      expect(tip.joint).toMatch(/phalanx-distal$/);
    }
  });

  it('derives flexion axes from the rest geometry: perpendicular to the bone and to the palm normal', () => {
    const palmNormal = cross(joint(model, 'index-finger-phalanx-proximal'), joint(model, 'pinky-finger-phalanx-proximal'));
    for (const d of model.dofs) {
      expect(norm(d.axis)).toBeCloseTo(1, 5);
      expect(d.min).toBeLessThanOrEqual(0); // the rest pose is within the limits
      expect(d.max).toBeGreaterThanOrEqual(0);
      const name = model.jointNames[d.joint];
      const chain = Object.values(FINGER_CHAINS).find((c) => c.includes(name as never))!;
      const child = chain[chain.indexOf(name as never) + 1];
      const bone = sub(joint(model, child), joint(model, name));
      if (d.kind === 'twist') expect(Math.abs(dot(d.axis, bone) / norm(bone))).toBeCloseTo(1, 5);
      else expect(Math.abs(dot(d.axis, bone)) / norm(bone)).toBeLessThan(1e-4);
      if (d.kind === 'flex' && !name.startsWith('thumb')) expect(Math.abs(dot(d.axis, palmNormal)) / norm(palmNormal)).toBeLessThan(1e-4);
    }
    // positive finger flexion turns the fingertip towards the palm
    const p = restParams(model);
    const before = referenceForward(model, p).keypoints[8];
    p.pose[model.dofs.findIndex((d) => d.name === 'index_pip_flex')] = 1;
    const after = referenceForward(model, p).keypoints[8];
    expect(dot(sub(after, before), palmNormal)).toBeGreaterThan(0);
  });

  it('has anatomical limits in degrees with the rest pose subtracted (e.g. PIP 0..110 anatomical)', () => {
    const pip = json.dofs.find((d) => d.name === 'middle_pip_flex')!;
    expect(pip.anatomicalDeg).toEqual([-10, 110]);
    expect(pip.limitsDeg[1]).toBeCloseTo(110 - pip.restDeg, 1);
    expect(
      json.dofs
        .filter((d) => d.joint === 'thumb-metacarpal')
        .map((d) => d.kind)
        .sort(),
    ).toEqual(['abd', 'flex', 'twist']);
    expect(json.dofs.filter((d) => d.joint.endsWith('phalanx-intermediate')).every((d) => d.kind === 'flex')).toBe(true);
  });

  it('rejects a damaged file with a typed error', () => {
    expect(() => parseHandModel({ ...json, version: 2 })).toThrow(HandsError);
    expect(() => parseHandModel({ ...json, triangles: { ...json.triangles, count: 5 } })).toThrow(/triangles/);
  });
});

describe('left hand = mirrored right hand', () => {
  const left = mirrorHandModel(model);
  let glb: { vertices: Vec3[]; joints: Record<string, Vec3> };

  beforeAll(async () => {
    // left.glb, in the model frame (x, -y, -z) with its wrist at the origin
    const require = createRequire(import.meta.url);
    const path = join(dirname(require.resolve('@webxr-input-profiles/assets/package.json')), 'dist/profiles/generic-hand/left.glb');
    const buf = readFileSync(path);
    const gltf = await new GLTFLoader().parseAsync(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer, '');
    let mesh: SkinnedMesh | undefined;
    gltf.scene.traverse((o) => {
      if ((o as SkinnedMesh).isSkinnedMesh) mesh = o as SkinnedMesh;
    });
    const bones: Bone[] = mesh!.skeleton.bones;
    const world = (b: number): Vec3 => {
      const e = mesh!.skeleton.boneInverses[b].clone().invert().elements;
      return [e[12], e[13], e[14]];
    };
    const w = world(bones.findIndex((b) => b.name === 'wrist'));
    const toModel = (p: Vec3): Vec3 => [p[0] - w[0], -(p[1] - w[1]), -(p[2] - w[2])];
    const pos = mesh!.geometry.getAttribute('position') as BufferAttribute;
    glb = {
      vertices: Array.from({ length: pos.count }, (_, i) => toModel([pos.getX(i), pos.getY(i), pos.getZ(i)])),
      joints: Object.fromEntries(bones.map((b, i) => [b.name, toModel(world(i))])),
    };
  });

  it('matches left.glb vertex for vertex (nearest neighbour, after aligning the wrists) to < 0.01 mm', () => {
    const mv: Vec3[] = Array.from({ length: left.vertices.length / 3 }, (_, i) => [left.vertices[3 * i], left.vertices[3 * i + 1], left.vertices[3 * i + 2]]);
    let worst = 0;
    for (const g of glb.vertices) {
      let best = Infinity;
      for (const m of mv) best = Math.min(best, (g[0] - m[0]) ** 2 + (g[1] - m[1]) ** 2 + (g[2] - m[2]) ** 2);
      worst = Math.max(worst, Math.sqrt(best));
    }
    expect(glb.vertices).toHaveLength(1360);
    expect(worst * 1000).toBeLessThan(0.01);
  });

  it("matches left.glb's joints, except where left.glb's rig differs from its own mesh (index/middle/ring metacarpal joints, index MCP: 0.4-7.4 mm)", () => {
    const differs = ['index-finger-metacarpal', 'index-finger-phalanx-proximal', 'middle-finger-metacarpal', 'ring-finger-metacarpal'];
    for (const name of WEBXR_JOINT_NAMES) {
      const d = 1000 * norm(sub(joint(left, name), glb.joints[name]));
      expect(d, name).toBeLessThan(differs.includes(name) ? 8 : 0.01);
    }
  });

  it('keeps triangles counter-clockwise from outside (winding reversed by the mirror)', () => {
    // outward normals point away from the hand's centre on average, for both hands
    for (const m of [model, left]) {
      const c = [0, 1, 2].map((k) => m.vertices.filter((_, i) => i % 3 === k).reduce((a, b) => a + b, 0) / 1360) as Vec3;
      let out = 0;
      for (let t = 0; t < m.triangles.length; t += 3) {
        const [a, b, cc] = [0, 1, 2].map((k) => Array.from(m.vertices.subarray(3 * m.triangles[t + k], 3 * m.triangles[t + k] + 3)) as Vec3);
        const n = cross(sub(b, a), sub(cc, a));
        out += Math.sign(dot(n, sub(a, c)));
      }
      expect(out / (m.triangles.length / 3)).toBeGreaterThan(0.5);
    }
  });

  it('poses the left model as the mirror image of the right one with mirrored parameters', () => {
    const p: HandParams = { ...restParams(model, 'left'), globalRotation: [0.3, -1.1, 0.4], translation: [0.05, -0.02, 0.4], globalScale: 1.1 };
    p.pose = model.dofs.map((d, i) => d.min + ((i * 0.37) % 1) * (d.max - d.min));
    p.boneScales = model.shape.map((_, i) => 0.9 + 0.01 * i);
    const l = referenceVertices(left, p);
    const r = referenceVertices(model, mirrorParams(p));
    let worst = 0;
    for (let i = 0; i < l.length; i += 3) worst = Math.max(worst, Math.hypot(l[i] + r[i], l[i + 1] - r[i + 1], l[i + 2] - r[i + 2]));
    expect(worst).toBeLessThan(1e-9);
  });
});
