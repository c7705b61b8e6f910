"""Targets of the mesh-parameter regressor, added to cached tap shards (taps.py): the hand's global
rotation in the crop-aligned camera axes (the regressor sees the crop, not the camera).

The shards keep the parameters in the camera frame and the 3D joints in the crop frame
(p_crop = C p_cam, C an in-plane rotation by the ROI angle), so C is recovered per sample from the
forward kinematics' joints (wrist-relative, fingertips left out: they depend on the render's finger
girth) by a 2D Procrustes about z, and R_crop = C R. Writes `rot_crop.npy` (N, 3 axis-angle) per shard
and prints the worst joint residual of the check C FK(params) == kp3d_crop.

    /usr/bin/python3 -m hiu.regress_targets ../.cache/hiu/taps/train ../.cache/hiu/taps/val
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from handsynth.model import HandParams, forward, load_hand_model, rotation_from_vector, vector_from_rotation

TIPS = (4, 8, 12, 16, 20)
BODY = [k for k in range(21) if k not in TIPS]


def unpack(p: np.ndarray, handedness: str, model) -> HandParams:
    d, s = model.num_dofs, model.num_shapes
    return HandParams(
        handedness, p[0:3].astype(float), p[3:6].astype(float), p[6 : 6 + d].astype(float), p[6 + d : 6 + d + s].astype(float), float(p[6 + d + s])
    )


def crop_rotation_of(params: np.ndarray, handedness: str, kp3d_crop: np.ndarray, models) -> tuple[np.ndarray, float]:
    m = models[handedness]
    hp = unpack(params, handedness, m)
    cam = forward(m, hp, vertices=False).keypoints
    a = (cam[BODY] - cam[0])[:, :2]
    b = (kp3d_crop[BODY] - kp3d_crop[0])[:, :2]
    # angle of the z-rotation taking a onto b (least squares)
    th = np.arctan2((a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]).sum(), (a * b).sum())
    c, s = np.cos(th), np.sin(th)
    C = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    resid = np.abs(cam[BODY] @ C.T - kp3d_crop[BODY]).max()
    return vector_from_rotation(C @ rotation_from_vector(hp.global_rotation)), float(resid)


def main() -> None:
    models = {"right": load_hand_model("right"), "left": load_hand_model("left")}
    for root in sys.argv[1:]:
        for shard in sorted(p for p in Path(root).iterdir() if (p / "labels.npz").exists()):
            lab = np.load(shard / "labels.npz")
            n = len(lab["params"])
            out = np.zeros((n, 3), np.float32)
            worst = 0.0
            for i in range(n):
                hand = "left" if lab["handedness"][i] == 1 else "right"  # 0 right, 1 left (handsynth.dataset)
                out[i], r = crop_rotation_of(lab["params"][i], hand, lab["kp3d_crop"][i], models)
                worst = max(worst, r)
            np.save(shard / "rot_crop.npy", out)
            print(f"{shard}: {n} samples, worst joint residual {worst * 1000:.3f} mm", flush=True)


if __name__ == "__main__":
    main()
