/**
 * The heads' hand mask on synthetic validation crops, per scene type (issue 14: where do masks fail?):
 * each crop of `handsynth export-crops --masks` goes through HandPipeline.landmarksOnly with the
 * heads (the full crop as the ROI, as net-keypoints.ts does), and its mask (0.5 threshold) is
 * scored against the render's exact label (the target hand only, cut at the wrist). A crop of the
 * default mix counts in every type the engine drew into it ("plain": none of them); a crop of a
 * forced hard scene (export-crops --scene, render.SCENES) counts in that scene's row. Synthetic only.
 * A second table splits the crops by the landmark network's own keypoint error on the same crop:
 * is a bad mask the heads' fault, or does the encoder they share with that network fail there too?
 *
 *   (cd training && /usr/bin/python3 -m handsynth export-crops --out ../.cache/scene-masks --seed 2 --count 2000 --masks)
 *   (cd training && for s in face egocentric many_hands low_light; do /usr/bin/python3 -m handsynth export-crops --out ../.cache/scene-masks-$s --seed 2 --count 300 --masks --scene $s; done)
 *   npx tsx scripts/measure-scene-masks.ts .cache/scene-masks .cache/scene-masks-{face,egocentric,many_hands,low_light} [--json out.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createNodePipeline } from '../src/cli/nodePipeline';
import { jointErrors2d } from '../src/core/metrics/keypoints2d';
import { type MaskCounts, maskCounts, maskIoU, summariseMasks } from '../src/core/metrics/masks';

interface Scene {
  secondHand: boolean;
  objects: string[];
  sleeve: boolean;
  background: string;
  motionBlur: boolean;
  blur: number;
  hidden: number;
  /** A forced hard scene (render.SCENES), or null for the default mix. */
  forced?: string | null;
}
interface Label {
  /** The target hand's 21 keypoints, crop px. */
  kp2d: Array<[number, number]>;
  frameEdge: boolean;
  maskArea: number;
  scene?: Scene;
}

const args = process.argv.slice(2);
const j = args.indexOf('--json');
const jsonOut = j >= 0 ? args[j + 1] : undefined;
const dirs = args.filter((_, i) => j < 0 || (i !== j && i !== j + 1));
if (dirs.length === 0) throw new Error('usage: measure-scene-masks.ts EXPORT_DIR... [--json OUT]');

/** The scene types a crop belongs to (from the engine's own record of what it drew). */
const TYPES: Record<string, (l: Label, s: Scene) => boolean> = {
  'second hand (two hands overlapping)': (_, s) => s.secondHand,
  'held / occluding objects': (_, s) => s.objects.length > 0,
  'hidden > 25 % (by objects or the other hand)': (_, s) => s.hidden > 0.25,
  'skin-coloured background (skin wall or skin blobs)': (_, s) => s.background.startsWith('skin_wall') || s.background.endsWith('+skin'),
  'dark background': (_, s) => s.background.startsWith('dark'),
  sleeve: (_, s) => s.sleeve,
  'at the frame edge (entering the picture)': (l) => l.frameEdge,
  'motion blur': (_, s) => s.motionBlur,
  'strong optics blur (sigma > 0.9)': (_, s) => s.blur > 0.9,
};
const PLAIN = 'plain (none of the above)';
/** Buckets of the landmark network's mean keypoint error on the crop (px of the 224 px crop). */
const KP_ERROR_BUCKETS: ReadonlyArray<[string, number]> = [
  ['< 10 px', 10],
  ['10-20 px', 20],
  ['20-40 px', 40],
  ['>= 40 px', Number.POSITIVE_INFINITY],
];

