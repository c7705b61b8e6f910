/** The tables `hands eval` prints from its report: per method, then per joint or the segmentation, then notes. */
import { KEYPOINT_NAMES } from '../../core/keypoints';
import { BOUNDARY_TOLERANCE } from '../../core/metrics/masks';
import type { EvalReport, HandOnlyWrists, MethodReport } from '../evaluate';
import { n } from './figures';

/** The table printed by `hands eval`. */
export function formatEval(r: EvalReport): string {
  const d = r.dataset;
  const lines = [
    `hands eval: ${d.name} (${d.format}), ${d.images} images${d.format === 'masks' ? ' with GT masks' : `, ${d.hands} hands${d.hands3d ? ` (3D: ${d.hands3d})` : ''}`}; ${r.runtime}, backend ${r.backend}, model ${r.config.landmarks.variant}`,
    '',
  ];
  // the label column fits the longest label ('MediaPipe Hands web (full)')
  const w = Math.max(14, ...r.methods.map((m) => m.label.length));
  switch (d.format) {
    case 'masks':
      lines.push(...maskTables(r, w));
      break;
    default:
      lines.push(...keypointTables(r, w));
  }
  for (const m of r.methods) lines.push(`${m.label}: ${m.description}`);
  const mp = r.mediapipeWeb;
  if (mp.status === 'skipped') lines.push(`MediaPipe Hands web: row skipped: ${mp.note}`);
  else if (mp.status !== 'off')
    lines.push(
      `MediaPipe Hands web: ${mp.package}, ${mp.status === 'cached' ? `predictions from the cache (${mp.note})` : 'run now, predictions cached'}${mp.failedImages ? `; ${mp.failedImages} image(s) failed in it and count as no hands` : ''}`,
    );
  for (const note of d.notes) lines.push(`note: ${note}`);
  if (r.errors.length) lines.push(`${r.errors.length} image(s) could not be evaluated, e.g. ${r.errors[0].image}: ${r.errors[0].message}`);
  return lines.join('\n');
}

/** Mask sets: hands on the GT mask per method, then the segmentation, raw before hand-only. */
function maskTables(r: EvalReport, w: number): string[] {
  const lines = [`${'method'.padEnd(w)}  images  found   rate  false+/img  kp on mask  presence  ms/img`];
  for (const m of r.methods) {
    const s = m.masks!;
    lines.push(
      `${m.label.padEnd(w)} ${String(s.images).padStart(7)} ${String(s.found).padStart(6)} ${n(s.detectionRate, 3, 6)} ${n(s.falsePositivesPerImage, 2, 11)} ${n(s.meanOnMask, 3, 11)} ${n(s.meanPresence, 3, 9)} ${n(m.msMedian, 0, 7)}`,
    );
  }
  if (r.segmentation?.length) {
    lines.push(
      '',
      'segmentation        raw: mean IoU  pooled IoU  precision  recall  boundary F   hand-only: mean IoU  pooled IoU  precision  recall  boundary F',
    );
    for (const sg of r.segmentation) {
      const a = sg.raw;
      const b = sg.handOnly;
      lines.push(
        `${sg.name.padEnd(18)} ${n(a.meanIoU, 3, 14)} ${n(a.pooledIoU, 3, 11)} ${n(a.precision, 3, 10)} ${n(a.recall, 3, 7)} ${n(a.meanBoundaryF, 3, 11)} ${n(b.meanIoU, 3, 21)} ${n(b.pooledIoU, 3, 11)} ${n(b.precision, 3, 10)} ${n(b.recall, 3, 7)} ${n(b.meanBoundaryF, 3, 11)}`,
      );
    }
    lines.push(`hand-only = prediction and GT both cut at one wrist line: ${handOnlyWristText(r.mask.handOnlyWrist ?? {})}.`);
    lines.push(
      `boundary F = DAVIS's F: boundary pixels matched within ${BOUNDARY_TOLERANCE * 100} % of the image diagonal, mean over images (hand-only: the cut line's own edge left out).`,
    );
  }
  lines.push('', `mask: ${r.mask.status}${r.mask.note ? ` (${r.mask.note})` : ''}`);
  lines.push(
    `found = ${r.foundRule}; kp on mask = that fraction for the best hand (0 when none); presence = landmark network's hand score (MediaPipe web reports none: -).`,
  );
  return lines;
}

