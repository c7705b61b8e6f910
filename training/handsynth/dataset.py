"""Streaming and cached shards.

Stream: `stream(seed, start, count, workers)` yields samples in index order, rendered by a process
pool (sample i depends only on (seed, i), so the stream is the same whatever the worker count).

Shards: a folder per shard holding one raw .npy per field (memory-mappable, random access):

    image     (N, 224, 224, 3) uint8        mask      (N, 224, 224) uint8 (0..255 coverage)
    kp2d      (N, 21, 2) float32 crop px    vis       (N, 21) uint8
    kp3d      (N, 21, 3) float32 camera m   joints3d  (N, 25, 3) float16, relative to the wrist
    vertices  (N, 1360, 3) float16, relative to the wrist keypoint (kp3d[:, 0])
    params    (N, 51) float32 [rot 3 | trans 3 | pose 24 | shape 20 | scale 1]
    handedness (N,) uint8 (0 right, 1 left)  girth (N,) float32
    roi, roi_exact (N, 5) float32 (cx, cy, w, h, rotation in source px)   cam (N, 6) float32
    index     (N,) int64 sample index       meta.json: seed, config, per-sample info

Dense targets (heat maps, POF) are computed from these at load time (labels.py) at whatever
resolution the network wants; they are exact functions of the stored keypoints.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import os
from dataclasses import asdict

import numpy as np

from .geometry import LANDMARK_INPUT
from .labels import heatmaps, pof, to_crop_frame
from .render import Config, render_sample

FIELDS = {
    "image": ((LANDMARK_INPUT, LANDMARK_INPUT, 3), np.uint8),
    "mask": ((LANDMARK_INPUT, LANDMARK_INPUT), np.uint8),
    "kp2d": ((21, 2), np.float32),
    "vis": ((21,), np.uint8),
    "kp3d": ((21, 3), np.float32),
    "joints3d": ((25, 3), np.float16),
    "vertices": ((1360, 3), np.float16),
    "params": ((51,), np.float32),
    "handedness": ((), np.uint8),
    "girth": ((), np.float32),
    "roi": ((5,), np.float32),
    "roi_exact": ((5,), np.float32),
    "cam": ((6,), np.float32),
    "index": ((), np.int64),
}


def _render(args):
    seed, i, cfg = args
    return render_sample(seed, i, cfg)


def stream(seed, start=0, count=None, workers=1, cfg: Config = Config(), chunk=4):
    """Samples seed/start, seed/start+1, ... (forever when count is None), in order."""

    def indices():
        i = start
        while count is None or i < start + count:
            yield (seed, i, cfg)
            i += 1

    if workers <= 1:
        for a in indices():
            yield _render(a)
        return
    ctx = mp.get_context("fork")
    with ctx.Pool(workers) as pool:
        for s in pool.imap(_render, indices(), chunksize=chunk):
            yield s


def sample_fields(s):
    """A Sample -> the shard's per-field arrays."""
    wrist = s.kp3d[0]
    return {
        "image": s.image,
        "mask": s.mask,
        "kp2d": s.kp2d,
        "vis": s.vis,
        "kp3d": s.kp3d,
        "joints3d": (s.joints3d - wrist).astype(np.float16),
        "vertices": (s.vertices - wrist).astype(np.float16),
        "params": s.params,
        "handedness": np.uint8(s.handedness),
        "girth": np.float32(s.girth),
        "roi": s.roi,
        "roi_exact": s.roi_exact,
        "cam": s.cam,
    }


