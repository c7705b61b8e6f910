import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config';
import { cropToImage, imageToCrop } from '../../src/core/geometry/cropTransform';
import { KEYPOINT_NAMES, NUM_KEYPOINTS } from '../../src/core/keypoints';
import { maskToImage } from '../../src/core/multitask/maskToImage';
import type { HandResult } from '../../src/core/types';
import {
  changedPixels,
  docScreenshot,
  dropFile,
  flipMaskX,
  foreignRequests,
  hudValue,
  lastResult,
  maskIoU,
  openRecordedPage,
  pageTestSession,
  REPO_ROOT,
  resultCount,
  type RgbImage,
  waitForResults,
  waitReady,
  stillClip,
} from './harness';

const FIXTURE = join(REPO_ROOT, 'tests/fixtures/hands.jpg');
/** The keypoint whose heat map is checked on its own. */
const PICKED = 'index_finger_tip';
/**
 * The picked keypoint's heat-map peak vs the landmark network's keypoint (image pixels; hands.jpg's
 * ROIs are ~400 px, so ~3.5 cells of the 56 x 56 map): the heads find the same fingertip. The two
 * networks differ by a few pixels (hgcnn: heat maps 9.4 px mean from the truth, README figures).
 */
const HEAT_TOLERANCE_PX = 25;
/** The brightest DRAWN heat pixel vs the map's peak, in cells of the map: the layer is registered. */
const HEAT_REGISTRATION_CELLS = 1.5;
/** Fraction of each hand's 21 keypoints that must fall on the mask (image) / on the drawn overlay (canvas). */
const MIN_KEYPOINTS_ON_MASK = 0.8;
const MAX_MASK_COVERAGE = 0.6;

const session = pageTestSession();

const log = (what: string) => console.log(`[e2e layers] ${what}`);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const controller = (page: Page, label: string) => page.locator('.lil-controller', { hasText: label });
const toggle = (page: Page, label: string) => controller(page, label).locator('input[type=checkbox]');
const button = (page: Page, label: string) => page.locator('.lil-controller.lil-function', { hasText: label }).locator('button');

async function download(page: Page, label: string): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), button(page, label).click()]);
  return { name: dl.suggestedFilename(), bytes: readFileSync((await dl.path())!) };
}

async function rgb(png: Buffer): Promise<RgbImage> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The overlay canvas with a layer shown, then hidden (then shown again): what the layer adds. */
async function layerPixels(page: Page, label: string): Promise<{ on: RgbImage; off: RgbImage; mask: Uint8Array }> {
  const canvas = page.locator('.overlay-canvas');
  const on = await rgb(await canvas.screenshot());
  await toggle(page, label).click();
  await page.waitForTimeout(150);
  const off = await rgb(await canvas.screenshot());
  await toggle(page, label).click();
  await page.waitForTimeout(150);
  return { on, off, mask: changedPixels(on, off, 12) };
}

/** Each hand's keypoints that land on 1-pixels of `mask` (w x h, holding image pixels times `scale`). */
function keypointsOn(hand: HandResult, mask: Uint8Array, w: number, h: number, scale: number): number {
  let on = 0;
  for (const k of hand.keypoints2d) {
    const x = Math.min(w - 1, Math.max(0, Math.floor(k.x * scale)));
    const y = Math.min(h - 1, Math.max(0, Math.floor(k.y * scale)));
    on += mask[y * w + x] ? 1 : 0;
  }
  return on / hand.keypoints2d.length;
}

const fraction = (m: Uint8Array) => m.reduce((a, b) => a + b, 0) / m.length;

/** Where the heat map of keypoint `k` peaks, in image pixels (the crop's argmax texel centre mapped through the ROI). */
function heatPeak(hand: HandResult, k: number): { x: number; y: number } {
  const { size, data } = hand.heatmaps!;
  let best = -1;
  let at = 0;
  for (let i = 0; i < size * size; i++) {
    if (data[i * NUM_KEYPOINTS + k] > best) {
      best = data[i * NUM_KEYPOINTS + k];
      at = i;
    }
  }
  return cropToImage({ rect: hand.roi, outWidth: size, outHeight: size }, (at % size) + 0.5, Math.floor(at / size) + 0.5);
}

