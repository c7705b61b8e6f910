/**
 * The figures of `hands eval`: PCK curves (2D, and 3D where there is 3D ground truth), an error
 * histogram, and per method a contact sheet of its worst cases (GT green, prediction red).
 */
import { basename, join } from 'node:path';
import { pointsBox } from '../../core/metrics/keypoints2d';
import { fractionOnMask, wristCutLine } from '../../core/metrics/masks';
import type { EvalKind, EvalReport } from '../evaluate';
import { regionAround, writeContactSheet, type SheetCase } from './contactSheet';
import { readMask, type MaskPolarity } from './masks';
import { histogramSvg, lineChartSvg, writeSvgPng } from './plots';
import { methodsIn, type MethodName, type SampleResult } from './run';
import type { EvalDataset } from './types';

/** A number right-aligned in w characters with d decimals; '-' when not finite. */
export const n = (v: number, d = 1, w = 7) => (Number.isFinite(v) ? v.toFixed(d) : '-').padStart(w);

export const COLOURS: Record<MethodName, string> = { pipeline: '#1f6fd1', 'mediapipe-web': '#7048e8', 'landmark-only': '#e8590c', mesh: '#2b8a3e' };

export async function writeFigures(results: readonly SampleResult[], report: EvalReport, dataset: EvalDataset, kind: EvalKind, out: string): Promise<string[]> {
  const files = kind.kind === 'masks' ? await writeMaskFigures(results, dataset, out) : await writeKeypointFigures(results, report, dataset, out);
  for (const m of methodsIn(results)) {
    const file = `worst-${m}.png`;
    const { cases, title } = kind.kind === 'masks' ? await worstMaskCases(results, m, kind.polarity) : worstKeypointCases(results, m);
    await writeContactSheet(cases, join(out, file), `${dataset.name}: ${title}`);
    files.push(file);
  }
  return files;
}

/** Keypoint sets: the 2D PCK curve, the 3D one with 3D ground truth, the 2D error histogram. */
async function writeKeypointFigures(results: readonly SampleResult[], report: EvalReport, dataset: EvalDataset, out: string): Promise<string[]> {
  const files: string[] = [];
  const METHODS = methodsIn(results);
  const series = report.methods.map((m) => ({
    name: `${m.name} (AUC ${n(m.keypoints!.auc2d, 3, 0)})`,
    colour: COLOURS[m.name],
    xs: m.keypoints!.curve2d.thresholds,
    ys: m.keypoints!.curve2d.values,
  }));
  await writeSvgPng(
    lineChartSvg({
      title: `2D PCK: ${dataset.name}`,
      xLabel: `threshold (fraction of ${dataset.samples[0]?.crop ? 'crop side' : 'GT box longer side'})`,
      yLabel: 'PCK (fraction of joints)',
      x: [0, 0.2],
      y: [0, 1],
      series,
    }),
    join(out, 'pck2d.png'),
  );
  files.push('pck2d.png');
  if (report.dataset.hands3d) {
    const s3 = report.methods.flatMap((m) => [
      {
        name: `${m.name} PA (AUC20-50 ${n(m.keypoints!.auc3dPa, 3, 0)})`,
        colour: COLOURS[m.name],
        xs: m.keypoints!.curve3d!.thresholdsMm,
        ys: m.keypoints!.curve3d!.procrustes,
      },
      {
        name: `${m.name} root-rel. (AUC20-50 ${n(m.keypoints!.auc3d, 3, 0)})`,
        colour: COLOURS[m.name],
        xs: m.keypoints!.curve3d!.thresholdsMm,
        ys: m.keypoints!.curve3d!.rootRelative,
        dashed: true,
      },
    ]);
    await writeSvgPng(
      lineChartSvg({
        title: `3D PCK: ${dataset.name}`,
        xLabel: 'threshold (mm)',
        yLabel: 'PCK (fraction of joints)',
        x: [0, 50],
        y: [0, 1],
        series: s3,
        band: [20, 50],
        bandLabel: 'AUC range 20-50 mm',
      }),
      join(out, 'pck3d.png'),
    );
    files.push('pck3d.png');
  }
  const errs = METHODS.map((m) => results.flatMap((r) => r.methods[m].gt.filter((g) => g.found).flatMap((g) => g.errors2d.filter(Number.isFinite))));
  const all = errs.flat().sort((a, b) => a - b);
  const hi = Math.max(1, Math.ceil(all[Math.floor(0.98 * (all.length - 1))] ?? 1));
  await writeSvgPng(
    histogramSvg({
      title: `2D joint error: ${dataset.name}`,
      xLabel: 'error per joint (px, found hands)',
      x: [0, hi],
      bins: 30,
      series: METHODS.map((m, i) => ({ name: m, colour: COLOURS[m], values: errs[i] })),
    }),
    join(out, 'error-histogram.png'),
  );
  files.push('error-histogram.png');
  return files;
}