def write_shard(path, samples, n, seed, cfg: Config = Config()):
    """Writes the first n samples of the iterable into a new shard folder (memmapped .npy files)."""
    os.makedirs(path, exist_ok=True)
    arrays = {k: np.lib.format.open_memmap(os.path.join(path, k + ".npy"), mode="w+", dtype=dt, shape=(n,) + shp) for k, (shp, dt) in FIELDS.items()}
    infos = []
    k = 0
    for s in samples:
        f = sample_fields(s)
        for name, a in arrays.items():
            if name == "index":
                continue
            a[k] = f[name]
        arrays["index"][k] = s.info.get("index", -1)
        infos.append(_jsonable(s.info))
        k += 1
        if k == n:
            break
    for a in arrays.values():
        a.flush()
    del arrays
    with open(os.path.join(path, "meta.json"), "w") as fh:
        json.dump({"format": "handsynth-shard", "version": 1, "count": k, "seed": seed, "config": asdict(cfg), "info": infos}, fh)
    return k


def _jsonable(d):
    out = {}
    for k, v in d.items():
        if isinstance(v, (np.floating, np.integer)):
            v = v.item()
        elif isinstance(v, tuple):
            v = list(v)
        out[k] = v
    return out


def render_shards(out_dir, seed, count, shard_size=1000, workers=2, start=0, cfg: Config = Config(), log=print):
    os.makedirs(out_dir, exist_ok=True)
    it = _indexed(stream(seed, start, count, workers, cfg), start)
    done = 0
    sh = 0
    while done < count:
        n = min(shard_size, count - done)
        path = os.path.join(out_dir, "shard-%05d" % ((start + done) // shard_size if start % shard_size == 0 else sh))
        write_shard(path, it, n, seed, cfg)
        done += n
        sh += 1
        if log:
            log("%s: %d samples (%d / %d)" % (path, n, done, count))
    return done


def _indexed(samples, start):
    for k, s in enumerate(samples):
        s.info["index"] = start + k
        yield s


class ShardReader:
    """Random access over one or more shard folders (memory-mapped)."""

    def __init__(self, paths):
        if isinstance(paths, str):
            paths = [paths]
        expanded = []
        for p in paths:
            if os.path.exists(os.path.join(p, "meta.json")):
                expanded.append(p)
            else:
                expanded += sorted(os.path.join(p, d) for d in os.listdir(p) if os.path.exists(os.path.join(p, d, "meta.json")))
        self.shards = []
        for p in expanded:
            with open(os.path.join(p, "meta.json")) as fh:
                meta = json.load(fh)
            arrs = {k: np.load(os.path.join(p, k + ".npy"), mmap_mode="r") for k in FIELDS}
            self.shards.append((p, meta, arrs))
        self.offsets = np.cumsum([0] + [m["count"] for _, m, _ in self.shards])

    def __len__(self):
        return int(self.offsets[-1])

    def __getitem__(self, i):
        s = int(np.searchsorted(self.offsets, i, side="right") - 1)
        j = i - self.offsets[s]
        _, meta, arrs = self.shards[s]
        out = {k: np.asarray(a[j]) for k, a in arrs.items()}
        wrist = out["kp3d"][0]
        out["joints3d"] = out["joints3d"].astype(np.float32) + wrist
        out["vertices"] = out["vertices"].astype(np.float32) + wrist
        return out


def dense_targets(item, size=56, sigma=1.5):
    """Heat maps (21, S, S), POF (63, S, S) + validity (21, S, S), mask at S (float 0..1), for a shard
    item or a Sample (attribute or key access)."""
    get = (lambda k: item[k]) if isinstance(item, dict) else (lambda k: getattr(item, k))
    kp2d = np.asarray(get("kp2d"), np.float64)
    kp3d = to_crop_frame(np.asarray(get("kp3d"), np.float64), float(get("roi")[4]))
    hm = heatmaps(kp2d, size, sigma)
    pf, valid = pof(kp2d, kp3d, size)
    m = np.asarray(get("mask"), np.float32) / 255.0
    if size != m.shape[0]:
        k = m.shape[0] // size
        m = m[: k * size, : k * size].reshape(size, k, size, k).mean(axis=(1, 3))
    return {"heatmaps": hm, "pof": pf, "pof_valid": valid, "mask": m}
