import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { HandsError } from '../core/errors';
import { DEFAULT_CONFIG, qualityConfig, type DeepPartial, type PipelineConfig } from '../core/config';
import type { BackendName } from '../core/types';
import { analyze } from './analyze';
import { writeJsonFile } from './atomicWrite';
import { bench, DEFAULT_BENCH_IMAGE, DEFAULT_BENCH_VIDEO, formatBench } from './bench';
import { evaluate } from './evaluate';
import { formatEval } from './eval/format';
import type { MaskPolarity } from './eval/masks';
import { DATASET_FORMATS, type DatasetFormat } from './eval/types';
import { EXIT, exitCodeFor } from './exitCodes';

const HELP = `hands: find hands in images and videos with the same pipeline the web page runs (TF.js, WASM, local files only).

Usage:
  hands analyze <image|video...> [--json out.json|-] [--overlay out.png|out.mp4|dir] [--max-hands N] [--model full|lite]
                [--mesh out.glb|out.obj] [--params out.json] [--fov DEG] [--mask out.png] [--heatmaps out.png]
  hands bench [--frames N] [--warmup N] [--json out.json] [--model full|lite] [--image F] [--video F] [--browser webgl|wasm|webgpu] [--mesh]
  hands eval --dataset PATH [--format auto|hgcnn|coco|freihand|interhand|masks|gestures] [--limit N] [--out DIR]
             [--dump-predictions FILE] [--images DIR] [--mask-polarity auto|dark|light] [--model full|lite] [--mesh]
             [--no-mediapipe-web]

Options:
  --json PATH      write results (keypoints in image pixels, 3D keypoints in metres) as JSON; - = stdout.
                   Videos (MP4, WebM, MOV, MKV, AVI; decoded by ffmpeg) are analysed frame by frame
                   as the page does a playing video (tracking, smoothing, gesture events): "videos"
                   in the JSON, one entry per frame with its timestampMs, hands and gestureEvents
  --overlay PATH   draw the hands on the photo: a .png path for one image, an .mp4/.webm/.mkv/.mov
                   path for one video, or a folder for several (<name>.overlay.png|mp4)
  --mesh PATH      fit the hand mesh and write it: .glb (binary glTF, with the source camera) or .obj;
                   several hands or images: PATH-stem[.image].hand<id>-<left|right>.glb|obj; metres,
                   y up, camera at the origin looking down -z. bench: measure the mesh stage too;
                   eval: also score the fitted mesh's own keypoints (a 'mesh' row)
  --mesh-start S   where the mesh fit starts: best (default; analytic, previous frame or regressed,
                   whichever fits the 3D keypoints best) or regressor (the heads' mesh regressor; turns the heads on)
  --mesh-iterations N  most Levenberg-Marquardt iterations of the mesh fit (default 16, fewer once converged; 1 = the start only)
  --mesh-mask-weight W  weight of the fit's silhouette term on the heads' mask (default 0 = off; turns the heads on)
  --mesh-mask-coverage W  its coverage half (mask cells far from the mesh), relative (default 1; 0 = one-sided)
  --mesh-thickness on|off  fit the skin's thickness to the heads' mask (default on where the heads run)
  --params PATH    fit the hand mesh and write its parameters (pose, shape, camera, residuals) as JSON
  --mask PATH      write the hand mask (multi-task heads) as a grey PNG (.png, or a folder for several images)
  --mask-refine S  the hand mask's image-guided refinement (guided filter on the crop's pixels):
                   off (the heads' 56 x 56 grid) or any of size=N,coef=N,radius=N,eps=X
                   (defaults size=224,coef=56,radius=2,eps=0.001)
  --heatmaps PATH  write the keypoint heat maps (multi-task heads) over the photo as a PNG (.png or folder)
  --fov DEG        horizontal field of view of the camera for the mesh's depth (default 60)
  --max-hands N    most hands per image (default 2)
  --model NAME     landmark model: full (default) or lite
  --quality Q      best (default): the multi-task heads refine the 2D keypoints where they agree with
                   the landmark network (needs --model full); fast: MediaPipe's own path, no heads
  --palm-model NAME  palm detector: full (default; MediaPipe's 2021 model, 192 px, as @mediapipe/hands
                   runs it) or v1 (the older 256 px model)
  --keypoints SRC  2D keypoints from: fused (default while the heads run: heat maps and landmark
                   network averaged where they agree), regression (the landmark network alone),
                   heatmaps (the heads alone; experimental: worse than regression on real photos);
                   any of them turns the heads on
  --keypoints-3d SRC  3D keypoints from: regression (default) or pof (the heads' 3D encoding)
  --quiet          no per-image lines or video progress on stderr
  --frames N       bench: frames measured per scenario after warm-up (default 100)
  --warmup N       bench: warm-up frames (default 10)
  --image/--video  bench: inputs (default: the repository's fixtures)
  --browser NAME   bench: run in headless Debian chromium with this TF.js backend instead of Node WASM
  --dataset PATH   eval: annotated data set (folder or annotation file); --format auto detects it;
                   a gesture set (eval/gestures/real-set.json) scores each hand's gesture label, with
                   the landmark network's keypoints and ours as two rows (confusion matrices to --out)
  --limit N        eval: only the first N images
  --out DIR        eval: write report.json, PCK / error plots and worst-case contact sheets (PNG)
  --dump-predictions FILE  eval: per-image predictions of every method as JSON
  --images DIR     eval: where the images are, when not beside the annotations (gesture sets: the
                   measurement-only data folder, default ../shared/evaldata-dev)
  --mask-polarity  eval (masks): which mask pixels are hand; auto = dark for BMP (HGR1), light otherwise
  --no-mediapipe-web  eval: skip the MediaPipe Hands web row (the real @mediapipe/hands solution in
                   headless chromium, on by default; its predictions are cached in .cache/mediapipe-web/)
  -h, --help       this text

Exit codes: 0 ok, 2 usage, 3 an input could not be read (missing, empty, corrupt, unsupported, too large),
4 model file missing or corrupt, 5 no TF.js backend, 6 could not write an output, 70 internal error.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...argRest] = argv;
  // bench/eval --mesh is a flag, analyze --mesh a path: take the flag out before parsing
  const benchMesh = (command === 'bench' || command === 'eval') && argRest.includes('--mesh');
  const rest = benchMesh ? argRest.filter((a) => a !== '--mesh') : argRest;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(`${HELP}\n`);
    return command ? EXIT.ok : EXIT.usage;
  }
  if (command !== 'analyze' && command !== 'bench' && command !== 'eval') {
    process.stderr.write(`hands: unknown command "${command}"\n\n${HELP}\n`);
    return EXIT.usage;
  }
  let args: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  const options = {
    json: { type: 'string' },
    overlay: { type: 'string' },
    mesh: { type: 'string' },
    params: { type: 'string' },
    mask: { type: 'string' },
    heatmaps: { type: 'string' },
    fov: { type: 'string' },
    'max-hands': { type: 'string' },
    keypoints: { type: 'string' },
    'keypoints-3d': { type: 'string' },
    'mesh-start': { type: 'string' },
    'mesh-iterations': { type: 'string' },
    'mesh-mask-weight': { type: 'string' },
    'mesh-thickness': { type: 'string' },
    'mask-refine': { type: 'string' },
    'mesh-mask-coverage': { type: 'string' },
    model: { type: 'string' },
    'palm-model': { type: 'string' },
    quality: { type: 'string' },
    quiet: { type: 'boolean' },
    frames: { type: 'string' },
    warmup: { type: 'string' },
    image: { type: 'string' },
    video: { type: 'string' },
    browser: { type: 'string' },
    dataset: { type: 'string' },
    format: { type: 'string' },
    limit: { type: 'string' },
    out: { type: 'string' },
    'dump-predictions': { type: 'string' },
    images: { type: 'string' },
    'mask-polarity': { type: 'string' },
    'no-mediapipe-web': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  try {
    args = parseArgs({ args: rest, options, allowPositionals: true });
  } catch (err) {
    process.stderr.write(`hands analyze: ${(err as Error).message}\n`);
    return EXIT.usage;
  }
  if (args.values.help) {
    process.stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  const log = args.values.quiet ? () => undefined : (line: string) => process.stderr.write(`${line}\n`);
  const config: DeepPartial<PipelineConfig> = {};
  if (args.values['max-hands'] !== undefined) config.maxHands = Number(args.values['max-hands']);
  if (args.values.model !== undefined) config.landmarks = { variant: args.values.model as 'full' | 'lite' };
  if (args.values['palm-model'] !== undefined) config.detector = { palmModel: args.values['palm-model'] as 'full' | 'v1' };
  // --quality best (the default): the multi-task heads refine the keypoints, the mesh gives the 3D
  // (config.ts, qualityConfig); explicit stage options below override it
  const quality = (args.values.quality as string | undefined) ?? 'best';
  if (quality !== 'fast' && quality !== 'best') {
    process.stderr.write(`hands: --quality must be fast or best (got ${JSON.stringify(quality)})\n`);
    return EXIT.usage;
  }
  const preset = qualityConfig(quality, config.landmarks?.variant ?? DEFAULT_CONFIG.landmarks.variant, 'still');
  config.heads = { ...preset.heads };
  if (preset.mesh) config.mesh = { ...preset.mesh };
  // keypoints from the multi-task heads (this turns the heads on)
  const kp = args.values.keypoints as string | undefined;
  const kp3 = args.values['keypoints-3d'] as string | undefined;
  if (kp !== undefined || kp3 !== undefined) {
    config.heads = {
      enabled: true,
      ...(kp !== undefined ? { keypoints: kp as 'regression' } : {}),
      ...(kp3 !== undefined ? { keypoints3d: kp3 as 'regression' } : {}),
    };
  }
  const refine = args.values['mask-refine'] as string | undefined;
  if (refine !== undefined) {
    const keys: Record<string, 'maskSize' | 'maskCoefSize' | 'maskRadius' | 'maskEps'> = {
      size: 'maskSize',
      coef: 'maskCoefSize',
      radius: 'maskRadius',
      eps: 'maskEps',
    };
    const set: Record<string, number> = {};
    if (refine === 'off') set.maskSize = 0;
    else {
      for (const kv of refine.split(',')) {
        const [k, v] = kv.split('=');
        if (!keys[k] || v === undefined || !Number.isFinite(Number(v))) {
          process.stderr.write(`hands: --mask-refine takes off or size=N,coef=N,radius=N,eps=X (any of them), not ${refine}\n`);
          return EXIT.usage;
        }
        set[keys[k]] = Number(v);
      }
    }
    config.heads = { ...config.heads, ...set };
  }
  if (args.values.fov !== undefined) config.mesh = { ...config.mesh, fovDegrees: Number(args.values.fov) };
  const meshStart = args.values['mesh-start'] as string | undefined;
  if (meshStart !== undefined) {
    config.mesh = { ...config.mesh, start: meshStart as 'best' };
    // the regressor is part of the heads
    if (meshStart === 'regressor') config.heads = { ...config.heads, enabled: true };
  }
  if (args.values['mesh-iterations'] !== undefined) config.mesh = { ...config.mesh, iterations: Number(args.values['mesh-iterations']) };
  if (args.values['mesh-mask-weight'] !== undefined) {
    config.mesh = { ...config.mesh, maskWeight: Number(args.values['mesh-mask-weight']) };
    config.heads = { ...config.heads, enabled: true }; // the mask comes from the heads
  }
  const thickness = args.values['mesh-thickness'] as string | undefined;
  if (thickness !== undefined) {
    if (thickness !== 'on' && thickness !== 'off') {
      process.stderr.write(`hands: --mesh-thickness takes on or off, not ${thickness}\n`);
      return EXIT.usage;
    }
    config.mesh = { ...config.mesh, thickness: thickness === 'on' };
  }
  if (args.values['mesh-mask-coverage'] !== undefined) config.mesh = { ...config.mesh, maskCoverage: Number(args.values['mesh-mask-coverage']) };
  if (benchMesh) config.mesh = { ...config.mesh, enabled: true };
  // bench's video scenario: 'best' leaves the mesh off on video (qualityConfig), unless --mesh asks for it
  if (command === 'bench') return runBench(args.values, config, benchMesh ? config : { ...config, mesh: { ...config.mesh, enabled: false } }, log);
  if (command === 'eval') return runEval(args.values, args.positionals, config, log);
  if (args.positionals.length === 0) {
    process.stderr.write('hands analyze: give at least one image or video file\n');
    return EXIT.usage;
  }
  try {
    const mesh = args.values.mesh;
    if (mesh !== undefined && !/\.(glb|obj)$/i.test(mesh)) {
      process.stderr.write('hands analyze: --mesh must name a .glb or .obj file\n');
      return EXIT.usage;
    }
    const { code } = await analyze({
      images: args.positionals,
      json: args.values.json,
      overlay: args.values.overlay,
      mesh,
      params: args.values.params,
      mask: args.values.mask,
      heatmaps: args.values.heatmaps,
      config,
      quiet: Boolean(args.values.quiet),
      log,
      warn: (line: string) => process.stderr.write(`${line}\n`),
    });
    return code;
  } catch (err) {
    const e = HandsError.from(err);
    process.stderr.write(`hands: ${e.message}${e.hint ? `\n  ${e.hint}` : ''}\n`);
    return exitCodeFor(e.code);
  }
}

async function runBench(
  v: Record<string, string | boolean | undefined>,
  config: DeepPartial<PipelineConfig>,
  videoConfig: DeepPartial<PipelineConfig>,
  log: (line: string) => void,
): Promise<number> {
  const frames = Number(v.frames ?? 100);
  const warmup = Number(v.warmup ?? 10);
  if (!Number.isInteger(frames) || frames < 1 || !Number.isInteger(warmup) || warmup < 0) {
    process.stderr.write('hands bench: --frames must be a positive integer and --warmup a non-negative one\n');
    return EXIT.usage;
  }
  const image = (v.image as string | undefined) ?? DEFAULT_BENCH_IMAGE;
  const video = (v.video as string | undefined) ?? DEFAULT_BENCH_VIDEO;
  const browser = v.browser as string | undefined;
  if (browser !== undefined && !['webgl', 'wasm', 'webgpu', 'cpu'].includes(browser)) {
    process.stderr.write('hands bench: --browser must be webgl, wasm, webgpu or cpu\n');
    return EXIT.usage;
  }
  try {
    const report = browser
      ? // one configuration for both scenarios in the page: the video's (the mesh only with --mesh)
        await (await import('./browserBench')).browserBench({
          backend: browser as BackendName,
          frames,
          warmup,
          image,
          video,
          model: config.landmarks?.variant === 'lite' ? 'lite' : 'full',
          config: videoConfig,
          log,
        })
      : await bench({ frames, warmup, image, video, config, videoConfig, log });
    if (v.json) await writeJsonFile(v.json as string, report);
    process.stdout.write(`${formatBench(report)}\n`);
    return EXIT.ok;
  } catch (err) {
    const e = HandsError.from(err);
    process.stderr.write(`hands bench: ${e.message}${e.hint ? `\n  ${e.hint}` : ''}\n`);
    return exitCodeFor(e.code);
  }
}

async function runEval(
  v: Record<string, string | boolean | undefined>,
  positionals: string[],
  config: DeepPartial<PipelineConfig>,
  log: (line: string) => void,
): Promise<number> {
  const dataset = (v.dataset as string | undefined) ?? (positionals.length === 1 ? positionals[0] : undefined);
  const format = (v.format as string | undefined) ?? 'auto';
  const limit = v.limit === undefined ? undefined : Number(v.limit);
  const polarity = (v['mask-polarity'] as string | undefined) ?? 'auto';
  const usage = (msg: string) => {
    process.stderr.write(`hands eval: ${msg}\n`);
    return EXIT.usage;
  };
  if (!dataset) return usage('give the data set with --dataset PATH');
  if (format !== 'auto' && format !== 'gestures' && !(DATASET_FORMATS as readonly string[]).includes(format))
    return usage(`--format must be auto, gestures or one of ${DATASET_FORMATS.join(', ')} (got "${format}")`);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) return usage('--limit must be a positive integer');
  if (!['auto', 'dark', 'light'].includes(polarity)) return usage('--mask-polarity must be auto, dark or light');
  try {
    if (format === 'gestures' || (format === 'auto' && (await looksLikeGestureSet(dataset)))) {
      const { evaluateGestures, formatGestureEval } = await import('./evalGestures');
      const report = await evaluateGestures({ dataset, limit, out: v.out as string | undefined, imagesDir: v.images as string | undefined, config, log });
      process.stdout.write(`${formatGestureEval(report)}\n`);
      return EXIT.ok;
    }
    const { report, code } = await evaluate({
      dataset,
      format: format as DatasetFormat | 'auto',
      limit,
      out: v.out as string | undefined,
      dumpPredictions: v['dump-predictions'] as string | undefined,
      imagesDir: v.images as string | undefined,
      maskPolarity: polarity as MaskPolarity,
      mediapipeWeb: !v['no-mediapipe-web'],
      config,
      log,
    });
    process.stdout.write(`${formatEval(report)}\n`);
    return code;
  } catch (err) {
    const e = HandsError.from(err);
    process.stderr.write(`hands eval: ${e.message}${e.hint ? `\n  ${e.hint}` : ''}\n`);
    return exitCodeFor(e.code);
  }
}

/** A .json data set whose samples carry gesture labels (eval/gestures/real-set.json) rather than keypoints. */
async function looksLikeGestureSet(path: string): Promise<boolean> {
  if (!path.endsWith('.json')) return false;
  try {
    const { isGestureSet } = await import('./eval/gestureSet');
    return isGestureSet(JSON.parse(await readFile(path, 'utf8')));
  } catch {
    return false; // unreadable: the keypoint loader reports it
  }
}
