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
 * Box mean of radius r over the H and W axes of x [B, H, W, C]: windows clipped at the borders,
 * divided by the clipped count. Two separable average pools ('same' padding), divided by the same
 * pools of ones, so the result does not depend on whether a backend counts the padding.
 */
export function boxMean(x: tf.Tensor4D, r: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape;
    const k = 2 * r + 1;
    const pool = (t: tf.Tensor4D) => tf.avgPool(tf.avgPool(t, [k, 1], 1, 'same'), [1, k], 1, 'same');
    // planes on the batch axis pool as channels (several times faster on WASM's XNNPACK)
    const swap = b > 1 && c === 1;
    const pooled = swap ? (tf.transpose(pool(tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D), [3, 1, 2, 0]) as tf.Tensor4D) : pool(x);
    return tf.div(pooled, pool(tf.ones([1, h, w, 1]))) as tf.Tensor4D;
  });
}

/**
 * The refinement itself. `guide` [1, S, S, 3] in 0..1 (the crop at `size`), `prob` [1, m, m, 1]
 * the heads' mask probability (any m); returns [1, S, S, 1] probability in 0..1. The per-pixel
 * planes live on the batch axis ([k, n, n, 1]) and are taken apart as rows of [k, n * n]: on WASM
 * that is a contiguous copy, where slicing channels (or 4D batches) costs more than the maths.
 */
export function guidedUpsample(guide: tf.Tensor4D, prob: tf.Tensor4D, opts: MaskRefineOptions): tf.Tensor4D {
  return tf.tidy(() => {
    const size = guide.shape[1];
    const n = Math.max(1, Math.min(size, Math.round(opts.coefSize)));
    const planes = (t: tf.Tensor4D) => tf.transpose(t, [3, 1, 2, 0]) as tf.Tensor4D; // [1, h, w, c] -> [c, h, w, 1]
    const rows = (t: tf.Tensor, k: number, len: number) => tf.unstack(tf.reshape(t, [k, len]), 0);
    const I = planes(n === size ? guide : tf.image.resizeBilinear(guide, [n, n], false, true)); // [3, n, n, 1]
    const p = tf.reshape(tf.image.resizeBilinear(prob, [n, n], false, true), [1, n * n]);
    const [r, g, b] = rows(I, 3, n * n);
    const I2 = tf.reshape(I, [3, n * n]);
    // one box filter over all the moments: I (3), p, I p (3), I I^T (6 unique)
    const moments = tf.concat([I2, p, tf.mul(I2, p), tf.mul(r, I2), tf.mul(g, tf.stack([g, b])), tf.reshape(tf.mul(b, b), [1, n * n])], 0);
    const m = boxMean(tf.reshape(moments, [13, n, n, 1]) as tf.Tensor4D, opts.radius);
    const [mr, mg, mb, mp, mrp, mgp, mbp, mrr, mrg, mrb, mgg, mgb, mbb] = rows(m, 13, n * n);
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
    // the coefficients' means as channels [1, n, n, 4], resized to the full size
    let coef = boxMean(tf.reshape(tf.transpose(tf.stack([ar, ag, ab, bb]), [1, 0]), [1, n, n, 4]) as tf.Tensor4D, opts.radius);
    if (n !== size) coef = tf.image.resizeBilinear(coef, [size, size], false, true);
    // q = a . I + b at full size: the guide with a channel of ones (a 1x1 convolution with a bias:
    // fast everywhere, where a concat along channels is slow on WASM) against the 4 coefficients
    const withOne = tf.fused.conv2d({
      x: guide,
      filter: tf.tensor4d([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0], [1, 1, 3, 4]),
      strides: 1,
      pad: 'valid',
      bias: tf.tensor1d([0, 0, 0, 1]),
    });
    const q = tf.sum(tf.mul(coef, withOne), 3, true);
    return tf.clipByValue(q, 0, 1) as tf.Tensor4D;
  });
}
