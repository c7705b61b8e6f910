import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mesh, PerspectiveCamera } from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { OBJLoader } from 'three/examples/jsm/loaders/OBJLoader.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/nodePipeline';

// `hands analyze --mesh / --params` as a user runs it; the files are parsed back with three.js's loaders.
const BIN = new URL('../../bin/hands.mjs', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 180_000 });

describe('hands analyze --mesh / --params (CLI)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hands-mesh-'));
  });

  it('writes one binary glTF per hand (suffixed), the parameters as JSON, and keeps vertices out of --json', async () => {
    const r = run('analyze', `${FIXTURES}hands.jpg`, '--mesh', join(dir, 'hands.glb'), '--params', join(dir, 'params.json'), '--json', join(dir, 'r.json'));
    expect(r.status, r.stderr).toBe(0);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.glb'))
      .sort();
    expect(files).toEqual(['hands.hand1-left.glb', 'hands.hand2-left.glb']);
    const bytes = readFileSync(join(dir, files[0]));
    // GLB header: magic "glTF", version 2, total length
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('glTF');
    expect(bytes.readUInt32LE(4)).toBe(2);
    expect(bytes.readUInt32LE(8)).toBe(bytes.byteLength);
    const gltf = await new GLTFLoader().parseAsync(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, '');
    const meshes: Mesh[] = [];
    const cameras: PerspectiveCamera[] = [];
    gltf.scene.traverse((o) => {
      if ((o as Mesh).isMesh) meshes.push(o as Mesh);
    });
    gltf.cameras.forEach((c) => cameras.push(c as PerspectiveCamera));
    expect(meshes).toHaveLength(1);
    expect(meshes[0].geometry.getAttribute('position').count).toBe(1360);
    expect(meshes[0].geometry.getIndex()!.count).toBe(2314 * 3);
    expect(cameras).toHaveLength(1);
    expect(cameras[0].aspect).toBeCloseTo(720 / 382, 3);
    // glTF convention: in front of the camera is -z
    const pos = meshes[0].geometry.getAttribute('position');
    for (let i = 0; i < pos.count; i += 97) expect(pos.getZ(i)).toBeLessThan(0);

    const params = JSON.parse(readFileSync(join(dir, 'params.json'), 'utf8'));
    expect(params.images[0].hands).toHaveLength(2);
    const h = params.images[0].hands[0];
    expect(h.params.pose).toHaveLength(24);
    expect(h.params.boneScales).toHaveLength(20);
    expect(h.camera).toMatchObject({ width: 720, height: 382, cx: 360, cy: 191, fovDegrees: 60 });
    expect(h.wristDepth).toBeGreaterThan(0);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(report.images[0].result.hands[0].mesh.params.pose).toHaveLength(24);
    expect(report.images[0].result.hands[0].mesh.vertices).toBeUndefined();
  });

  it('writes OBJ with image and hand suffixes for several images', () => {
    const r = run('analyze', `${FIXTURES}hands.jpg`, `${FIXTURES}fingerpose-nocurl.jpg`, '--mesh', join(dir, 'm.obj'), '--quiet');
    expect(r.status, r.stderr).toBe(0);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.obj'))
      .sort();
    expect(files).toEqual(['m.fingerpose-nocurl.hand1-right.obj', 'm.hands.hand1-left.obj', 'm.hands.hand2-left.obj']);
    const obj = new OBJLoader().parse(readFileSync(join(dir, files[0]), 'utf8'));
    const mesh = obj.children[0] as Mesh;
    // OBJLoader un-indexes: 3 vertices per triangle
    expect(mesh.geometry.getAttribute('position').count).toBe(2314 * 3);
  });

  it('refuses a mesh file type it cannot write (exit 2)', () => {
    const r = run('analyze', `${FIXTURES}hands.jpg`, '--mesh', join(dir, 'x.ply'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\.glb or \.obj/);
  });
});
