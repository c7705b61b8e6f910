/**
 * MediaPipe SSD anchors for the palm detectors. The anchors are not stored in the model files; they
 * come from MediaPipe's SsdAnchorsCalculator options in each model's graph: 2 anchors per cell per
 * layer, centre offset 0.5, fixed anchor size 1. Consecutive layers with the same stride merge into
 * one grid with more anchors per cell.
 */
export interface AnchorConfig {
  inputSize: number;
  strides: readonly number[];
  anchorsPerLayer: number;
  offset: number;
}

/** Palm detector v1 (`handdetect`, 256 x 256): strides [8, 16, 32, 32, 32] -> 2944 anchors. */
export const PALM_V1_ANCHORS: AnchorConfig = {
  inputSize: 256,
  strides: [8, 16, 32, 32, 32],
  anchorsPerLayer: 2,
  offset: 0.5,
};

/**
 * Palm detector full 2021 (`palmdetect-full`, 192 x 192): mediapipe/modules/palm_detection/
 * palm_detection_cpu.pbtxt, num_layers 4, strides [8, 16, 16, 16] -> 24x24x2 + 12x12x6 = 2016 anchors.
 */
export const PALM_2021_ANCHORS: AnchorConfig = {
  inputSize: 192,
  strides: [8, 16, 16, 16],
  anchorsPerLayer: 2,
  offset: 0.5,
};

/** Anchor centres as a flat [x0, y0, x1, y1, ...] array in normalised [0, 1] coordinates. */
export function generateAnchors(cfg: AnchorConfig): Float32Array {
  const out: number[] = [];
  let layer = 0;
  while (layer < cfg.strides.length) {
    const stride = cfg.strides[layer];
    let repeats = 0;
    while (layer < cfg.strides.length && cfg.strides[layer] === stride) {
      repeats += cfg.anchorsPerLayer;
      layer++;
    }
    const cells = Math.ceil(cfg.inputSize / stride);
    for (let y = 0; y < cells; y++) {
      for (let x = 0; x < cells; x++) {
        for (let k = 0; k < repeats; k++) {
          out.push((x + cfg.offset) / cells, (y + cfg.offset) / cells);
        }
      }
    }
  }
  return new Float32Array(out);
}
