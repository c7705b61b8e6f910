import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { FrameResult } from '../../src/core/types';
import { dropFile, foreignRequests, hudValue, openRecordedPage, pageTestSession, REPO_ROOT, waitForHands, waitReady, stillClip } from './harness';

const FIXTURE = join(REPO_ROOT, 'tests/fixtures/hands.jpg');
const SCREENSHOT = join(REPO_ROOT, 'docs/screenshot-mesh.png');
const VERTICES_PER_HAND = 1360;
/** Projected mesh keypoints (fingertip vertices; the vertex nearest the wrist) vs the 2D keypoints. */
const REGISTRATION_TOLERANCE_PX = 15;
const FINGERTIPS = [4, 8, 12, 16, 20];

const session = pageTestSession();

const log = (what: string, ms: number) => console.log(`[e2e mesh] ${what}: ${(ms / 1000).toFixed(2)} s`);
const lastResult = (page: Page) => page.evaluate(() => window.__handsLastResult) as Promise<FrameResult>;
const toggle = (page: Page, label: string) => page.locator('.lil-controller', { hasText: label }).locator('input[type=checkbox]');
const button = (page: Page, label: string) => page.locator('.lil-controller.lil-function', { hasText: label }).locator('button');

declare global {
  interface Window {
    /** Per result shown while recording: hand sources, and the worst fingertip vertex to 2D keypoint distance. */
    __meshRegistration?: Array<{ sources: string[]; worstPx: number }>;
  }
}

/**
 * Records, for every result the page shows from now on, how far the mesh overlay's fingertip
 * vertices lie from the result's 2D fingertips (Infinity: a hand the mesh layer did not draw).
 * The overlay is updated with the result it is published with, so each record is one frame's.
 */
async function recordRegistration(page: Page): Promise<void> {
  await page.evaluate((tips) => {
    const frames: NonNullable<Window['__meshRegistration']> = [];
    window.__meshRegistration = frames;
    let seen: unknown = null;
    const check = () => {
      const r = window.__handsLastResult;
      if (r && r !== seen) {
        seen = r;
        const probe = window.__handsMeshOverlay!;
        let worstPx = 0;
        r.hands.forEach((h, i) => {
          const p = probe.projected(i);
          if (!p) worstPx = Infinity;
          else
            for (const k of tips)
              worstPx = Math.max(
                worstPx,
                Math.hypot(p[2 * probe.keypointVertices[k]] - h.keypoints2d[k].x, p[2 * probe.keypointVertices[k] + 1] - h.keypoints2d[k].y),
              );
        });
        frames.push({ sources: r.hands.map((h) => h.source), worstPx });
      }
      requestAnimationFrame(check);
    };
    check();
  }, FINGERTIPS);
}

/** Clicks an Export button and returns the downloaded file's name and bytes. */
async function download(page: Page, label: string): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), button(page, label).click()]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
}

/** The JSON chunk of a binary glTF (checks the container). */
function parseGlb(bytes: Buffer): {
  meshes: Array<{ name?: string; primitives: Array<{ attributes: { POSITION: number }; indices?: number }> }>;
  accessors: Array<{ count: number }>;
  nodes: Array<{ name?: string; mesh?: number; camera?: number }>;
} {
  expect(bytes.subarray(0, 4).toString('latin1')).toBe('glTF');
  expect(bytes.readUInt32LE(4)).toBe(2);
  expect(bytes.readUInt32LE(8)).toBe(bytes.length);
  const jsonLength = bytes.readUInt32LE(12);
  expect(bytes.subarray(16, 20).toString('latin1')).toBe('JSON');
  return JSON.parse(bytes.subarray(20, 20 + jsonLength).toString('utf8'));
}

/** RGB pixels of a PNG. */
async function rgb(png: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Pixels that differ by more than `threshold` (sum over RGB) between two same-size images. */
function changed(a: { data: Buffer; width: number; height: number }, b: { data: Buffer }, threshold = 40): Uint8Array {
  const mask = new Uint8Array(a.width * a.height);
  for (let i = 0; i < mask.length; i++) {
    const d = Math.abs(a.data[3 * i] - b.data[3 * i]) + Math.abs(a.data[3 * i + 1] - b.data[3 * i + 1]) + Math.abs(a.data[3 * i + 2] - b.data[3 * i + 2]);
    mask[i] = d > threshold ? 1 : 0;
  }
  return mask;
}

function iou(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    inter += a[i] & b[i];
    union += a[i] | b[i];
  }
  return union ? inter / union : 0;
}

