/**
 * The event tracker on the synthetic sequences (synth.py, seed 3): each sequence is one held pose
 * for 60 frames at 30 fps with keypoint noise drawn anew every frame. Ideal: exactly one
 * gesture-start (of the true label) for a canned gesture, none for 'None', no flicker. Prints, for
 * the tracker's defaults and for a no-hysteresis baseline (enter = exit = 0.5, no minimum duration):
 * sequences with the ideal events, spurious starts per minute, and per-frame probability statistics
 * (the provenance of DEFAULT_GESTURE_TRACKER_CONFIG); same for pinch-down/up on Pinch sequences.
 *
 *     npx tsx training/gesture/eval-sequences.ts [.cache/gesture/sequences] [--rules]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyGesture } from '../../src/core/gesture/classify';
import { DEFAULT_GESTURE_TRACKER_CONFIG, GestureTracker, type GestureTrackerConfig } from '../../src/core/gesture/events';
import { parseGestureModel } from '../../src/core/gesture/mlp';
import { GESTURE_LABELS, type HandGesture } from '../../src/core/gesture/types';
import { readSplit } from './splits';

const ROOT = new URL('../../', import.meta.url).pathname;
const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--')) ?? join(ROOT, '.cache/gesture/sequences');
const model = args.includes('--rules') ? undefined : parseGestureModel(JSON.parse(readFileSync(join(ROOT, 'models/gesture-classifier.json'), 'utf8')));
const split = readSplit(dir);
if (!split.seq || !split.time) throw new Error(`${dir} is not a sequences split`);

// classify every frame once
const frames: { seq: number; time: number; label: number; clear: boolean; g: HandGesture }[] = [];
for (let i = 0; i < split.meta.count; i++) {
  frames.push({ seq: split.seq[i], time: split.time[i], label: split.label[i], clear: !!split.clear[i], g: classifyGesture(split.inputs[i], model) });
}
const bySeq = new Map<number, typeof frames>();
for (const f of frames) {
  if (!bySeq.has(f.seq)) bySeq.set(f.seq, []);
  (bySeq.get(f.seq) as typeof frames).push(f);
}
// a sequence's label is clear when every frame's is clear and all agree (the hand turns a little)
const seqs = [...bySeq.values()].filter((fs) => fs.every((f) => f.clear && f.label === fs[0].label));
console.log(`${dir}: ${bySeq.size} sequences, ${seqs.length} with one clear label throughout; classifier: ${model ? 'mlp' : 'rules'}`);

// per-frame statistics of the true label's probability on clear canned sequences
const p = seqs.filter((fs) => fs[0].label !== 0).flatMap((fs) => fs.map((f) => f.g.scores[f.label]));
const below = (t: number): string => `${((100 * p.filter((v) => v < t).length) / p.length).toFixed(2)} %`;
console.log(`true label's per-frame probability on ${p.length} frames of canned gestures: < 0.3 ${below(0.3)}, < 0.5 ${below(0.5)}, < 0.7 ${below(0.7)}`);

function run(name: string, config: Partial<GestureTrackerConfig>): void {
  let ideal = 0;
  let canned = 0;
  let spurious = 0;
  let minutes = 0;
  let pinchSeqs = 0;
  let pinchIdeal = 0;
  let pinchSpurious = 0;
  for (const fs of seqs) {
    const tr = new GestureTracker(config);
    const ev = fs.flatMap((f) => tr.update(f.time, [{ id: 1, gesture: f.g }]));
    ev.push(...tr.reset(fs[fs.length - 1].time + 33));
    const starts = ev.filter((e) => e.type === 'gesture-start');
    const truth = GESTURE_LABELS[fs[0].label];
    const good = truth === 'None' ? starts.length === 0 : starts.length === 1 && starts[0].type === 'gesture-start' && starts[0].gesture === truth;
    if (truth !== 'None') canned++;
    if (good) ideal++;
    spurious +=
      starts.filter((e) => e.type === 'gesture-start' && e.gesture !== truth).length +
      Math.max(0, starts.filter((e) => e.type === 'gesture-start' && e.gesture === truth).length - 1);
    minutes += (fs[fs.length - 1].time - fs[0].time + 33) / 60000;
    const downs = ev.filter((e) => e.type === 'pinch-down').length;
    if (truth === 'Pinch') {
      pinchSeqs++;
      if (downs === 1) pinchIdeal++;
      pinchSpurious += Math.max(0, downs - 1);
    } else {
      pinchSpurious += downs;
    }
  }
  console.log(
    `${name.padEnd(34)} ideal events ${ideal}/${seqs.length} (${((100 * ideal) / seqs.length).toFixed(1)} %; ${canned} canned), spurious starts ${(spurious / minutes).toFixed(2)}/min; pinch: exactly one down ${pinchIdeal}/${pinchSeqs}, spurious downs ${(pinchSpurious / minutes).toFixed(2)}/min`,
  );
}

const d = DEFAULT_GESTURE_TRACKER_CONFIG;
run(`defaults (${d.enterScore}/${d.exitScore}, ${d.minDurationMs} ms)`, {});
run('no min duration', { minDurationMs: 0 });
run('no hysteresis (0.5/0.49)', { enterScore: 0.5, exitScore: 0.49 });
run('neither (0.5/0.49, 0 ms)', { enterScore: 0.5, exitScore: 0.49, minDurationMs: 0, pinchDown: 0.6, pinchUp: 0.59 });
run('pinch without hysteresis (0.6/0.59)', { pinchDown: 0.6, pinchUp: 0.59 });
