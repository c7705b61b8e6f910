"""Batches of cached encoder taps + compact labels (see taps.py), shard by shard.

Taps are memory-mapped fp16; a shard (1000 samples, ~270 MB) is read whole and shuffled in RAM,
two shards at a time, so the disk is read sequentially while batches still mix sources.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

RES = (56, 28, 14, 7)


class TapShard:
    def __init__(self, path: Path):
        self.path = path
        self.count = json.loads((path / "meta.json").read_text())["count"]
        self.labels = dict(np.load(path / "labels.npz"))
        if (path / "rot_crop.npy").exists():  # the mesh regressor's rotation target (regress_targets.py)
            self.labels["rot_crop"] = np.load(path / "rot_crop.npy")
        if (path / "lm_kp2d.npy").exists():  # the landmark network's own keypoints (hiu.taps --add-keypoints)
            self.labels["lm_kp2d"] = np.load(path / "lm_kp2d.npy")

    def taps(self) -> dict[int, np.ndarray]:
        return {r: np.load(self.path / f"t{r}.npy", mmap_mode="r") for r in RES}


def find_shards(root: str | Path) -> list[TapShard]:
    return [TapShard(p) for p in sorted(Path(root).iterdir()) if (p / "meta.json").exists()]


def to_batch(taps: dict[int, np.ndarray], labels: dict[str, np.ndarray], idx: np.ndarray) -> dict:
    """NHWC fp16 taps -> NCHW float32 tensors; labels -> tensors."""
    b = {r: torch.from_numpy(np.ascontiguousarray(taps[r][idx])).float().permute(0, 3, 1, 2).contiguous() for r in RES}
    out = {"taps": b}
    for k in ("kp2d", "kp3d_crop", "vis", "mask56", "handedness", "params", "rot_crop", "lm_kp2d"):
        if k in labels:
            out[k] = torch.from_numpy(labels[k][idx])
    out["mask56"] = out["mask56"].float() / 255.0
    return out


def batches(shards: list[TapShard], batch: int, rng: np.random.Generator, pair: int = 2):
    """One epoch of shuffled batches."""
    order = rng.permutation(len(shards))
    for g in range(0, len(order), pair):
        group = [shards[i] for i in order[g : g + pair]]
        taps = [{r: np.asarray(t) for r, t in s.taps().items()} for s in group]  # read whole shards
        merged_taps = {r: np.concatenate([t[r] for t in taps]) for r in RES}
        merged_labels = {k: np.concatenate([s.labels[k] for s in group]) for k in group[0].labels}
        perm = rng.permutation(len(merged_labels["kp2d"]))
        for i in range(0, len(perm) - batch + 1, batch):
            yield to_batch(merged_taps, merged_labels, np.sort(perm[i : i + batch]))
