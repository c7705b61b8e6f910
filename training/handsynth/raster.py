"""A vectorised z-buffer triangle rasteriser in numpy.

Fragments are enumerated per triangle over its pixel bounding box (pixel centres at i + 0.5, the
area convention of the crop), kept where all three barycentric coordinates are >= 0, and resolved
per pixel by perspective-correct depth (1/z interpolated in screen space): fragments are sorted by
1/z and written in that order, so the nearest one is written last.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NEAR = 0.02  # metres; triangles with a vertex nearer than this are dropped


@dataclass
class Raster:
    height: int
    width: int
    tri: np.ndarray  # (H*W,) int32 triangle index, -1 = nothing
    bary: np.ndarray  # (H*W, 3) float32 perspective-correct barycentrics (0 where empty)
    depth: np.ndarray  # (H*W,) float32 camera z in metres (inf where empty)

    @property
    def covered(self):
        return self.tri >= 0


def rasterize(uv, z, tris, height, width, cull=None, tri_keep=None, chunk_limit=6_000_000):
    """uv (N, 2) pixels, z (N,) metres, tris (T, 3). `cull`: None (draw both sides), +1 or -1 (keep
    triangles whose signed screen area has that sign). `tri_keep`: optional (T,) bool."""
    uv = np.asarray(uv, dtype=np.float64)
    z = np.asarray(z, dtype=np.float64)
    x0, y0 = uv[tris[:, 0], 0], uv[tris[:, 0], 1]
    x1, y1 = uv[tris[:, 1], 0], uv[tris[:, 1], 1]
    x2, y2 = uv[tris[:, 2], 0], uv[tris[:, 2], 1]
    z0, z1, z2 = z[tris[:, 0]], z[tris[:, 1]], z[tris[:, 2]]
    area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)
    keep = (z0 > NEAR) & (z1 > NEAR) & (z2 > NEAR) & (np.abs(area) > 1e-9)
    if cull is not None:
        keep &= (area * cull) > 0
    if tri_keep is not None:
        keep &= tri_keep
    xmin = np.ceil(np.minimum(np.minimum(x0, x1), x2) - 0.5)
    xmax = np.floor(np.maximum(np.maximum(x0, x1), x2) - 0.5)
    ymin = np.ceil(np.minimum(np.minimum(y0, y1), y2) - 0.5)
    ymax = np.floor(np.maximum(np.maximum(y0, y1), y2) - 0.5)
    xmin = np.maximum(xmin, 0)
    ymin = np.maximum(ymin, 0)
    xmax = np.minimum(xmax, width - 1)
    ymax = np.minimum(ymax, height - 1)
    keep &= (xmax >= xmin) & (ymax >= ymin)
    ids = np.nonzero(keep)[0]
    tri_buf = np.full(height * width, -1, dtype=np.int32)
    bary = np.zeros((height * width, 3), dtype=np.float32)
    depth = np.full(height * width, np.inf, dtype=np.float32)
    if len(ids) == 0:
        return Raster(height, width, tri_buf, bary, depth)
    bw = (xmax[ids] - xmin[ids] + 1).astype(np.int64)
    bh = (ymax[ids] - ymin[ids] + 1).astype(np.int64)
    counts = bw * bh
    total = int(counts.sum())
    if total > chunk_limit:  # a pathological view (a huge triangle): keep memory bounded
        order = np.argsort(counts)
        cum = np.cumsum(counts[order])
        ids = ids[order[cum <= chunk_limit]]
        bw = (xmax[ids] - xmin[ids] + 1).astype(np.int64)
        bh = (ymax[ids] - ymin[ids] + 1).astype(np.int64)
        counts = bw * bh
        total = int(counts.sum())
    # edge-function coefficients: w_i(p) = (a_i px + b_i py + c_i) / area, for the edge opposite vertex i
    inv = 1.0 / area[ids]
    X0, Y0, X1, Y1, X2, Y2 = x0[ids], y0[ids], x1[ids], y1[ids], x2[ids], y2[ids]
    a0, b0, c0 = (Y1 - Y2) * inv, (X2 - X1) * inv, (X1 * Y2 - X2 * Y1) * inv
    a1, b1, c1 = (Y2 - Y0) * inv, (X0 - X2) * inv, (X2 * Y0 - X0 * Y2) * inv
    local = np.repeat(np.arange(len(ids), dtype=np.int32), counts)
    start = np.cumsum(counts) - counts
    off = np.arange(total, dtype=np.int64) - np.repeat(start, counts)
    bwr = bw[local]
    py = off // bwr
    px = off - py * bwr
    px = px + xmin[ids].astype(np.int64)[local]
    py = py + ymin[ids].astype(np.int64)[local]
    fx = px + 0.5
    fy = py + 0.5
    w0 = a0[local] * fx + b0[local] * fy + c0[local]
    w1 = a1[local] * fx + b1[local] * fy + c1[local]
    w2 = 1.0 - w0 - w1
    inside = (w0 >= 0) & (w1 >= 0) & (w2 >= 0)
    sel = np.nonzero(inside)[0]
    local = local[sel]
    w0, w1, w2 = w0[sel], w1[sel], w2[sel]
    pix = py[sel] * width + px[sel]
    t = ids[local]
    # perspective-correct: 1/z is linear in screen space
    q0, q1, q2 = w0 / z0[t], w1 / z1[t], w2 / z2[t]
    iz = q0 + q1 + q2
    order = np.argsort(iz, kind="stable")  # far first, nearest written last
    win = np.full(height * width, -1, dtype=np.int64)
    win[pix[order]] = order
    cov = np.nonzero(win >= 0)[0]
    f = win[cov]
    tri_buf[cov] = t[f]
    zz = 1.0 / iz[f]
    bary[cov, 0] = q0[f] * zz
    bary[cov, 1] = q1[f] * zz
    bary[cov, 2] = q2[f] * zz
    depth[cov] = zz
    return Raster(height, width, tri_buf, bary, depth)


def interpolate(r: Raster, tris, attr, pixels=None):
    """Per-vertex attributes (N, C) -> per covered pixel (M, C), for `pixels` (default: all covered)."""
    if pixels is None:
        pixels = np.nonzero(r.tri >= 0)[0]
    t = tris[r.tri[pixels]]
    b = r.bary[pixels]
    return attr[t[:, 0]] * b[:, 0:1] + attr[t[:, 1]] * b[:, 1:2] + attr[t[:, 2]] * b[:, 2:3]
