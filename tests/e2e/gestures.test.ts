import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { gestureDisplayName } from '../../src/core/gesture/names';
import type { GestureEvent } from '../../src/core/gesture/types';
import { docScreenshot, foreignRequests, lastResult, openRecordedPage, pageTestSession, REPO_ROOT, waitForHands, waitReady } from './harness';

/** A thumbs-up photo (Apache-2.0, tests/fixtures/gestures/README.md): one hand, labelled Thumb_Up by eye. */
const THUMBS_UP = join(REPO_ROOT, 'tests/fixtures/gestures/mediapipe-samples-thumbs-up.jpg');
/** The fixture video: MediaPipe's reference keypoints bring thumb and index tips together several times (pinches). */
const ASL_VIDEO = join(REPO_ROOT, 'tests/fixtures/asl_hand.25fps.mp4');
/** A stroke point counts as drawn where a lit canvas pixel lies within this many pixels (line width 5). */
const DRAWN_RADIUS = 3;

const session = pageTestSession();
const log = (what: string) => console.log(`[e2e gestures] ${what}`);
const toggle = (page: Page, label: string) => page.locator('.lil-controller', { hasText: label }).locator('input[type=checkbox]');

/** Fraction of stroke points (image pixels) with a lit pixel near where they should be drawn on the canvas screenshot. */
async function drawnFraction(png: Buffer, points: ReadonlyArray<readonly [number, number]>, imageWidth: number, mirrored: boolean): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const scale = info.width / imageWidth;
  const lit = (x: number, y: number) =>
    x >= 0 &&
    y >= 0 &&
    x < info.width &&
    y < info.height &&
    data[3 * (y * info.width + x)] + data[3 * (y * info.width + x) + 1] + data[3 * (y * info.width + x) + 2] > 150;
  let hits = 0;
  for (const [px, py] of points) {
    const cx = Math.round((mirrored ? imageWidth - px : px) * scale);
    const cy = Math.round(py * scale);
    let hit = false;
    for (let dy = -DRAWN_RADIUS; dy <= DRAWN_RADIUS && !hit; dy++) for (let dx = -DRAWN_RADIUS; dx <= DRAWN_RADIUS && !hit; dx++) hit = lit(cx + dx, cy + dy);
    hits += hit ? 1 : 0;
  }
  return points.length ? hits / points.length : 0;
}

describe('gestures layer and air drawing', () => {
  it('labels each hand with its gesture and pinch gauge; pinching on video draws strokes that follow the selfie mirror', async () => {
    const browser = await session.launch();
    const { page, requests, errors } = await openRecordedPage(browser, `${session.origin}/`);
    await waitReady(page);

    // 1. a still: the label under the hand is the pipeline's gesture for it
    await page.setInputFiles('#file-input', THUMBS_UP);
    await waitForHands(page, 1);
    const still = await lastResult(page);
    const g = still.hands[0].gesture!;
    expect(g.label).toBe('Thumb_Up');
    const label = page.locator('.gesture-label').filter({ visible: true });
    await expect.poll(() => label.count()).toBe(1);
    expect(await label.getAttribute('data-gesture')).toBe(g.label);
    expect(await label.innerText()).toContain(gestureDisplayName(g.label));
    expect(Number(await label.getAttribute('data-pinch'))).toBe(Math.round(g.pinch.strength * 100));
    log(
      `still: ${g.label} ${g.score.toFixed(2)}, pinch ${g.pinch.strength.toFixed(2)}; fingers ${Object.entries(g.fingers)
        .map(([f, p]) => `${f} ${p.state}`)
        .join(', ')}`,
    );
    await docScreenshot(page, 'screenshot-gestures.png');
    // the layer toggles like the others
    await toggle(page, 'Gestures').click();
    await expect.poll(() => label.count()).toBe(0);
    await toggle(page, 'Gestures').click();
    await expect.poll(() => label.count()).toBe(1);

    // 2. air drawing on the fixture video (VP8: Debian's chromium plays no H.264)
    const video = join(mkdtempSync(join(tmpdir(), 'hands-e2e-')), 'asl.webm');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', ASL_VIDEO, '-c:v', 'libvpx', '-b:v', '1M', '-deadline', 'realtime', '-pix_fmt', 'yuv420p', video]);
    await toggle(page, 'Air drawing').click();
    await page.evaluate(() => {
      const seen: GestureEvent[] = [];
      (window as unknown as { __events: GestureEvent[] }).__events = seen;
      const watch = () => {
        for (const e of window.__handsLastResult?.gestureEvents ?? []) if (!seen.includes(e)) seen.push(e);
        requestAnimationFrame(watch);
      };
      watch();
    });
    await page.setInputFiles('#file-input', video);
    const points = () => page.evaluate(() => (window.__handsStrokes?.() ?? []).reduce((a, s) => a + s.points.length, 0));
    await expect.poll(points, { timeout: 150_000, interval: 500 }).toBeGreaterThan(30);
    const events = await page.evaluate(() => (window as unknown as { __events: GestureEvent[] }).__events.map((e) => e.type));
    log(`video: ${await points()} stroke points; events seen: ${[...new Set(events)].join(', ')}`);
    expect(events).toContain('pinch-down');
    await docScreenshot(page, 'screenshot-air-drawing.png');

    // 3. the strokes alone on the dark canvas (picture hidden, hand layers off), mirror off then on:
    //    drawn where their image pixels are, flipped with the view
    await page.evaluate(() => window.__handsSetPictureVisible?.(false));
    for (const name of ['Keypoints', 'Skeleton', 'Boxes']) await toggle(page, name).click();
    const canvas = page.locator('.overlay-canvas');
    const width = (await lastResult(page)).width;
    const shot = async (mirrored: boolean) => {
      const strokes = await page.evaluate(() => (window.__handsStrokes?.() ?? []).flatMap((s) => s.points.map((p) => [p[0], p[1]] as [number, number])));
      const png = await canvas.screenshot();
      return drawnFraction(png, strokes, width, mirrored);
    };
    const plain = await shot(false);
    await toggle(page, 'Selfie mirror').click();
    await expect.poll(() => page.locator('#view').getAttribute('data-mirrored')).toBe('true');
    await page.waitForTimeout(200);
    const mirrored = await shot(true);
    log(
      `stroke points drawn where expected: ${(100 * plain).toFixed(0)} % (mirror off), ${(100 * mirrored).toFixed(0)} % at their mirrored places (mirror on)`,
    );
    expect(plain).toBeGreaterThan(0.8);
    expect(mirrored).toBeGreaterThan(0.8);

    // 4. turning air drawing off clears the picture
    await toggle(page, 'Air drawing').click();
    await expect.poll(points).toBe(0);

    expect(foreignRequests(requests, session.origin)).toEqual([]);
    expect(errors).toEqual([]);
    await browser.close();
  });
});
