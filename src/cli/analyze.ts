import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp from 'sharp';
import type { DeepPartial, PipelineConfig } from '../core/config';
import { HandsError } from '../core/errors';
import { gestureDisplayName } from '../core/gesture/names';
import type { HandPipeline } from '../core/pipeline';
import { scaleFrameResult } from '../core/scaleResult';
import type { FrameResult, HandResult } from '../core/types';
import { writeAnalyzeReport, type VideoReport } from './analyzeReport';
import { writeJsonFile } from './atomicWrite';
import { analyzeVideo, OutputError } from './analyzeVideo';
import { decodeImageFile } from './decodeImage';
import { EXIT, exitCodeFor } from './exitCodes';
import { meshPathsFor, writeHandMeshes, paramsReport, type ParamsImageReport } from './meshOutput';
import { meshOverlaySvg } from './meshOverlay';
import { createNodePipeline } from './nodePipeline';
import { writeOutput } from './outputFailure';
import { handsOverlaySvg } from './overlaySvg';
import { inputKind } from './inputKind';
import { OVERLAY_VIDEO_EXT } from './videoOverlay';
import { writeHeatmapsPng, writeMaskPng } from './denseOutput';

export interface AnalyzeOptions {
  /** Images and videos (told apart by inputKind.ts). */
  images: string[];
  json?: string;
  /**
   * One image: the PNG path; one video: an .mp4/.webm/.mkv/.mov path; several inputs: a folder
   * (one <name>.overlay.png or <name>.overlay.mp4 each).
   */
  overlay?: string;
  /** Fitted hand meshes: a .glb (binary glTF) or .obj path; several hands/images get suffixes (meshOutput.ts). */
  mesh?: string;
  /** Fitted mesh parameters of every hand of every image, one JSON file. */
  params?: string;
  /** The hand mask (multi-task heads) as a grey PNG; several images: a folder. */
  mask?: string;
  /** The heat maps (multi-task heads) over the photo as a PNG; several images: a folder. */
  heatmaps?: string;
  config: DeepPartial<PipelineConfig>;
  /** --quiet: no video progress line either. */
  quiet?: boolean;
  /** Per-image progress lines (silenced by --quiet). */
  log: (line: string) => void;
  /** Errors: always shown. */
  warn: (line: string) => void;
}

export interface ImageReport {
  file: string;
  result?: FrameResult;
  error?: { code: string; message: string; hint: string };
}

/** Writes the photo with the hands drawn on it (and their fitted meshes underneath, when given `triangles`). */
export async function writeOverlayPng(
  imagePath: string,
  result: FrameResult,
  outPath: string,
  triangles?: (h: HandResult) => Uint16Array | undefined,
): Promise<void> {
  const svg = handsOverlaySvg(result.hands, result.width, result.height);
  const layers = [];
  if (triangles && result.hands.some((h) => h.mesh))
    layers.push({ input: Buffer.from(meshOverlaySvg(result.hands, triangles, result.width, result.height)), top: 0, left: 0 });
  layers.push({ input: Buffer.from(svg), top: 0, left: 0 });
  await mkdir(dirname(outPath), { recursive: true });
  await sharp(imagePath).rotate().composite(layers).png().toFile(outPath);
}

/**
 * The JSON report drops mesh vertices, heat maps and masks (thousands of numbers per hand; --mesh,
 * --heatmaps and --mask write them) and lists the mesh keypoints as plain numbers.
 */
function withoutVertices(reports: ImageReport[]): unknown {
  return reports.map((r) =>
    r.result
      ? {
          ...r,
          result: {
            ...r.result,
            hands: r.result.hands.map(({ heatmaps: _h, mask: _m, ...h }) =>
              h.mesh ? { ...h, mesh: { ...h.mesh, vertices: undefined, keypoints: Array.from(h.mesh.keypoints) } } : h,
            ),
          },
        }
      : r,
  );
}

/** A video's overlay: the path itself for a single input with a video extension, else <folder>/<name>.overlay.mp4. */
function videoOverlayPathFor(target: string | undefined, images: readonly string[], video: string): string | undefined {
  if (!target) return undefined;
  if (images.length === 1 && OVERLAY_VIDEO_EXT.test(target)) return target;
  if (images.length === 1 && /\.[a-z0-9]+$/i.test(target)) {
    throw new HandsError(
      'invalid-config',
      `--overlay ${target}: the overlay of a video is a video (.mp4, .m4v, .mov, .mkv, .webm) or a folder`,
      'Name an .mp4 file, e.g. --overlay out.mp4.',
    );
  }
  const base = video
    .split('/')
    .pop()!
    .replace(/\.[^.]+$/, '');
  return `${target.replace(/\/$/, '')}/${base}.overlay.mp4`;
}

/** A .png path for one image, or a folder with one <name>.<kind>.png per image. */
function pngPathFor(target: string | undefined, kind: string, images: readonly string[], image: string): string | undefined {
  if (!target) return undefined;
  if (images.length === 1 && target.toLowerCase().endsWith('.png')) return target;
  const base = image
    .split('/')
    .pop()!
    .replace(/\.[^.]+$/, '');
  return `${target.replace(/\/$/, '')}/${base}.${kind}.png`;
}

