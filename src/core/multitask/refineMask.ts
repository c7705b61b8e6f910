import * as tf from '@tensorflow/tfjs-core';

/**
 * Image-guided refinement of the heads' hand mask (56 x 56 on the hand's crop, a cell is 4-5 image
 * px at webcam resolution) to a finer grid on the same crop, edge-true: a colour guided filter
 * (He, Sun and Tang, "Guided Image Filtering", TPAMI 2013) in its fast, upsampling form (He and
 * Sun 2015): the linear coefficients q = a . I + b that fit the mask probability p from the crop's
 * colours I in every (2r + 1)^2 window are found at `coefSize` (the mask and the crop resampled
 * there), averaged, bilinearly resized to `size` and applied to the crop's own pixels at `size`.
 * So where the picture has an edge near the coarse mask's edge, the refined edge follows the
 * picture; where it has none (a constant guide), q is the window-smoothed mask. Box filters are
 * summed-area tables (cumsum + gather), so the cost does not grow with the radius; everything is
 * TF.js ops (WebGPU / WebGL in the page, WASM in Node).
 */
export interface MaskRefineOptions {
  /** Side of the refined mask and of the guide crop, px. */
  size: number;
  /** Side at which the filter's coefficients are fitted (<= size; size / 2 is the fast filter's usual choice). */
  coefSize: number;
  /** Window radius in `coefSize` px. */
  radius: number;
  /** Regularisation (guide in 0..1): edges with a colour variance well below eps are smoothed over. */
  eps: number;
}

/**
 * Box mean of radius r over the H and W axes of x [1, H, W, C] (windows clipped at the borders,
 * divided by the clipped count), from summed-area tables.
 */
export function boxMean(x: tf.Tensor4D, r: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    const along = (t: tf.Tensor4D, axis: 1 | 2, n: number): tf.Tensor4D => {
      const cs = tf.cumsum(t, axis);
      // a leading zero so the sum over [lo, hi) is S[hi] - S[lo]
      const pad: Array<[number, number]> = [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ];
      pad[axis] = [1, 0];
      const s = tf.pad(cs, pad);
      const hi = new Int32Array(n);
      const lo = new Int32Array(n);
      const inv = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        hi[i] = Math.min(n, i + r + 1);
        lo[i] = Math.max(0, i - r);
        inv[i] = 1 / (hi[i] - lo[i]);
      }
      const sum = tf.sub(tf.gather(s, tf.tensor1d(hi, 'int32'), axis), tf.gather(s, tf.tensor1d(lo, 'int32'), axis));
      const shape = axis === 1 ? [1, n, 1, 1] : [1, 1, n, 1];
      return tf.mul(sum, tf.tensor(inv, shape)) as tf.Tensor4D;
    };
    return along(along(x, 1, h), 2, w);
  });
}

/**
 * The refinement itself. `guide` [1, S, S, 3] in 0..1 (the crop at `size`), `prob` [1, m, m, 1]
 * the heads' mask probability (any m); returns [1, S, S, 1] probability in 0..1.
 */
export function guidedUpsample(guide: tf.Tensor4D, prob: tf.Tensor4D, opts: MaskRefineOptions): tf.Tensor4D {
  return tf.tidy(() => {
    const size = guide.shape[1];
    const n = Math.max(1, Math.min(size, Math.round(opts.coefSize)));
    const I = n === size ? guide : tf.image.resizeBilinear(guide, [n, n], false, true);
    const p = tf.image.resizeBilinear(prob, [n, n], false, true);
    const [r, g, b] = tf.split(I, 3, 3) as tf.Tensor4D[];
    // one box filter over all the moments: I (3), p, I p (3), I I^T (6 unique)
    const m = boxMean(tf.concat([r, g, b, p, tf.mul(r, p), tf.mul(g, p), tf.mul(b, p), tf.mul(r, r), tf.mul(r, g), tf.mul(r, b), tf.mul(g, g), tf.mul(g, b), tf.mul(b, b)], 3) as tf.Tensor4D, opts.radius);
    const [mr, mg, mb, mp, mrp, mgp, mbp, mrr, mrg, mrb, mgg, mgb, mbb] = tf.split(m, 13, 3);
    // covariances, eps on the diagonal
    const cr = tf.sub(mrp, tf.mul(mr, mp));
    const cg = tf.sub(mgp, tf.mul(mg, mp));
    const cb = tf.sub(mbp, tf.mul(mb, mp));
    const srr = tf.add(tf.sub(mrr, tf.mul(mr, mr)), opts.eps);
    const srg = tf.sub(mrg, tf.mul(mr, mg));
    const srb = tf.sub(mrb, tf.mul(mr, mb));
    const sgg = tf.add(tf.sub(mgg, tf.mul(mg, mg)), opts.eps);
    const sgb = tf.sub(mgb, tf.mul(mg, mb));
    const sbb = tf.add(tf.sub(mbb, tf.mul(mb, mb)), opts.eps);
    // a = Sigma^-1 c by the symmetric 3x3 inverse (adjugate / determinant)
    const i00 = tf.sub(tf.mul(sgg, sbb), tf.mul(sgb, sgb));
    const i01 = tf.sub(tf.mul(srb, sgb), tf.mul(srg, sbb));
    const i02 = tf.sub(tf.mul(srg, sgb), tf.mul(srb, sgg));
    const i11 = tf.sub(tf.mul(srr, sbb), tf.mul(srb, srb));
    const i12 = tf.sub(tf.mul(srb, srg), tf.mul(srr, sgb));
    const i22 = tf.sub(tf.mul(srr, sgg), tf.mul(srg, srg));
    const det = tf.add(tf.add(tf.mul(srr, i00), tf.mul(srg, i01)), tf.mul(srb, i02));
    const dot3 = (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.div(tf.add(tf.add(tf.mul(x, cr), tf.mul(y, cg)), tf.mul(z, cb)), det);
    const ar = dot3(i00, i01, i02);
    const ag = dot3(i01, i11, i12);
    const ab = dot3(i02, i12, i22);
    const bb = tf.sub(mp, tf.add(tf.add(tf.mul(ar, mr), tf.mul(ag, mg)), tf.mul(ab, mb)));
    let coef = boxMean(tf.concat([ar, ag, ab, bb], 3) as tf.Tensor4D, opts.radius);
    if (n !== size) coef = tf.image.resizeBilinear(coef, [size, size], false, true);
    const [ma, mb2] = tf.split(coef, [3, 1], 3);
    return tf.clipByValue(tf.add(tf.sum(tf.mul(ma, guide), 3, true), mb2), 0, 1) as tf.Tensor4D;
  });
}