/** Mask sets: the histogram of keypoints on the GT mask. */
async function writeMaskFigures(results: readonly SampleResult[], dataset: EvalDataset, out: string): Promise<string[]> {
  const METHODS = methodsIn(results);
  await writeSvgPng(
    histogramSvg({
      title: `Keypoints on the GT mask: ${dataset.name}`,
      xLabel: "fraction of the best hand's 21 keypoints on the GT mask (0 = no hand)",
      x: [0, 1.0001],
      bins: 21,
      series: METHODS.map((m) => ({ name: m, colour: COLOURS[m], values: results.map((r) => r.methods[m].mask!.onMask) })),
    }),
    join(out, 'on-mask-histogram.png'),
  );
  return ['on-mask-histogram.png'];
}

const WORST = 12;

/** Most missed hands shown on a sheet: the rest of the sheet shows the largest errors among found hands. */
const MAX_MISSES_SHOWN = 4;

/** Worst cases for a method: up to MAX_MISSES_SHOWN missed hands, then the largest errors relative to the hand's normaliser. */
export function pickWorst<T extends { found: boolean; normMean: number }>(
  items: readonly T[],
  count = WORST,
  maxMisses = MAX_MISSES_SHOWN,
): { picked: T[]; missed: number } {
  const missed = items.filter((g) => !g.found);
  const found = items.filter((g) => g.found && Number.isFinite(g.normMean)).sort((a, b) => b.normMean - a.normMean);
  const misses = missed.slice(0, Math.min(maxMisses, count));
  return { picked: [...misses, ...found.slice(0, count - misses.length)], missed: missed.length };
}

function worstKeypointCases(results: readonly SampleResult[], m: MethodName): { cases: SheetCase[]; title: string } {
  const all = results.flatMap((r) => r.methods[m].gt.map((g) => ({ r, g, found: g.found, normMean: g.normMean })));
  const { picked, missed } = pickWorst(all);
  const shownMisses = picked.filter((p) => !p.found).length;
  const cases = picked.map(({ r, g }) => {
    const gt = r.gtHands[g.gtIndex];
    const pred = g.predIndex >= 0 ? r.methods[m].hands[g.predIndex].keypoints2d : undefined;
    const crop = r.gtHands.length === 1 && gt.box[0] === 0 && gt.box[1] === 0 && gt.box[2] >= r.width && gt.box[3] >= r.height;
    const region: [number, number, number] = crop ? [0, 0, Math.max(r.width, r.height)] : regionAround([gt.box, ...(pred ? [pointsBox(pred)] : [])]);
    const err = g.found
      ? `${g.meanPx.toFixed(1)} px (${(100 * g.normMean).toFixed(1)}%)${Number.isFinite(g.paMeanMm) ? `, PA ${g.paMeanMm.toFixed(1)} mm` : ''}`
      : 'MISSED';
    return {
      image: r.image,
      width: r.width,
      height: r.height,
      region,
      gt: [{ points: gt.keypoints2d, visible: gt.visible }],
      pred: pred ? [pred] : [],
      label: `${err}\n${basename(r.image)}${r.gtHands.length > 1 ? ` hand ${g.gtIndex + 1}` : ''}`,
    };
  });
  const title = missed
    ? `worst for ${m}: ${shownMisses} of ${missed} missed hands, then the ${cases.length - shownMisses} largest errors (of ${all.length - missed} found)`
    : `worst ${cases.length} for ${m} (mean joint error / normaliser)`;
  return { cases, title };
}

async function worstMaskCases(results: readonly SampleResult[], m: MethodName, polarity?: MaskPolarity): Promise<{ cases: SheetCase[]; title: string }> {
  const sorted = [...results].sort((a, b) => a.methods[m].mask!.onMask - b.methods[m].mask!.onMask);
  const out: SheetCase[] = [];
  for (const r of sorted.slice(0, WORST)) {
    const mask = (await readMask(r.mask!, polarity)).data;
    const preds = r.methods[m].hands.map((h) => h.keypoints2d);
    const region = regionAround([r.maskBox ?? [0, 0, r.width, r.height], ...preds.map((p) => pointsBox(p))], 1.15);
    const c = r.methods[m].mask!;
    // this method's wrist line through its hand with most keypoints on the mask (the hand-only cut
    // where the set has no keypoint labels and this is the pipeline: SampleResult.handOnlyCut)
    const onMask = preds.map((p) => fractionOnMask(p, mask, r.width, r.height));
    const best = preds[onMask.indexOf(Math.max(...onMask))];
    const cut = best && c.found ? wristCutLine(r.width, r.height, best[0], best[9]) : undefined;
    const lines = cut ? [{ a: cut[0], b: cut[1], colour: '#ffd400' }] : [];
    out.push({
      image: r.image,
      width: r.width,
      height: r.height,
      region,
      mask,
      pred: preds,
      lines,
      label: `${c.found ? 'found' : 'NOT FOUND'}: ${(100 * c.onMask).toFixed(0)}% kp on mask, ${preds.length} hand(s)\n${basename(r.image)}`,
    });
  }
  return { cases: out, title: `worst ${out.length} for ${m} (fewest keypoints on the GT mask; green = GT mask, yellow = wrist cut)` };
}