export async function analyze(opts: AnalyzeOptions, pipeline?: HandPipeline): Promise<{ code: number; reports: ImageReport[]; videos: VideoReport[] }> {
  const own = !pipeline;
  const wantMesh = Boolean(opts.mesh || opts.params);
  const wantHeads = Boolean(opts.mask || opts.heatmaps);
  let config = wantMesh ? { ...opts.config, mesh: { ...opts.config.mesh, enabled: true } } : opts.config;
  if (wantHeads) config = { ...config, heads: { ...config.heads, enabled: true } };
  const p = pipeline ?? (await createNodePipeline(config));
  if (wantMesh && !p.currentConfig.mesh.enabled) await p.setConfig({ mesh: { enabled: true } });
  if (wantHeads && !p.currentConfig.heads.enabled) await p.setConfig({ heads: { enabled: true } });
  const triangles = (h: HandResult) => p.meshTriangles(h.mesh?.handedness ?? h.handedness);
  const reports: ImageReport[] = [];
  const videos: VideoReport[] = [];
  const paramReports: ParamsImageReport[] = [];
  let code: number = EXIT.ok;
  try {
    for (const file of opts.images) {
      if ((await inputKind(file)) === 'video') {
        code = Math.max(code, await analyzeOneVideo(file, p, opts, videos));
        continue;
      }
      try {
        const img = await decodeImageFile(file);
        let result: FrameResult;
        try {
          result = scaleFrameResult(await p.estimate(img.tensor, { mode: 'image' }), img.scale, img.width, img.height);
        } finally {
          img.tensor.dispose();
        }
        reports.push({ file, result });
        const hands = result.hands
          .map(
            (h) => `${h.handedness} (score ${h.score.toFixed(2)}${h.gesture ? `, ${gestureDisplayName(h.gesture.label)} ${h.gesture.score.toFixed(2)}` : ''})`,
          )
          .join(', ');
        opts.log(
          `${file}: ${result.hands.length} hand${result.hands.length === 1 ? '' : 's'}${hands ? `: ${hands}` : ''} [${result.timings.totalMs.toFixed(0)} ms, ${result.backend}]`,
        );
        const overlay = pngPathFor(opts.overlay, 'overlay', opts.images, file);
        if (overlay) code = Math.max(code, await writeOutput(overlay, opts.warn, () => writeOverlayPng(file, result, overlay, triangles)));
        for (const [kind, target, write] of [
          ['mask', opts.mask, (path: string) => writeMaskPng(result, path)],
          ['heatmaps', opts.heatmaps, (path: string) => writeHeatmapsPng(file, result, path)],
        ] as const) {
          const path = pngPathFor(target, kind, opts.images, file);
          if (path) code = Math.max(code, await writeOutput(path, opts.warn, () => write(path)));
        }
        if (opts.params) paramReports.push(paramsReport(file, result));
        if (opts.mesh && result.hands.length > 0) {
          const paths = meshPathsFor(opts.mesh, file, opts.images.length, result.hands);
          const written = await writeOutput(paths.join(', '), opts.warn, () => writeHandMeshes(result, paths, triangles));
          if (written === EXIT.ok) opts.log(`  mesh: ${paths.join(', ')}`);
          code = Math.max(code, written);
        }
      } catch (err) {
        const e = HandsError.from(err);
        reports.push({ file, error: e.toJSON() });
        opts.warn(`error: ${e.message}${e.hint ? ` (${e.hint})` : ''}`);
        code = Math.max(code, exitCodeFor(e.code));
      }
    }
  } finally {
    if (own) p.dispose();
  }
  const { json, params } = opts;
  if (json) {
    try {
      code = Math.max(code, await writeOutput(json, opts.warn, () => writeAnalyzeReport(json, withoutVertices(reports), videos)));
    } finally {
      for (const v of videos) await v.frames?.dispose();
    }
  }
  if (params)
    code = Math.max(
      code,
      await writeOutput(params, opts.warn, () => writeJsonFile(params, { tool: 'hands analyze', model: 'models/hand-model.json', images: paramReports })),
    );
  return { code, reports, videos };
}

/** One video input: its report (frames or error) pushed to `videos`; returns the exit code it earns. */
async function analyzeOneVideo(file: string, p: HandPipeline, opts: AnalyzeOptions, videos: VideoReport[]): Promise<number> {
  const stillOnly = (['mesh', 'params', 'mask', 'heatmaps'] as const).filter((k) => opts[k]).map((k) => `--${k}`);
  if (stillOnly.length) opts.warn(`warning: ${stillOnly.join(', ')} apply to images only; not written for ${file}`);
  try {
    const overlay = videoOverlayPathFor(opts.overlay, opts.images, file);
    videos.push(await analyzeVideo(file, p, { json: Boolean(opts.json), overlay, verbose: !opts.quiet, log: opts.log }));
    return EXIT.ok;
  } catch (err) {
    if (err instanceof OutputError) {
      opts.warn(`error: ${err.message}`);
      videos.push({ file, error: { code: 'output', message: err.message, hint: 'Check that the folder is writable and the disk has room.' } });
      return EXIT.output;
    }
    const e = HandsError.from(err);
    videos.push({ file, error: e.toJSON() });
    opts.warn(`error: ${e.message}${e.hint ? ` (${e.hint})` : ''}`);
    return exitCodeFor(e.code);
  }
}
