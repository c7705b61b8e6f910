/**
 * A labelled gesture set for `hands eval` (eval/gestures/real-set.json): images, or frames of a
 * video (`path#frame=N`), each with its hands' labels and a point inside each hand. Paths are
 * relative to the repository (`root: "repo"`) or to the measurement-only data folder
 * (`root: "evaldata-dev"`, --images DIR, default ../shared/evaldata-dev), which is never copied here.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HandsError } from '../../core/errors';
import { GESTURE_LABELS, type GestureLabel } from '../../core/gesture/types';
import { REPO_ROOT } from '../paths';

export const DEFAULT_EVALDATA_DIR = join(REPO_ROOT, '..', 'shared', 'evaldata-dev');

export interface GestureHandLabel {
  /** 'skip': a visible hand whose gesture could not be told; a detection on it is neither right nor wrong. */
  label: GestureLabel | 'skip';
  /** A pixel inside the hand (about the palm centre), source image pixels. */
  point: [number, number];
}

export interface GestureSample {
  /** Absolute path of the image or video file. */
  file: string;
  /** Frame index when `file` is a video. */
  frame?: number;
  /** As written in the set (for reports). */
  image: string;
  source: string;
  hands: GestureHandLabel[];
}

export interface GestureSet {
  path: string;
  samples: GestureSample[];
  /** Samples left out, and why (e.g. the measurement-only folder is absent on this machine). */
  skipped: { image: string; reason: string }[];
}

const bad = (path: string, what: string) =>
  new HandsError('unsupported-file', `${path}: not a gesture set: ${what}`, 'See eval/gestures/README.md for the format.');

/** True when `json` looks like a gesture set (hands with gesture labels), not a keypoint data set. */
export function isGestureSet(json: unknown): boolean {
  const s = (json as { samples?: unknown[] })?.samples;
  return (
    Array.isArray(s) &&
    s.length > 0 &&
    Array.isArray((s[0] as { hands?: unknown[] }).hands) &&
    typeof (s[0] as { hands: Array<{ label?: unknown }> }).hands[0]?.label === 'string'
  );
}

export async function loadGestureSet(path: string, evaldataDir = DEFAULT_EVALDATA_DIR, limit?: number): Promise<GestureSet> {
  let json: { samples?: unknown };
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new HandsError('unsupported-file', `${path} could not be read as JSON: ${(err as Error).message}`, 'Give the gesture set JSON file.', { cause: err });
  }
  if (!Array.isArray(json.samples)) throw bad(path, 'no "samples" array');
  const samples: GestureSample[] = [];
  const skipped: GestureSet['skipped'] = [];
  for (const [i, raw] of (json.samples as Array<Record<string, unknown>>).entries()) {
    const image = raw.image;
    const root = raw.root;
    if (typeof image !== 'string' || (root !== 'repo' && root !== 'evaldata-dev'))
      throw bad(path, `sample ${i}: needs "image" and "root" ("repo" or "evaldata-dev")`);
    if (!Array.isArray(raw.hands)) throw bad(path, `sample ${i}: no "hands"`);
    const hands = (raw.hands as Array<Record<string, unknown>>).map((h, j) => {
      const label = h.label as GestureLabel | 'skip';
      const p = h.point as unknown[];
      if (label !== 'skip' && !(GESTURE_LABELS as readonly string[]).includes(label))
        throw bad(path, `sample ${i} hand ${j}: unknown label ${JSON.stringify(label)}`);
      if (!Array.isArray(p) || p.length !== 2 || !p.every((v) => typeof v === 'number' && Number.isFinite(v)))
        throw bad(path, `sample ${i} hand ${j}: "point" must be [x, y]`);
      return { label, point: [p[0], p[1]] as [number, number] };
    });
    const m = /^(.*)#frame=(\d+)$/.exec(image);
    const rel = m ? m[1] : image;
    const file = resolve(root === 'repo' ? REPO_ROOT : evaldataDir, rel);
    if (!existsSync(file)) {
      if (root === 'evaldata-dev') {
        skipped.push({ image, reason: `${evaldataDir} has no ${rel} (measurement-only data; --images DIR)` });
        continue;
      }
      throw bad(path, `sample ${i}: ${file} does not exist`);
    }
    samples.push({ file, frame: m ? Number(m[2]) : undefined, image, source: typeof raw.source === 'string' ? raw.source : root, hands });
    if (limit !== undefined && samples.length >= limit) break;
  }
  return { path, samples, skipped };
}
