import { NUM_KEYPOINTS } from '../core/keypoints';
import type { HandResult } from '../core/types';
import type { OverlayView } from '../render/overlayView';

/** Milliseconds per frame of the heads' layers on this page (medians over `frames` repetitions). */
export interface DenseLayerCost {
  hands: number;
  /** MaskLayer.update: copy the masks (224 x 224 refined by default) into the textures, place the quads (CPU). */
  maskUpdateMs: number;
  /** HeatmapsLayer.update: HWC -> 22-layer array textures (21 maps + their maximum), one pass (CPU). */
  heatmapsUpdateMs: number;
  /** The alternative not taken: the chosen keypoint's map (or the maximum) into one 56 x 56 map per hand (CPU). */
  cpuSelectMs: number;
  /** Drawing the view (GPU finished) with the two layers hidden. */
  renderOffMs: number;
  /** Drawing with the Mask layer shown (textures unchanged). */
  renderMaskMs: number;
  /** Drawing with the Heat maps layer shown (textures unchanged). */
  renderHeatmapsMs: number;
  /** Drawing with Mask and Heat maps shown, textures unchanged (a still, or a keypoint switched). */
  renderOnMs: number;
  /** Drawing with Mask and Heat maps shown after new data (uploads 3 KB + 69 KB a hand): a video frame. */
  renderOnUploadMs: number;
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Mean over a batch (CPU work far below the page clock's resolution). */
function timeBatch(frames: number, run: () => void): number {
  const n = frames * 20;
  const t = performance.now();
  for (let i = 0; i < n; i++) run();
  return (performance.now() - t) / n;
}

/** Median of single runs (each long enough for the clock). */
function timeEach(frames: number, run: () => void): number {
  const ms: number[] = [];
  for (let i = 0; i < frames; i++) {
    const t = performance.now();
    run();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

/**
 * Measures the Mask and Heat maps layers on `hands` (the latest result, with the heads' outputs),
 * then puts the view back as it was. A test and benchmark hook: frames stop being drawn meanwhile.
 */
export function measureDenseLayers(view: OverlayView, hands: readonly HandResult[], frames = 30): DenseLayerCost {
  const layers = view.layers;
  const shown = { mask: layers.isVisible('mask'), heatmaps: layers.isVisible('heatmaps') };
  const dense = hands.filter((h) => h.mask && h.heatmaps);
  const scratch = new Uint8Array(56 * 56);
  const cost: DenseLayerCost = {
    hands: dense.length,
    maskUpdateMs: timeBatch(frames, () => layers.mask.update(dense)),
    heatmapsUpdateMs: timeBatch(frames, () => layers.heatmaps.update(dense)),
    cpuSelectMs: timeBatch(frames, () => {
      for (const h of dense) {
        const { size, data } = h.heatmaps!;
        const out = scratch.length === size * size ? scratch : new Uint8Array(size * size);
        for (let i = 0, j = 0; i < size * size; i++, j += NUM_KEYPOINTS) {
          let m = 0;
          for (let k = 0; k < NUM_KEYPOINTS; k++) if (data[j + k] > m) m = data[j + k];
          out[i] = m;
        }
      }
    }),
    renderOffMs: 0,
    renderMaskMs: 0,
    renderHeatmapsMs: 0,
    renderOnMs: 0,
    renderOnUploadMs: 0,
  };
  layers.setVisible('mask', false);
  layers.setVisible('heatmaps', false);
  view.renderSync();
  cost.renderOffMs = timeEach(frames, () => view.renderSync());
  layers.setVisible('mask', true);
  view.renderSync();
  cost.renderMaskMs = timeEach(frames, () => view.renderSync());
  layers.setVisible('mask', false);
  layers.setVisible('heatmaps', true);
  view.renderSync();
  cost.renderHeatmapsMs = timeEach(frames, () => view.renderSync());
  layers.setVisible('mask', true);
  layers.setVisible('heatmaps', true);
  view.renderSync();
  cost.renderOnMs = timeEach(frames, () => view.renderSync());
  cost.renderOnUploadMs = timeEach(frames, () => {
    layers.mask.update(dense);
    layers.heatmaps.update(dense);
    view.renderSync();
  });
  layers.setVisible('mask', shown.mask);
  layers.setVisible('heatmaps', shown.heatmaps);
  view.render(true);
  return cost;
}