function flipX(mask: Uint8Array, width: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = mask[i - (i % width) + (width - 1 - (i % width))];
  return out;
}

describe('hand mesh layers', () => {
  it('draws the fitted mesh on the hands, orbits it in 3D, follows the mirror, exports GLB / OBJ / JSON / PNG', async () => {
    const browser = await session.launch();
    const t0 = Date.now();
    const { page, requests, errors } = await openRecordedPage(browser, `${session.origin}/`);
    await waitReady(page);
    const backend = await hudValue(page, 'backend');

    // exports before any hand: a clear message, no file
    await button(page, 'Mesh (.glb)').click();
    await expect.poll(() => page.locator('#notice').innerText()).toContain('No hand to export yet');

    await dropFile(page, 'hands.jpg', 'image/jpeg', readFileSync(FIXTURE));
    await waitForHands(page, 2);
    expect(await page.locator('#notice').isHidden(), 'a new source clears the notice').toBe(true);
    expect(
      (await lastResult(page)).hands.every((h) => !h.mesh),
      'no mesh while nobody looks at it',
    ).toBe(true);
    expect(await hudValue(page, 'mesh')).toBe('0.0');

    // 1. the Mesh layer turns the pipeline's mesh stage on; the still is analysed again
    const tMesh = Date.now();
    await toggle(page, 'Mesh').click();
    await page.waitForFunction(() => (window.__handsLastResult?.hands ?? []).length === 2 && window.__handsLastResult!.hands.every((h) => h.mesh), null, {
      timeout: 120_000,
      polling: 100,
    });
    log('mesh layer on to meshes on both hands', Date.now() - tMesh);
    expect(await page.locator('#view').getAttribute('data-layers')).toBe('keypoints skeleton boxes labels mesh gestures');
    const result = await lastResult(page);
    for (const h of result.hands) {
      expect(h.mesh!.vertices.length).toBe(VERTICES_PER_HAND * 3);
      expect(h.mesh!.wristDepth).toBeGreaterThan(0.1);
    }
    const t = result.timings;
    const fits = result.hands
      .map(
        (h) => `${h.handedness}: ${h.mesh!.residualMm.toFixed(1)} mm, ${h.mesh!.residualPx.toFixed(1)} px, wrist ${(100 * h.mesh!.wristDepth).toFixed(0)} cm`,
      )
      .join('; ');
    console.log(
      `[e2e mesh] ${backend}: mesh stage ${t.meshMs.toFixed(1)} ms for 2 hands (landmarks ${t.landmarksMs.toFixed(1)}, total ${t.totalMs.toFixed(1)} ms); fit ${fits}`,
    );
    expect(Number(await hudValue(page, 'mesh'))).toBeGreaterThan(0);
    expect(await hudValue(page, 'fit')).toMatch(/^\d+\.\d mm, \d+\.\d px$/);

    // 2. registered: the overlay's projected fingertip vertices (and the vertex nearest the wrist) lie on the 2D keypoints
    const registration = await page.evaluate(() => {
      const probe = window.__handsMeshOverlay!;
      const r = window.__handsLastResult!;
      return r.hands.map((h, i) => {
        const p = probe.projected(i)!;
        const tips = probe.keypointVertices.map((v, k) => (v < 0 ? null : Math.hypot(p[2 * v] - h.keypoints2d[k].x, p[2 * v + 1] - h.keypoints2d[k].y)));
        let wrist = Infinity;
        for (let v = 0; v < p.length / 2; v++) wrist = Math.min(wrist, Math.hypot(p[2 * v] - h.keypoints2d[0].x, p[2 * v + 1] - h.keypoints2d[0].y));
        return { tips, wrist, vertices: p.length / 2 };
      });
    });
    for (const hand of registration) {
      expect(hand.vertices).toBe(VERTICES_PER_HAND);
      for (const k of FINGERTIPS) expect(hand.tips[k], `keypoint ${k}`).toBeLessThan(REGISTRATION_TOLERANCE_PX);
      expect(hand.wrist).toBeLessThan(REGISTRATION_TOLERANCE_PX);
    }
    console.log(`[e2e mesh] fingertip vertex to keypoint (px): ${registration.map((h) => FINGERTIPS.map((k) => h.tips[k]!.toFixed(1)).join(' ')).join(' | ')}`);

    // 3. the 3D view: a lit mesh in its own canvas
    await toggle(page, '3D view').click();
    await expect.poll(() => page.locator('#view').getAttribute('data-view3d')).toBe('true');
    const inset = page.locator('.view3d canvas');
    await expect.poll(() => inset.isVisible()).toBe(true);
    await page.waitForTimeout(300);
    const view3d = await rgb(await inset.screenshot());
    const n = view3d.width * view3d.height;
    // the background: the most common colour
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const key = (view3d.data[3 * i] << 16) | (view3d.data[3 * i + 1] << 8) | view3d.data[3 * i + 2];
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const bgKey = [...counts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    const bg = [bgKey >> 16, (bgKey >> 8) & 255, bgKey & 255];
    let meshColoured = 0;
    let differs = 0;
    for (let i = 0; i < n; i++) {
      const [r, g, b] = [view3d.data[3 * i], view3d.data[3 * i + 1], view3d.data[3 * i + 2]];
      if (Math.abs(r - bg[0]) + Math.abs(g - bg[1]) + Math.abs(b - bg[2]) > 30) differs++;
      // the hands' colours: teal (left) or orange (right)
      if ((g > r + 30 && b > r + 30) || (r > g + 30 && r > b + 50)) meshColoured++;
    }
    console.log(
      `[e2e mesh] 3D view ${view3d.width}x${view3d.height}: ${((100 * differs) / n).toFixed(1)} % drawn, ${((100 * meshColoured) / n).toFixed(1)} % hand-coloured`,
    );
    expect(differs / n).toBeGreaterThan(0.05);
    expect(meshColoured / n).toBeGreaterThan(0.02);

    // 4. the mesh follows the selfie mirror: what the Mesh layer adds to the picture flips with it
    //    (toggling the layer while the 3D view stays open changes no pipeline setting)
    await toggle(page, 'Labels').click();
    const canvas = page.locator('.overlay-canvas');
    const meshPixels = async () => {
      const on = await rgb(await canvas.screenshot());
      await toggle(page, 'Mesh').click();
      await page.waitForTimeout(150);
      const off = await rgb(await canvas.screenshot());
      await toggle(page, 'Mesh').click();
      await page.waitForTimeout(150);
      return { mask: changed(on, off), width: on.width, height: on.height };
    };
    const plain = await meshPixels();
    await page.locator('.lil-controller', { hasText: 'Selfie mirror' }).locator('input[type=checkbox]').click();
    await expect.poll(() => page.locator('#view').getAttribute('data-mirrored')).toBe('true');
    const mirrored = await meshPixels();
    // the 3D inset sits over the picture's corner and does not flip: leave its place and its mirror image out
    const plainMask = plain.mask.slice();
    const cb = (await canvas.boundingBox())!;
    const ib = (await page.locator('.view3d').boundingBox())!;
    for (const m of [plain.mask, mirrored.mask]) {
      for (let y = Math.max(0, Math.floor(ib.y - cb.y)); y < Math.min(plain.height, Math.ceil(ib.y + ib.height - cb.y)); y++) {
        for (let x = Math.max(0, Math.floor(ib.x - cb.x)); x < Math.min(plain.width, Math.ceil(ib.x + ib.width - cb.x)); x++) {
          m[y * plain.width + x] = 0;
          m[y * plain.width + (plain.width - 1 - x)] = 0;
        }
      }
    }
    const covered = plain.mask.reduce((a, b) => a + b, 0) / plain.mask.length;
    const flippedIoU = iou(mirrored.mask, flipX(plain.mask, plain.width));
    const sameIoU = iou(mirrored.mask, plain.mask);
    console.log(
      `[e2e mesh] mesh covers ${(100 * covered).toFixed(1)} % of the canvas; mirrored vs flipped IoU ${flippedIoU.toFixed(3)}, vs unflipped ${sameIoU.toFixed(3)}`,
    );
    expect(covered).toBeGreaterThan(0.02);
    expect(flippedIoU).toBeGreaterThan(0.85);
    // the photo's two hands sit almost mirror-symmetrically, so even the unflipped picture overlaps
    // by about half (0.495 with the v1 detector's keypoints, 0.511 with the heads' fused ones)
    expect(sameIoU).toBeLessThan(0.6);
    expect(flippedIoU - sameIoU).toBeGreaterThan(0.3);
    // ... and it sits on the hands: each palm centre (un-mirrored view) is covered by mesh pixels
    const scale = plain.width / result.width;
    for (const h of result.hands) {
      const palm = [0, 5, 9, 13, 17].map((k) => h.keypoints2d[k]);
      const x = Math.round((scale * palm.reduce((s, p) => s + p.x, 0)) / 5);
      const y = Math.round((scale * palm.reduce((s, p) => s + p.y, 0)) / 5);
      expect(plainMask[y * plain.width + x], `mesh pixel at the palm centre (${x}, ${y})`).toBe(1);
    }
    await toggle(page, 'Labels').click();

    // the picture as a person sees it: mesh layer and 3D view on, mirror back off
    await page.locator('.lil-controller', { hasText: 'Selfie mirror' }).locator('input[type=checkbox]').click();
    await expect.poll(() => page.locator('#view').getAttribute('data-mirrored')).toBe('false');
    await page.waitForTimeout(300);
    mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    // 5. exports: binary glTF, OBJ, JSON, PNG, parsed back
    const glb = await download(page, 'Mesh (.glb)');
    expect(glb.name).toBe('hands.hands.glb');
    const gltf = parseGlb(glb.bytes);
    expect(gltf.meshes).toHaveLength(2);
    for (const m of gltf.meshes) expect(gltf.accessors[m.primitives[0].attributes.POSITION].count).toBe(VERTICES_PER_HAND);
    expect(
      gltf.nodes.some((nd) => nd.camera !== undefined),
      'the source camera',
    ).toBe(true);
    const obj = await download(page, 'Mesh (.obj)');
    const objText = obj.bytes.toString('utf8');
    expect(objText.split('\n').filter((l) => l.startsWith('v ')).length).toBe(2 * VERTICES_PER_HAND);
    expect(objText.split('\n').filter((l) => l.startsWith('o ')).length).toBe(2);
    const json = await download(page, 'Result (.json)');
    const doc = JSON.parse(json.bytes.toString('utf8'));
    expect(doc.format).toBe('hands/result');
    expect(doc.hands).toHaveLength(2);
    for (const h of doc.hands) {
      expect(h.keypoints2d).toHaveLength(21);
      expect(h.keypoints3d).toHaveLength(21);
      expect(['left', 'right']).toContain(h.handedness);
      expect(h.mesh.vertices).toHaveLength(3 * VERTICES_PER_HAND);
      expect(h.mesh.params.pose.length).toBeGreaterThan(10);
    }
    const png = await download(page, 'Screenshot (.png)');
    const shot = await sharp(png.bytes).metadata();
    expect(shot.format).toBe('png');
    expect(shot.width).toBeGreaterThan(400);
    await expect.poll(() => page.locator('#notice').innerText()).toContain('Saved hands.view.png');

    expect(foreignRequests(requests, session.origin)).toEqual([]);
    expect(errors).toEqual([]);
    log('mesh test total', Date.now() - t0);
  });

  it('fits the mesh on every frame of a playing video (warm-started) and exports while frames stream', async () => {
    // a 3 s VP8 clip of the fixture photo, made with Debian's ffmpeg (as in page.test.ts)
    const video = join(mkdtempSync(join(tmpdir(), 'hands-e2e-')), 'hands.webm');
    stillClip(FIXTURE, 3, video);
    const browser = await session.launch();
    const t0 = Date.now();
    const { page, requests, errors } = await openRecordedPage(browser, `${session.origin}/?backend=wasm`);
    await waitReady(page);
    await toggle(page, 'Mesh').click();
    await page.setInputFiles('#file-input', video);
    const tracked = () => page.evaluate(() => (window.__handsLastResult?.hands ?? []).filter((h) => h.source === 'tracking' && h.mesh).length);
    await expect.poll(tracked, { timeout: 60_000 }).toBe(2);
    // registered on EVERY video frame, the re-detections when the 3 s clip loops included (a fixed
    // 4-iteration fit on video once left a re-detected hand 46 px off its keypoints, one frame a loop)
    await recordRegistration(page);
    const redetected = () =>
      page.evaluate(() => {
        const frames = window.__meshRegistration!;
        const firstTracked = frames.findIndex((f) => f.sources.includes('tracking'));
        return frames.length >= 6 && firstTracked >= 0 && frames.slice(firstTracked).some((f) => f.sources.includes('palm-detection'));
      });
    await expect.poll(redetected, { timeout: 90_000, interval: 250 }).toBe(true);
    // per-frame figures of the warm-started fit
    const samples: Array<{ meshMs: number; totalMs: number; mm: number; px: number }> = [];
    for (let i = 0; i < 8; i++) {
      await page.waitForTimeout(250);
      const r = await lastResult(page);
      if (r.hands.length === 2 && r.hands.every((h) => h.mesh))
        samples.push({ meshMs: r.timings.meshMs, totalMs: r.timings.totalMs, mm: r.hands[0].mesh!.residualMm, px: r.hands[0].mesh!.residualPx });
    }
    expect(samples.length).toBeGreaterThan(3);
    const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(
      `[e2e mesh] video (WASM, tracking): mesh stage median ${median(samples.map((s) => s.meshMs)).toFixed(1)} ms for 2 hands of total ${median(samples.map((s) => s.totalMs)).toFixed(1)} ms; first hand fit ${median(samples.map((s) => s.mm)).toFixed(1)} mm, ${median(samples.map((s) => s.px)).toFixed(1)} px (${samples.length} frames)`,
    );
    const frames = await page.evaluate(() => window.__meshRegistration!);
    const worstFrame = frames.reduce((a, b) => (b.worstPx > a.worstPx ? b : a));
    console.log(
      `[e2e mesh] video registration over ${frames.length} results (${frames.filter((f) => f.sources.includes('palm-detection')).length} with a detection): worst ${worstFrame.worstPx.toFixed(1)} px (${worstFrame.sources.join(', ')})`,
    );
    expect(frames.length).toBeGreaterThanOrEqual(6);
    expect(worstFrame.worstPx).toBeLessThan(REGISTRATION_TOLERANCE_PX);
    // 10 exports while frames keep arriving: each a complete, valid file of one consistent snapshot
    const kinds = ['Mesh (.glb)', 'Mesh (.obj)', 'Result (.json)', 'Screenshot (.png)'];
    const resultsBefore = await page.evaluate(() => window.__handsStats!.results);
    const tExports = Date.now();
    const sizes: string[] = [];
    for (let i = 0; i < 10; i++) {
      const kind = kinds[i % kinds.length];
      const file = await download(page, kind);
      sizes.push(`${file.name} ${(file.bytes.length / 1024).toFixed(0)} KB`);
      if (kind === 'Mesh (.glb)') {
        const glb = parseGlb(file.bytes);
        expect(glb.meshes).toHaveLength(2);
        for (const m of glb.meshes) expect(glb.accessors[m.primitives[0].attributes.POSITION].count).toBe(VERTICES_PER_HAND);
      } else if (kind === 'Mesh (.obj)') {
        const lines = file.bytes.toString('utf8').split('\n');
        expect(lines.filter((l) => l.startsWith('v ')).length).toBe(2 * VERTICES_PER_HAND);
        expect(lines.filter((l) => l.startsWith('f ')).length).toBeGreaterThan(2 * 2000);
        for (const l of lines.filter((l) => l.startsWith('v '))) expect(l.split(' ').slice(1).map(Number).every(Number.isFinite)).toBe(true);
      } else if (kind === 'Result (.json)') {
        const doc = JSON.parse(file.bytes.toString('utf8'));
        expect(doc.hands).toHaveLength(2);
        for (const h of doc.hands) {
          expect(h.keypoints2d).toHaveLength(21);
          expect(h.mesh.vertices).toHaveLength(3 * VERTICES_PER_HAND);
        }
      } else {
        const shot = await sharp(file.bytes).stats(); // decodes every pixel: a cut-off PNG fails here
        expect(shot.channels.length).toBeGreaterThanOrEqual(3);
      }
    }
    const streamed = (await page.evaluate(() => window.__handsStats!.results)) - resultsBefore;
    console.log(
      `[e2e mesh] 10 exports while streaming in ${((Date.now() - tExports) / 1000).toFixed(1)} s, ${streamed} frames analysed meanwhile, all parsed back: ${sizes.join(', ')}`,
    );
    expect(streamed, 'frames kept arriving during the exports').toBeGreaterThan(3);
    expect(Number(await hudValue(page, 'fps'))).toBeGreaterThan(0);
    expect(foreignRequests(requests, session.origin)).toEqual([]);
    expect(errors).toEqual([]);
    log('video mesh test total', Date.now() - t0);
  });
});
