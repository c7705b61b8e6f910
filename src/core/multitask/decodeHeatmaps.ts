/**
 * Keypoints from heat maps: the peak of each map refined by the weighted mean of a window around
 * it (sub-pixel), the same rule as training/hiu/metrics.py `soft_argmax`. Maps are HWC (channel
 * fastest), `size` x `size`, covering the 224-px crop; results in crop pixels (area convention).
 */
/** Half-width of the soft-argmax window around each map's peak, in map cells (a 5 x 5 window). */
export const SOFT_ARGMAX_RADIUS = 2;

export function softArgmaxHWC(
  data: ArrayLike<number>,
  size: number,
  channels: number,
  crop = 224,
  radius = SOFT_ARGMAX_RADIUS,
): { xy: Float64Array; peak: Float64Array } {
  const xy = new Float64Array(channels * 2);
  const peak = new Float64Array(channels);
  const scale = crop / size;
  for (let k = 0; k < channels; k++) {
    let best = -Infinity;
    let bi = 0;
    for (let i = 0; i < size * size; i++) {
      const v = data[i * channels + k];
      if (v > best) {
        best = v;
        bi = i;
      }
    }
    const py = Math.floor(bi / size);
    const px = bi % size;
    let w = 0;
    let sx = 0;
    let sy = 0;
    for (let dy = -radius; dy <= radius; dy++) {
      const y = Math.min(size - 1, Math.max(0, py + dy));
      for (let dx = -radius; dx <= radius; dx++) {
        const x = Math.min(size - 1, Math.max(0, px + dx));
        const v = Math.max(0, data[(y * size + x) * channels + k]);
        w += v;
        sx += v * (x + 0.5);
        sy += v * (y + 0.5);
      }
    }
    xy[2 * k] = (w > 1e-9 ? sx / w : px + 0.5) * scale;
    xy[2 * k + 1] = (w > 1e-9 ? sy / w : py + 0.5) * scale;
    peak[k] = best;
  }
  return { xy, peak };
}
