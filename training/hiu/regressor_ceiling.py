"""How well can anything read the hand's 3D rotation from these synthetic crops? The mesh
regressor's rotation error next to MediaPipe's own world landmarks on the same crops (the
landmark network, trained on real hands, through the parity-tested PyTorch port of its graph):
for each, the rotation taking its wrist-relative 3D joints onto the truth (Procrustes, proper
rotations only), and the mean joint error before alignment.

    /usr/bin/python3 -m hiu.regressor_ceiling ../.cache/hiu/all-geo/last.pt \
        ../.cache/handsynth/val ../.cache/hiu/taps/val
"""
from __future__ import annotations

import json
import sys

import numpy as np
import torch

from .data import find_shards, to_batch
from .fk_torch import regressed_to_3d
from .model import MultiTaskHeads
from .taps import landmark_outputs


def procrustes_rotation_deg(a: np.ndarray, b: np.ndarray) -> float:
    """Angle of the proper rotation that best maps point set a onto b (both centred here)."""
    A, B = a - a.mean(0), b - b.mean(0)
    U, _, Vt = np.linalg.svd(A.T @ B)
    D = np.diag([1.0, 1.0, np.sign(np.linalg.det(U @ Vt))])
    R = (U @ D @ Vt).T
    return float(np.degrees(np.arccos(np.clip((np.trace(R) - 1) / 2, -1, 1))))


def summary(pred: np.ndarray, truth: np.ndarray) -> dict:
    rot = np.array([procrustes_rotation_deg(p, t) for p, t in zip(pred, truth)])
    return {
        "rotation_mean_deg": round(float(rot.mean()), 1),
        "rotation_median_deg": round(float(np.median(rot)), 1),
        "share_over_45_deg": round(float((rot > 45).mean()), 3),
        "mpjpe_mm": round(float(1000 * np.linalg.norm(pred - truth, axis=-1).mean()), 1),
    }


def main() -> None:
    torch.set_num_threads(2)
    m = MultiTaskHeads.from_checkpoint(sys.argv[1])
    world = landmark_outputs(sys.argv[2], "Identity_3")
    reg, truth = [], []
    with torch.no_grad():
        for s in find_shards(sys.argv[3]):
            taps = {r: np.asarray(t) for r, t in s.taps().items()}
            for i in range(0, s.count, 100):
                b = to_batch(taps, s.labels, np.arange(i, min(i + 100, s.count)))
                kp, _ = regressed_to_3d(m.on_batch(b, dense=False)[-1]["params"], b["handedness"] == 1, vertices=False)
                reg.append(kp.numpy())
                truth.append(b["kp3d_crop"].numpy())
    rel = lambda a: a - a[:, :1]
    world, reg, truth = rel(world), np.concatenate(reg), rel(np.concatenate(truth))
    print(json.dumps({"crops": len(truth), "mesh_regressor": summary(reg, truth), "mediapipe_world_landmarks": summary(world, truth)}))


if __name__ == "__main__":
    main()