const pipeline = await createNodePipeline({ heads: { enabled: true } });
/** Each crop's pixel counts, per row (summariseMasks pools them for precision and recall). */
const perType = new Map<string, MaskCounts[]>([...Object.keys(TYPES), PLAIN].map((t) => [t, []]));
const all: MaskCounts[] = [];
/** By keypoint error bucket: the default mix's crops and the forced hard scenes' crops. */
const byKpError = new Map<string, MaskCounts[]>(KP_ERROR_BUCKETS.flatMap(([b]) => [`default mix, ${b}`, `forced scenes, ${b}`].map((k) => [k, []])));
let seed = 0;
const t0 = performance.now();
let done = 0;
for (const dir of dirs) {
  const meta = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as { size: number; seed: number; samples: Label[] };
  if (!meta.samples[0]?.scene) throw new Error(`${dir}: exported without --masks`);
  seed = meta.seed;
  const crops = readFileSync(join(dir, 'crops.u8'));
  const masks = readFileSync(join(dir, 'masks.u8'));
  const C = meta.size;
  const roi = { cx: C / 2, cy: C / 2, width: C, height: C, rotation: 0 };
  for (let i = 0; i < meta.samples.length; i++) {
    const label = meta.samples[i];
    const img = tf.tensor3d(new Uint8Array(crops.buffer, crops.byteOffset + i * C * C * 3, C * C * 3), [C, C, 3], 'int32');
    const r = await pipeline.landmarksOnly(img, roi, { heads: true });
    img.dispose();
    if (!r.mask) throw new Error('the heads did not run');
    if (r.mask.size !== C) throw new Error(`mask ${r.mask.size} px, crop ${C} px: set heads.maskSize to the crop size`);
    const gt = new Uint8Array(masks.buffer, masks.byteOffset + i * C * C, C * C);
    const c = maskCounts(
      Uint8Array.from(r.mask.data, (v) => (v >= 128 ? 1 : 0)),
      Uint8Array.from(gt, (v) => (v >= 128 ? 1 : 0)),
    );
    const forced = label.scene!.forced;
    const kpError =
      jointErrors2d(
        r.keypoints2d.map((k) => [k.x, k.y] as const),
        label.kp2d,
      ).reduce((a, b) => a + b, 0) / label.kp2d.length;
    const bucket = KP_ERROR_BUCKETS.find(([, below]) => kpError < below)![0];
    byKpError.get(`${forced ? 'forced scenes' : 'default mix'}, ${bucket}`)!.push(c);
    if (forced) {
      const row = `forced: ${forced}`;
      if (!perType.has(row)) perType.set(row, []);
      perType.get(row)!.push(c);
    } else {
      all.push(c);
      let any = false;
      for (const [name, test] of Object.entries(TYPES))
        if (test(label, label.scene!)) {
          perType.get(name)!.push(c);
          any = true;
        }
      if (!any) perType.get(PLAIN)!.push(c);
    }
    if (++done % 250 === 0) process.stderr.write(`${done} crops, ${((performance.now() - t0) / done).toFixed(0)} ms each\n`);
  }
}
pipeline.dispose();

const row = (name: string, v: MaskCounts[]) => {
  const m = summariseMasks(v);
  // precision < recall: the mask spills onto other things (other hands, a face); recall < precision: parts of the hand are missed
  return { name, crops: v.length, meanIoU: m.meanIoU, below07: v.filter((c) => maskIoU(c) < 0.7).length / v.length, precision: m.precision, recall: m.recall };
};
const rows = [...perType].filter(([, v]) => v.length).map(([name, v]) => row(name, v));
if (all.length) rows.push(row('all of the default mix', all));
console.log(`heads' mask vs the render's label on synthetic crops (handsynth seed ${seed}), per scene type:`);
console.log('| scene type | crops | mean IoU | IoU < 0.7 | precision | recall |\n| --- | --- | --- | --- | --- | --- |');
for (const r of rows)
  console.log(`| ${r.name} | ${r.crops} | ${r.meanIoU.toFixed(3)} | ${(100 * r.below07).toFixed(1)} % | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)} |`);
const kpRows = [...byKpError].filter(([, v]) => v.length).map(([name, v]) => row(name, v));
console.log("\nthe same crops by the landmark network's own mean keypoint error on the crop:");
console.log('| crops, keypoint error | crops | mean IoU | IoU < 0.7 | precision | recall |\n| --- | --- | --- | --- | --- | --- |');
for (const r of kpRows)
  console.log(`| ${r.name} | ${r.crops} | ${r.meanIoU.toFixed(3)} | ${(100 * r.below07).toFixed(1)} % | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)} |`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ seed, rows, byKeypointError: kpRows }, null, 1));