/** Which wrist cut how many images, in words: the ground truth's own, or a prediction's (then the hand-only GT depends on it). */
function handOnlyWristText(c: HandOnlyWrists): string {
  const parts = [
    c['ground truth'] && `the ground truth's own wrist (its keypoint labels) in ${c['ground truth']} image(s)`,
    c.pipeline && `the pipeline's own wrist in ${c.pipeline} image(s) (no keypoint labels: there the hand-only GT depends on the prediction)`,
    c['landmark-only'] && `the landmark-only hand's wrist in ${c['landmark-only']} image(s) (the pipeline's hand was not on the mask)`,
    c.none && `not cut in ${c.none} image(s) (no hand on the mask: hand-only = raw)`,
  ];
  return parts.filter(Boolean).join('; ') || 'no image';
}

/** Keypoint sets: 2D (and 3D) accuracy per method, like for like, per joint, bias. */
function keypointTables(r: EvalReport, w: number): string[] {
  const d = r.dataset;
  const head3d = d.hands3d ? '  MPJPE mm  PA-MPJPE mm  AUC3D  AUC3D-PA' : '';
  const lines = [`${'method'.padEnd(w)}   found  mean px  med px  PCK@.05  PCK@.1  PCK@.2  AUC2D${head3d}  ms/img`];
  for (const m of r.methods) {
    const k = m.keypoints!;
    const found = m.name === 'landmark-only' ? '-' : `${k.found}/${k.hands}`;
    let row = `${m.label.padEnd(w)} ${found.padStart(7)} ${n(k.meanPx, 2, 8)} ${n(k.medianPx, 2, 7)} ${n(k.pck['0.05'], 3, 8)} ${n(k.pck['0.1'], 3, 7)} ${n(k.pck['0.2'], 3, 7)} ${n(k.auc2d, 3, 6)}`;
    if (d.hands3d) row += ` ${n(k.mpjpeMm, 1, 9)} ${n(k.paMpjpeMm, 1, 12)} ${n(k.auc3d, 3, 6)} ${n(k.auc3dPa, 3, 9)}`;
    lines.push(`${row} ${n(m.msMedian, 0, 7)}`);
  }
  lines.push(`found = ${r.foundRule}.`, '');
  if (r.paired) {
    const p = r.paired;
    lines.push(
      `like for like, the ${p.hands} hands every method found: ` +
        r.methods.map((m) => `${m.name} ${n(p.meanPx[m.name], 2, 0)} px${d.hands3d ? `, PA ${n(p.paMpjpeMm[m.name], 1, 0)} mm` : ''}`).join('; '),
    );
  }
  lines.push(...perJointTable(r.methods, d.hands3d > 0), '');
  lines.push(`2D bias (pred - GT, px): ${r.methods.map((m) => `${m.name} (${n(m.bias2dPx![0], 2, 0)}, ${n(m.bias2dPx![1], 2, 0)})`).join('; ')}`);
  lines.push('mean/med px, MPJPE, PA-MPJPE: over the hands a method found; PCK, AUC: over all GT hands, a missed hand wrong on every joint.');
  lines.push(
    'PCK@t: error <= t x normaliser (crop side, or GT box longer side); AUC2D over t = 0..0.2. 3D: root-relative at the wrist (mm); PA = Procrustes with scale; AUC3D over 20..50 mm.',
  );
  lines.push(`mask: ${r.mask.status}`);
  return lines;
}

/**
 * Per joint, per method: mean 2D error (px) and, with 3D ground truth, PA-MPJPE (mm): which joints
 * a method (e.g. the heads' fused keypoints against MediaPipe's regression) helps and hurts.
 */
function perJointTable(methods: readonly MethodReport[], with3d: boolean): string[] {
  const cols = methods.map((m) => m.name);
  const cw = Math.max(8, ...cols.map((c) => c.length + 1));
  const lines = [
    `per joint, mean px${with3d ? ' | PA mm' : ''}:`,
    `${'joint'.padEnd(18)}${cols.map((c) => c.padStart(cw)).join('')}${with3d ? ` |${cols.map((c) => c.padStart(cw)).join('')}` : ''}`,
  ];
  KEYPOINT_NAMES.forEach((name, j) => {
    let row = name.padEnd(18) + methods.map((m) => n(m.keypoints!.perJointPx[j] ?? Number.NaN, 2, cw)).join('');
    if (with3d) row += ` |${methods.map((m) => n(m.keypoints!.perJointPaMm[j] ?? Number.NaN, 1, cw)).join('')}`;
    lines.push(row);
  });
  return lines;
}
