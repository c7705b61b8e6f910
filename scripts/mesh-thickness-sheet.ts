// A before/after sheet of the fitted mesh's silhouette over the fixture photos (Apache-2.0 / MIT,
// tests/fixtures): per hand, the crop with the mesh as fitted to the keypoints (left) and with its
// thickness fitted to the heads' mask (right, src/core/handModel/thickness.ts); green = mesh on the
// heads' mask, red = mesh off it, blue = mask the mesh misses. The heads' mask is the judge here (the
// fixtures have no GT masks; HGR1 dev, which has them, may not be shown). Run:
// npx tsx scripts/mesh-thickness-sheet.ts [out.png] (default docs/mesh-thickness.png)
import sharp from 'sharp';
import { decodeImageFile } from '../src/cli/decodeImage';
import { createNodePipeline } from '../src/cli/nodePipeline';
import { REPO_ROOT } from '../src/cli/paths';
import { qualityConfig } from '../src/core/config';
import { cameraFromFov } from '../src/core/handModel/camera';
import { meshSilhouette } from '../src/core/handModel/silhouette';
import { cutMaskAtWrist } from '../src/core/metrics/masks';
import { maskToImage } from '../src/core/multitask/maskToImage';
import { rectBounds } from '../src/core/geometry/rect';

const out = process.argv[2] ?? `${REPO_ROOT}/docs/mesh-thickness.png`;
const PHOTOS = ['hands.jpg', 'gestures/mediapipe-tasks-thumbs_up.jpg', 'gestures/mediapipe-tasks-victory.jpg', 'fingerpose-nocurl.jpg'];
const TILE = 220;

const pipeline = await createNodePipeline(qualityConfig('best', 'full', 'still'));
const tiles: { input: Buffer; left: number; top: number }[] = [];
const labels: string[] = [];
let row = 0;
for (const photo of PHOTOS) {
  const file = `${REPO_ROOT}/tests/fixtures/${photo}`;
  const img = await decodeImageFile(file);
  const rgb = await sharp(file).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const runs = [];
  for (const thickness of [false, true]) {
    await pipeline.setConfig({ mesh: { thickness } });
    runs.push(await pipeline.estimate(img.tensor, { mode: 'image' }));
  }
  img.tensor.dispose();
  const [{ width, height }] = runs;
  if (rgb.info.width !== width || rgb.info.height !== height)
    throw new Error(`${photo}: decoded ${rgb.info.width}x${rgb.info.height}, analysed ${width}x${height}`);
  for (let k = 0; k < runs[0].hands.length; k++) {
    const ious: number[] = [];
    for (const [col, r] of runs.entries()) {
      const h = r.hands[k];
      const m = h.mesh!;
      const wrist: [number, number] = [h.keypoints2d[0].x, h.keypoints2d[0].y];
      const mcp: [number, number] = [h.keypoints2d[9].x, h.keypoints2d[9].y];
      const sil = cutMaskAtWrist(
        meshSilhouette(cameraFromFov(width, height, m.fovDegrees), m.vertices, pipeline.meshTriangles(m.handedness)!, width, height),
        width,
        height,
        wrist,
        mcp,
      );
      const mask = cutMaskAtWrist(
        maskToImage(h.mask!.data, h.mask!.size, h.roi, width, height).map((v) => (v >= 128 ? 1 : 0)),
        width,
        height,
        wrist,
        mcp,
      );
      const px = Buffer.from(rgb.data);
      let inter = 0;
      let union = 0;
      for (let i = 0; i < sil.length; i++) {
        inter += sil[i] & mask[i];
        union += sil[i] | mask[i];
        const o = 3 * i;
        const tint = sil[i] && mask[i] ? [40, 220, 90] : sil[i] ? [235, 50, 50] : mask[i] ? [60, 90, 255] : undefined;
        if (tint) for (let c = 0; c < 3; c++) px[o + c] = Math.round(0.45 * px[o + c] + 0.55 * tint[c]);
      }
      ious.push(inter / union);
      const b = rectBounds(h.roi);
      const left = Math.max(0, Math.floor(b.xMin));
      const top = Math.max(0, Math.floor(b.yMin));
      const w = Math.min(width, Math.ceil(b.xMax)) - left;
      const hh = Math.min(height, Math.ceil(b.yMax)) - top;
      const tile = await sharp(px, { raw: { width, height, channels: 3 } })
        .extract({ left, top, width: w, height: hh })
        .resize(TILE, TILE, { fit: 'contain', background: '#111' })
        .png()
        .toBuffer();
      tiles.push({ input: tile, left: col * TILE, top: row * TILE });
    }
    labels.push(
      `${photo} hand ${k + 1}: thickness ${(1000 * runs[1].hands[k].mesh!.thickness).toFixed(1)} mm, IoU with the heads' mask ${ious[0].toFixed(3)} -> ${ious[1].toFixed(3)}`,
    );
    row++;
  }
}
pipeline.dispose();
await sharp({ create: { width: 2 * TILE, height: row * TILE, channels: 3, background: '#111' } })
  .composite(tiles)
  .png()
  .toFile(out);
console.log(`wrote ${out}\n${labels.join('\n')}`);
