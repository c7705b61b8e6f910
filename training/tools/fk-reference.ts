/**
 * The TypeScript side of the FK/LBS parity test: evaluates src/core/handModel/reference.ts (the
 * plain-TS forward kinematics + skinning the app's model is tested against) on fixed parameter
 * sets, and the live pipeline's crop geometry (roiFromLandmarks, imageToCrop) on fixed keypoint
 * sets, and writes inputs and results as JSON; `python3 -m handsynth.parity FILE` recomputes them
 * with training/handsynth/model.py and compares.
 *
 *   npx tsx training/tools/fk-reference.ts OUT.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { imageToCrop } from '../../src/core/geometry/cropTransform';
import { roiFromLandmarks } from '../../src/core/geometry/handRoi';
import { mirrorHandModel, parseHandModel } from '../../src/core/handModel/asset';
import type { HandParams } from '../../src/core/handModel/params';
import { referenceForward, referenceVertices } from '../../src/core/handModel/reference';

const out = process.argv[2];
if (!out) {
  console.error('usage: npx tsx training/tools/fk-reference.ts OUT.json');
  process.exit(2);
}
const root = new URL('../../', import.meta.url).pathname;
const right = parseHandModel(JSON.parse(readFileSync(`${root}models/hand-model.json`, 'utf8')));
const left = mirrorHandModel(right);

// a small deterministic generator (no Math.random: the file is the same every run)
let state = 12345;
const rand = () => {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return state / 2 ** 32;
};
const between = (a: number, b: number) => a + (b - a) * rand();

const sets: HandParams[] = [];
for (const handedness of ['right', 'left'] as const) {
  const m = handedness === 'right' ? right : left;
  // rest pose at the origin
  sets.push({ handedness, globalRotation: [0, 0, 0], translation: [0, 0, 0], pose: m.dofs.map(() => 0), boneScales: m.shape.map(() => 1), globalScale: 1 });
  for (let k = 0; k < 4; k++) {
    sets.push({
      handedness,
      globalRotation: [between(-2, 2), between(-2, 2), between(-2, 2)],
      translation: [between(-0.2, 0.2), between(-0.2, 0.2), between(0.2, 1.0)],
      // k = 3 goes past the limits on purpose: both sides clamp
      pose: m.dofs.map((d) => (k === 3 ? between(d.min - 0.5, d.max + 0.5) : between(d.min, d.max))),
      boneScales: m.shape.map(() => between(0.8, 1.25)),
      globalScale: between(0.7, 1.3),
    });
  }
}

const cases = sets.map((p) => {
  const m = p.handedness === 'right' ? right : left;
  const r = referenceForward(m, p);
  return { params: p, joints: r.joints.flat(), keypoints: r.keypoints.flat(), vertices: Array.from(referenceVertices(m, p, r)) };
});

// --- crop geometry: MediaPipe's landmarks -> ROI rule and the crop mapping ---
const roiCases = Array.from({ length: 12 }, () => {
  const cx = between(100, 1100);
  const cy = between(100, 600);
  const s = between(30, 300);
  const a = between(-Math.PI, Math.PI);
  const kp = Array.from({ length: 21 }, () => ({ x: cx + s * (rand() - 0.5) * Math.cos(a), y: cy + s * (rand() - 0.5) + s * 0.3 * Math.sin(a) }));
  const roi = roiFromLandmarks(kp);
  const pts = kp.map((p) => imageToCrop({ rect: roi, outWidth: 224, outHeight: 224 }, p.x, p.y));
  return { keypoints: kp.map((p) => [p.x, p.y]), roi, crop: pts.map((p) => [p.x, p.y]) };
});
writeFileSync(out, JSON.stringify({ generator: 'training/tools/fk-reference.ts', cases, roiCases }));
console.log(`wrote ${cases.length} FK cases and ${roiCases.length} ROI cases to ${out}`);
