"""Caches the frozen encoder's feature taps (and compact labels) for rendered shards.

The encoder is the landmark network itself (frozen), so its taps are computed once per sample by
the PyTorch port (parity-tested against TF.js) and stored in fp16; the heads then train on them at
~10x the speed of re-running the encoder. Run AFTER rendering (two busy processes on two cores slow
each other ~5x):

    LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/bin/python3 -m hiu.taps \
        --shards ../.cache/handsynth/train --out ../.cache/hiu/taps/train

Beside the taps it keeps the landmark network's own keypoints (lm_kp2d.npy), which heads with the
keypoint prior read; `--add-keypoints` adds them to shards cached before it did.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np
import torch

from handsynth.dataset import ShardReader
from handsynth.geometry import LANDMARK_INPUT
from handsynth.labels import to_crop_frame

from .model import TAPS_FULL

REPO = Path(__file__).resolve().parents[2]
MODEL_JSON = REPO / "models" / "handlandmark-full.json"
LANDMARKS = "Identity"  # the landmark network's keypoints, 21 x (x, y, z) in crop px


def mask56(mask_crop: np.ndarray) -> np.ndarray:
    """Hand coverage 0..255 at the crop size -> 56 (box filter), uint8."""
    k = LANDMARK_INPUT // 56
    return mask_crop.reshape(-1, 56, k, 56, k).mean(axis=(2, 4)).round().astype(np.uint8)


def cache_shard(graph, shard_dir: Path, out_dir: Path, batch: int = 32) -> float:
    r = ShardReader(str(shard_dir))
    meta = r.shards[0][1]
    arrs = r.shards[0][2]
    n = len(r)
    out_dir.mkdir(parents=True, exist_ok=True)
    taps = {
        res: np.lib.format.open_memmap(out_dir / f"t{res}.npy", mode="w+", dtype=np.float16, shape=(n, res, res, ch))
        for res, ch in ((56, 24), (28, 40), (14, 112), (7, 192))
    }
    lm_kp = np.zeros((n, 21, 3), np.float32)
    t0 = time.time()
    with torch.no_grad():
        for i in range(0, n, batch):
            x = torch.from_numpy(np.asarray(arrs["image"][i : i + batch], np.float32) / 255.0)
            out = graph(x, list(TAPS_FULL.values()) + [LANDMARKS])
            for res, name in TAPS_FULL.items():
                taps[res][i : i + batch] = out[name].numpy().astype(np.float16)
            lm_kp[i : i + batch] = out[LANDMARKS].reshape(-1, 21, 3).numpy()
    for t in taps.values():
        t.flush()
    np.save(out_dir / "lm_kp2d.npy", lm_kp)  # the heads' keypoint prior (model.prior_maps)
    # compact labels: what the losses need
    kp2d = np.asarray(arrs["kp2d"], np.float32)
    kp3d = np.asarray(arrs["kp3d"], np.float64)
    roi = np.asarray(arrs["roi"], np.float64)
    kp3d_crop = np.stack([to_crop_frame(kp3d[j], roi[j, 4]) for j in range(n)]).astype(np.float32)
    np.savez(
        out_dir / "labels.npz",
        kp2d=kp2d,
        kp3d_crop=kp3d_crop,
        vis=np.asarray(arrs["vis"]),
        mask56=mask56(np.asarray(arrs["mask"])),
        handedness=np.asarray(arrs["handedness"]),
        params=np.asarray(arrs["params"], np.float32),
    )
    (out_dir / "meta.json").write_text(json.dumps({"count": n, "source": str(shard_dir), "seed": meta.get("seed"), "taps": TAPS_FULL}))
    return n / (time.time() - t0)


def landmark_outputs(shards: str, name: str, batch: int = 50, graph=None) -> np.ndarray:
    """One output of the landmark network ('Identity': keypoints in crop px, 'Identity_3': world
    landmarks in metres, crop axes) on every rendered crop under `shards`, as [N, 21, 3]."""
    from .tfjs_graph import TfjsGraph

    graph = graph or TfjsGraph(MODEL_JSON).eval()
    out = []
    with torch.no_grad():
        for _, _, arrs in ShardReader(shards).shards:
            for i in range(0, len(arrs["image"]), batch):
                x = torch.from_numpy(np.asarray(arrs["image"][i : i + batch], np.float32) / 255.0)
                out.append(graph(x, [name])[name].reshape(-1, 21, 3).numpy())
    return np.concatenate(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shards", help="rendered shards (required unless --add-keypoints)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--add-keypoints", action="store_true", help="only add lm_kp2d.npy to the tap shards under --out")
    a = ap.parse_args()
    if a.add_keypoints:
        return add_landmark_keypoints([a.out], a.threads)
    if not a.shards:
        ap.error("--shards is required")
    torch.set_num_threads(a.threads)
    from .tfjs_graph import TfjsGraph

    graph = TfjsGraph(MODEL_JSON).eval()
    shards = sorted(p for p in Path(a.shards).iterdir() if (p / "meta.json").exists())
    for s in shards:
        out = Path(a.out) / s.name
        if (out / "meta.json").exists():
            continue
        rate = cache_shard(graph, s, out)
        print(f"{out}: {rate:.0f} img/s", flush=True)


def add_landmark_keypoints(tap_roots: list[str], threads: int = 2) -> None:
    """lm_kp2d.npy for tap shards cached before cache_shard wrote it (their renders must still be
    where meta.json's `source` says)."""
    from .tfjs_graph import TfjsGraph

    torch.set_num_threads(threads)
    graph = TfjsGraph(MODEL_JSON).eval()
    for root in tap_roots:
        for p in sorted(Path(root).iterdir()):
            if not (p / "meta.json").exists() or (p / "lm_kp2d.npy").exists():
                continue
            t0 = time.time()
            kp = landmark_outputs(json.loads((p / "meta.json").read_text())["source"], LANDMARKS, graph=graph)
            np.save(p / "lm_kp2d.npy", kp.astype(np.float32))
            print(f"{p}: {len(kp) / (time.time() - t0):.0f} img/s", flush=True)


if __name__ == "__main__":
    main()