/** The brightest pixel of `shot` (the heat layer alone on the dark canvas) inside the hand's ROI, in image pixels. */
function brightestHeat(hand: HandResult, shot: RgbImage, scale: number): { x: number; y: number } {
  const m = { rect: hand.roi, outWidth: 1, outHeight: 1 };
  const p = { x: 0, y: 0 };
  let best = { x: 0, y: 0, v: -1 };
  for (let y = 0; y < shot.height; y++) {
    for (let x = 0; x < shot.width; x++) {
      imageToCrop(m, (x + 0.5) / scale, (y + 0.5) / scale, p);
      if (p.x < 0 || p.y < 0 || p.x >= 1 || p.y >= 1) continue;
      const i = 3 * (y * shot.width + x);
      const v = shot.data[i] + shot.data[i + 1] + shot.data[i + 2];
      if (v > best.v) best = { x: (x + 0.5) / scale, y: (y + 0.5) / scale, v };
    }
  }
  return best;
}

/** In the page: the last result has two hands, each with the heads' mask and heat maps. */
function withDense(): boolean {
  const r = window.__handsLastResult;
  return !!r && r.hands.length === 2 && r.hands.every((h) => h.mask && h.heatmaps);
}

describe('mask and heat-map layers', () => {
  it("draws the heads' mask and heat maps on the hands, registered, mirrored, selectable, exported", async () => {
    const browser = await session.launch();
    const t0 = Date.now();
    const { page, requests, errors } = await openRecordedPage(browser, `${session.origin}/`);
    // tall enough for the screenshot to show the HUD's "heads" row
    await page.setViewportSize({ width: 1280, height: 900 });
    await waitReady(page);
    const backend = await hudValue(page, 'backend');
    expect(await hudValue(page, 'heads')).toBe('on');

    // no mask yet: a clear message, no file
    await button(page, 'Mask (.png)').click();
    await expect.poll(() => page.locator('#notice').innerText()).toContain('No hand to export yet');

    // "Best quality on photos" (on by default) runs the heads on every still, for their refined
    // keypoints; off, they run only while a layer shows them (the rest of this test)
    await dropFile(page, 'hands.jpg', 'image/jpeg', readFileSync(FIXTURE));
    await page.waitForFunction(withDense, null, { timeout: 120_000, polling: 100 });
    await toggle(page, 'Best quality on photos').click();
    await expect.poll(() => hudValue(page, 'heads')).toBe('off');
    // the still is analysed again without them
    await page.waitForFunction(() => (window.__handsLastResult?.hands ?? []).length === 2 && window.__handsLastResult!.hands.every((h) => !h.mask), null, {
      timeout: 120_000,
      polling: 100,
    });
    const plain = await lastResult(page);
    expect(
      plain.hands.every((h) => !h.mask && !h.heatmaps),
      'no heads while nobody looks',
    ).toBe(true);
    await button(page, 'Mask (.png)').click();
    await expect.poll(() => page.locator('#notice').innerText()).toContain('No hand mask yet');

    // 1. the Mask layer turns the heads on in the pipeline; the still is analysed again
    const tMask = Date.now();
    await toggle(page, 'Mask').click();
    await page.waitForFunction(withDense, null, { timeout: 120_000, polling: 100 });
    log(`Mask on to masks on both hands: ${secs(Date.now() - tMask)}`);
    expect(await page.locator('#view').getAttribute('data-layers')).toBe('keypoints skeleton boxes labels mask gestures');
    expect(await hudValue(page, 'heads')).toBe('on');
    const result = await lastResult(page);
    for (const h of result.hands) {
      expect(h.mask!.data).toBeInstanceOf(Uint8Array);
      expect(h.mask!.data.length).toBe(h.mask!.size * h.mask!.size);
      expect(h.heatmaps!.data.length).toBe(h.heatmaps!.size * h.heatmaps!.size * NUM_KEYPOINTS);
    }
    const lmOff = plain.timings.landmarksMs;
    const lmOn = result.timings.landmarksMs;
    log(
      `${backend}: landmarks stage for 2 hands ${lmOff.toFixed(1)} ms heads off, ${lmOn.toFixed(1)} ms heads on (x${(lmOn / lmOff).toFixed(2)}; one still each, noisy); total ${plain.timings.totalMs.toFixed(1)} -> ${result.timings.totalMs.toFixed(1)} ms`,
    );

    // 2. the mask export: image-size PNG; each hand's keypoints on it, the background off it
    const maskFile = await download(page, 'Mask (.png)');
    expect(maskFile.name).toBe('hands.mask.png');
    const { data: maskGrey, info } = await sharp(maskFile.bytes).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([result.width, result.height]);
    const imageMask = Uint8Array.from(maskGrey, (v) => (v >= 128 ? 1 : 0));
    const coverage = fraction(imageMask);
    const onMask = result.hands.map((h) => keypointsOn(h, imageMask, info.width, info.height, 1));
    log(
      `mask PNG ${info.width}x${info.height} (${(maskFile.bytes.length / 1024).toFixed(0)} KB): covers ${(100 * coverage).toFixed(1)} % of the image; keypoints on the mask ${onMask.map((f) => `${Math.round(f * 21)}/21`).join(', ')}`,
    );
    expect(coverage).toBeGreaterThan(0.01);
    expect(coverage).toBeLessThan(MAX_MASK_COVERAGE);
    for (const f of onMask) expect(f).toBeGreaterThanOrEqual(MIN_KEYPOINTS_ON_MASK);

    // 3. the overlay draws that mask where the hands are: what the layer adds to the canvas is the
    //    exported mask (the quads' GPU resampling = core's maskToImage), and it flips with the mirror
    for (const name of ['Keypoints', 'Skeleton', 'Boxes', 'Labels', 'Gestures']) await toggle(page, name).click();
    await expect.poll(() => page.locator('#view').getAttribute('data-layers')).toBe('mask');
    const drawn = await layerPixels(page, 'Mask');
    const { width: cw, height: ch } = drawn.on;
    const scale = cw / result.width;
    const expected = await sharp(maskFile.bytes).extractChannel(0).resize(cw, ch, { fit: 'fill', kernel: 'linear' }).raw().toBuffer();
    const expectedMask = Uint8Array.from(expected, (v) => (v >= 128 ? 1 : 0));
    const drawnIoU = maskIoU(drawn.mask, expectedMask);
    const drawnOn = result.hands.map((h) => keypointsOn(h, drawn.mask, cw, ch, scale));
    log(
      `mask layer changes ${(100 * fraction(drawn.mask)).toFixed(1)} % of the ${cw}x${ch} canvas; IoU with the exported mask ${drawnIoU.toFixed(3)}; keypoints on it ${drawnOn.map((f) => `${Math.round(f * 21)}/21`).join(', ')}`,
    );
    expect(fraction(drawn.mask)).toBeLessThan(MAX_MASK_COVERAGE);
    expect(drawnIoU).toBeGreaterThan(0.8);
    for (const f of drawnOn) expect(f).toBeGreaterThanOrEqual(MIN_KEYPOINTS_ON_MASK);
    await page.locator('.lil-controller', { hasText: 'Selfie mirror' }).locator('input[type=checkbox]').click();
    await expect.poll(() => page.locator('#view').getAttribute('data-mirrored')).toBe('true');
    const mirrored = await layerPixels(page, 'Mask');
    const flippedIoU = maskIoU(mirrored.mask, flipMaskX(drawn.mask, cw));
    const sameIoU = maskIoU(mirrored.mask, drawn.mask);
    log(`mirrored mask vs flipped: IoU ${flippedIoU.toFixed(3)}, vs unflipped ${sameIoU.toFixed(3)}`);
    // (the two hands of the fixture sit almost mirror-symmetric: the unflipped overlap is large too)
    expect(flippedIoU).toBeGreaterThan(0.95);
    expect(flippedIoU - sameIoU).toBeGreaterThan(0.25);
    await page.locator('.lil-controller', { hasText: 'Selfie mirror' }).locator('input[type=checkbox]').click();
    await expect.poll(() => page.locator('#view').getAttribute('data-mirrored')).toBe('false');

    // 4. heat maps: "all" lights every keypoint; one keypoint peaks on that keypoint. The Mask stays
    //    on (the heads keep running while Heat maps is toggled to see what it adds); showing another
    //    keypoint changes no pipeline setting either: no new analysis
    const analysed = await resultCount(page);
    await toggle(page, 'Heat maps').click();
    await expect.poll(() => page.locator('#view').getAttribute('data-layers')).toBe('mask heatmaps');
    const all = await layerPixels(page, 'Heat maps');
    const allOn = result.hands.map((h) => keypointsOn(h, all.mask, cw, ch, scale));
    log(
      `heat maps "all": change ${(100 * fraction(all.mask)).toFixed(1)} % of the canvas; keypoints lit ${allOn.map((f) => `${Math.round(f * 21)}/21`).join(', ')}`,
    );
    for (const f of allOn) expect(f).toBeGreaterThanOrEqual(MIN_KEYPOINTS_ON_MASK);
    const k = KEYPOINT_NAMES.indexOf(PICKED);
    await controller(page, 'Heat map of').locator('select').selectOption(PICKED);
    await expect.poll(() => page.locator('#view').getAttribute('data-heatmap-keypoint')).toBe(PICKED);
    const one = await layerPixels(page, 'Heat maps');
    log(`heat map of ${PICKED}: changes ${(100 * fraction(one.mask)).toFixed(1)} % of the canvas`);
    expect(fraction(one.mask)).toBeLessThan(fraction(all.mask) / 3);
    // the heat layer alone (mask hidden: the heads keep running for the heat maps; picture hidden)
    await toggle(page, 'Mask').click();
    await expect.poll(() => page.locator('#view').getAttribute('data-layers')).toBe('heatmaps');
    await page.evaluate(() => window.__handsSetPictureVisible!(false));
    const heatAlone = await rgb(await page.locator('.overlay-canvas').screenshot());
    await page.evaluate(() => window.__handsSetPictureVisible!(true));
    for (const h of result.hands) {
      const kp = h.keypoints2d[k];
      const peak = heatPeak(h, k);
      const seen = brightestHeat(h, heatAlone, scale);
      const dPeak = Math.hypot(peak.x - kp.x, peak.y - kp.y);
      const dSeen = Math.hypot(seen.x - peak.x, seen.y - peak.y);
      const cell = h.roi.width / h.heatmaps!.size;
      log(
        `${h.handedness} hand's ${PICKED} at (${kp.x.toFixed(0)}, ${kp.y.toFixed(0)}): its heat map peaks ${dPeak.toFixed(1)} px away; the brightest drawn heat pixel is ${dSeen.toFixed(1)} px (${(dSeen / cell).toFixed(2)} cells) from that peak`,
      );
      expect(dPeak).toBeLessThan(HEAT_TOLERANCE_PX);
      expect(dSeen / cell).toBeLessThan(HEAT_REGISTRATION_CELLS);
    }
    await toggle(page, 'Mask').click();
    expect(await resultCount(page), 'no analysis for a heat-map layer or keypoint switch while the mask is on').toBe(analysed);

    // 5. what one frame of these layers costs on this page (2 hands)
    const cost = await page.evaluate(() => window.__handsDenseLayerCost!(30));
    expect(cost).not.toBeNull();
    const c = cost!;
    log(
      `per frame, ${c.hands} hands (${backend}): CPU mask update ${c.maskUpdateMs.toFixed(3)} ms, heat-map update (22-layer array textures) ${c.heatmapsUpdateMs.toFixed(3)} ms [CPU one-channel alternative ${c.cpuSelectMs.toFixed(3)} ms]; ` +
        `draw (GPU finished): layers off ${c.renderOffMs.toFixed(2)} ms, Mask ${c.renderMaskMs.toFixed(2)}, Heat maps ${c.renderHeatmapsMs.toFixed(2)}, both ${c.renderOnMs.toFixed(2)}, both + new data (texture uploads) ${c.renderOnUploadMs.toFixed(2)} ms`,
    );

    // the picture as a person sees it: mask + heat maps of all keypoints + the skeleton
    await controller(page, 'Heat map of').locator('select').selectOption('all');
    for (const name of ['Keypoints', 'Skeleton', 'Labels']) await toggle(page, name).click();
    await expect.poll(() => page.locator('#view').getAttribute('data-layers')).toBe('keypoints skeleton labels mask heatmaps');
    await page.waitForTimeout(300);
    await docScreenshot(page, 'screenshot-layers.png');

    // 6. the JSON export says which hands carry a mask and heat maps, without the arrays
    const json = JSON.parse((await download(page, 'Result (.json)')).bytes.toString('utf8'));
    expect(json.heads).toBe(true);
    for (const h of json.hands) {
      expect(h.mask).toEqual({ size: DEFAULT_CONFIG.heads.maskSize, areaPx: expect.any(Number) });
      expect(h.mask.areaPx).toBeGreaterThan(500);
      expect(h.heatmaps).toEqual({ size: 56, keypoints: 21 });
    }

    // 7. the lite landmark model cannot feed the heads: both layers go off and are disabled, saying why
    const before = await resultCount(page);
    await controller(page, 'Landmark model').locator('select').selectOption('lite');
    await expect.poll(() => page.locator('#notice').innerText()).toContain('need the full landmark model');
    await waitForResults(page, before);
    expect((await lastResult(page)).hands.every((h) => !h.mask && !h.heatmaps)).toBe(true);
    expect(await page.locator('#view').getAttribute('data-layers')).toBe('keypoints skeleton labels');
    for (const name of ['Mask', 'Heat maps']) {
      await expect.poll(() => controller(page, name).first().getAttribute('class')).toContain('lil-disabled');
      expect(await toggle(page, name).isChecked()).toBe(false);
    }
    expect(await controller(page, 'Mask').first().getAttribute('title')).toContain('full landmark model');
    expect(await page.locator('.panel-note').isVisible()).toBe(true);
    expect(await hudValue(page, 'heads')).toBe('off (lite model)');
    await controller(page, 'Landmark model').locator('select').selectOption('full');
    await expect.poll(() => controller(page, 'Mask').first().getAttribute('class')).not.toContain('lil-disabled');
    expect(await page.locator('.panel-note').isVisible()).toBe(false);

    expect(foreignRequests(requests, session.origin)).toEqual([]);
    expect(errors).toEqual([]);
    log(`test total ${secs(Date.now() - t0)}`);
  });

  it('streams the heads on a playing video: a mask per hand per frame (buffers transferred), heads off again with the layers', async () => {
    // a 3 s VP8 clip of the fixture photo (Debian's ffmpeg), as in mesh.test.ts
    const video = join(mkdtempSync(join(tmpdir(), 'hands-e2e-')), 'hands.webm');
    stillClip(FIXTURE, 3, video);
    const browser = await session.launch();
    const t0 = Date.now();
    const { page, requests, errors } = await openRecordedPage(browser, `${session.origin}/`);
    await waitReady(page);
    const backend = await hudValue(page, 'backend');
    await toggle(page, 'Mask').click();
    await page.setInputFiles('#file-input', video);
    const tracked = (withMask: boolean) => () =>
      page.evaluate((m) => (window.__handsLastResult?.hands ?? []).filter((h) => h.source === 'tracking' && !!h.mask === m).length, withMask);
    await expect.poll(tracked(true), { timeout: 60_000 }).toBe(2);
    const sample = async (dense: boolean) => {
      const ms: number[] = [];
      for (let i = 0; i < 8; i++) {
        await page.waitForTimeout(200);
        const r = await lastResult(page);
        if (r.hands.length !== 2 || !r.hands.every((h) => !!h.mask === dense && !!h.heatmaps === dense)) continue;
        ms.push(r.timings.landmarksMs);
        if (dense) {
          // every frame's mask sits on its hand (core's maskToImage on the page's data)
          const img = new Uint8Array(r.width * r.height);
          for (const h of r.hands) maskToImage(h.mask!.data, h.mask!.size, h.roi, r.width, r.height, img);
          const on = Uint8Array.from(img, (v) => (v >= 128 ? 1 : 0));
          for (const h of r.hands) expect(keypointsOn(h, on, r.width, r.height, 1)).toBeGreaterThanOrEqual(MIN_KEYPOINTS_ON_MASK);
        }
      }
      return ms.sort((a, b) => a - b);
    };
    const withHeads = await sample(true);
    expect(withHeads.length).toBeGreaterThan(3);
    // both heads layers off: the pipeline stops running them
    await toggle(page, 'Mask').click();
    await expect.poll(tracked(false), { timeout: 30_000 }).toBe(2);
    expect(await hudValue(page, 'heads')).toBe('off');
    const without = await sample(false);
    expect(without.length).toBeGreaterThan(3);
    const med = (xs: number[]) => xs[Math.floor(xs.length / 2)];
    log(
      `video (${backend}, tracking, 2 hands): landmarks stage median ${med(withHeads).toFixed(1)} ms with the heads (${withHeads.length} frames), ${med(without).toFixed(1)} ms without (${without.length} frames): heads x${(med(withHeads) / med(without)).toFixed(2)}`,
    );
    expect(foreignRequests(requests, session.origin)).toEqual([]);
    expect(errors).toEqual([]);
    log(`video test total ${secs(Date.now() - t0)}`);
  });
});
