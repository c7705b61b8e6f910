/**
 * MEASUREMENT ONLY: the keypoints of every labelled hand of a real gesture set (eval/gestures/real-set.json)
 * from both rows of `hands eval` (landmark keypoints; ours), written to a JSON file so that the
 * classifier's errors can be read feature by feature (training/gesture/real-diagnose.py). Nothing
 * here is ever used for training (the real set and evaldata-dev are measurement-only).
 *
 *   npx tsx training/gesture/real-keypoints.ts eval/gestures/real-set.json .cache/gesture-real/keypoints.json [landmark|ours]
 */
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { qualityConfig, resolveConfig, type DeepPartial, type PipelineConfig } from '../../src/core/config';
import type { HandResult } from '../../src/core/types';
import { scaleFrameResult } from '../../src/core/scaleResult';
import { decodeImageFile } from '../../src/cli/decodeImage';
import { decodeVideo, type RawVideo } from '../../src/cli/decodeVideo';
import { loadGestureSet, type GestureSample } from '../../src/cli/eval/gestureSet';
import { createNodePipeline } from '../../src/cli/nodePipeline';
import { matchHand } from '../../src/cli/evalGestures';

async function frameTensor(s: GestureSample, videos: Map<string, RawVideo>) {
  if (s.frame === undefined) return decodeImageFile(s.file);
  let v = videos.get(s.file);
  if (!v) {
    v = decodeVideo(s.file);
    videos.set(s.file, v);
  }
  return { tensor: tf.tensor3d(v.frames[s.frame], [v.height, v.width, 3], 'int32'), scale: 1, width: v.width, height: v.height };
}

const [setPath = 'eval/gestures/real-set.json', outPath = '.cache/gesture-real/keypoints.json'] = process.argv.slice(2);
const set = await loadGestureSet(setPath);
const variant = resolveConfig({}).landmarks.variant;
// as `hands eval` builds its 'ours' row (src/cli/main.ts: --quality best, the default)
const best = qualityConfig('best', variant, 'still');
const base: DeepPartial<PipelineConfig> = { heads: { ...best.heads }, ...(best.mesh ? { mesh: { ...best.mesh } } : {}) };
const only = process.argv[4];
const rows: Array<[string, DeepPartial<PipelineConfig>]> = (
  [
    ['landmark', { ...qualityConfig('fast', variant, 'still'), mesh: { enabled: false, keypoints3d: false } }],
    ['ours', base],
  ] as Array<[string, DeepPartial<PipelineConfig>]>
).filter(([n]) => !only || n === only);
const videos = new Map<string, RawVideo>();
const prev = only && existsSync(outPath) ? (JSON.parse(readFileSync(outPath, 'utf8')).hands as Array<Record<string, unknown>>) : undefined;
const hands: Array<Record<string, unknown>> = [];
for (const s of set.samples)
  for (const h of s.hands)
    if (h.label !== 'skip') hands.push({ ...(prev?.[hands.length] ?? {}), image: s.image, source: s.source, truth: h.label, point: h.point });
for (const [name, cfg] of rows) {
  const pipeline = await createNodePipeline(cfg);
  let k = 0;
  for (const s of set.samples) {
    const img = await frameTensor(s, videos);
    let found: HandResult[];
    try {
      found = scaleFrameResult(await pipeline.estimate(img.tensor, { mode: 'image' }), img.scale, img.width, img.height).hands;
    } finally {
      img.tensor.dispose();
    }
    for (const h of s.hands) {
      if (h.label === 'skip') continue;
      const m = matchHand(found, h.point);
      hands[k++][name] = m
        ? {
            handedness: m.handedness,
            k2: m.keypoints2d.map((p) => [p.x, p.y]),
            k3: m.keypoints3d.map((p) => [p.x, p.y, p.z]),
            label: m.gesture?.label ?? null,
            box: m.box,
          }
        : null;
    }
  }
  pipeline.dispose();
  console.log(name, 'done');
}
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(outPath, JSON.stringify({ set: setPath, hands }));
console.log('wrote', outPath, hands.length);
