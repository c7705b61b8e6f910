"""Validation metrics of the heads on synthetic data (real-image figures come from `hands eval`)."""
from __future__ import annotations

import torch

from handsynth.geometry import LANDMARK_INPUT
from handsynth.model import SKELETON

from .fk_torch import regressed_to_3d, rodrigues
from .losses import param_target


def soft_argmax(hm: torch.Tensor, radius: int = 2) -> torch.Tensor:
    """[B, K, S, S] -> [B, K, 2] in crop px (LANDMARK_INPUT): the peak refined by a weighted mean in a window
    (the same rule as src/core/multitask/decodeHeatmaps.ts)."""
    b, k, s, _ = hm.shape
    flat = hm.reshape(b, k, -1)
    idx = flat.argmax(-1)
    py, px = idx // s, idx % s
    offs = torch.arange(-radius, radius + 1)
    ys = (py[..., None] + offs).clamp(0, s - 1)  # [B, K, W]
    xs = (px[..., None] + offs).clamp(0, s - 1)
    win = hm.gather(2, ys[..., :, None].expand(b, k, len(offs), s)).gather(3, xs[..., None, :].expand(b, k, len(offs), len(offs)))
    w = win.clamp_min(0)
    tot = w.sum(dim=(-1, -2)).clamp_min(1e-9)
    ex = (w * (xs[..., None, :].float() + 0.5)).sum(dim=(-1, -2)) / tot
    ey = (w * (ys[..., :, None].float() + 0.5)).sum(dim=(-1, -2)) / tot
    return torch.stack([ex, ey], -1) * (LANDMARK_INPUT / s)


def mask_iou(logit: torch.Tensor, tgt: torch.Tensor) -> torch.Tensor:
    p = logit > 0
    g = tgt >= 0.5
    inter = (p & g).sum(dim=(1, 2)).float()
    union = (p | g).sum(dim=(1, 2)).float().clamp_min(1)
    return inter / union


PARENT = [-1, 0, 1, 2, 3, 0, 5, 6, 7, 5, 9, 10, 11, 9, 13, 14, 15, 0, 17, 18, 19]
POF_SAMPLES = (0.25, 0.4, 0.5, 0.6, 0.75)


def pof_to_3d(pof: torch.Tensor, kp2d: torch.Tensor, kp3d: torch.Tensor, crop: int = LANDMARK_INPUT) -> torch.Tensor:
    """The POF read the way src/core/multitask/pofTo3d.ts reads it (mean of the field at points
    along each 2D bone, nearest pixel), chained from the wrist with the TRUE bone lengths and the
    true 2D keypoints, so the figure isolates the predicted 3D directions. -> [B, 21, 3], wrist at 0."""
    b, _, s, _ = pof.shape
    out = torch.zeros(b, 21, 3)
    ar = torch.arange(b)
    for child in range(1, 21):
        parent = PARENT[child]
        bone = next(i for i, (p, c) in enumerate(SKELETON) if {p, c} == {parent, child})
        a, c = SKELETON[bone]
        v = torch.zeros(b, 3)
        for t in POF_SAMPLES:
            pt = (kp2d[:, a] + t * (kp2d[:, c] - kp2d[:, a])) * (s / crop) - 0.5
            xi = pt[:, 0].round().long().clamp(0, s - 1)
            yi = pt[:, 1].round().long().clamp(0, s - 1)
            v += pof[ar, 3 * bone : 3 * bone + 3, yi, xi]
        v /= len(POF_SAMPLES)
        z = v[:, 2].clamp(-1, 1)
        n2 = v[:, :2].norm(dim=-1).clamp_min(1e-9)
        d = torch.cat([v[:, :2] / n2[:, None] * (1 - z * z).clamp_min(0).sqrt()[:, None], z[:, None]], 1)
        sign = 1.0 if a == parent else -1.0
        length = (kp3d[:, child] - kp3d[:, parent]).norm(dim=-1, keepdim=True)
        out[:, child] = out[:, parent] + sign * length * d
    return out


def batch_errors(out: dict, batch: dict) -> dict:
    """Per-item errors of one stage's outputs on a batch of validation taps (hiu.data):
    'kp_px' (heat-map keypoints, crops with every keypoint inside only), 'mask_iou' (per crop),
    'pof_mm' (POF 3D per joint, see pof_to_3d) and, with the regressor, 'rot_deg' (global rotation
    per crop), 'pose_deg' and 'shape' (per parameter), 'regressor_mm' (its FK joints, root-relative)."""
    kp2d = batch["kp2d"]
    inside = ((kp2d >= 0) & (kp2d < LANDMARK_INPUT)).all(-1)
    errors = {"kp_px": (soft_argmax(out["heatmaps"]) - kp2d).norm(dim=-1)[inside], "mask_iou": mask_iou(out["mask"][:, 0], batch["mask56"])}
    kp3d = batch["kp3d_crop"].float()
    root_relative = kp3d - kp3d[:, :1]
    if "pof" in out:
        errors["pof_mm"] = 1000 * (pof_to_3d(out["pof"], kp2d.float(), kp3d) - root_relative).norm(dim=-1).flatten()
    if "params" in out:
        params, target = out["params"], param_target(batch)
        rel = rodrigues(params[:, :3]).transpose(1, 2) @ rodrigues(target[:, :3])
        cos = ((rel.diagonal(dim1=1, dim2=2).sum(-1) - 1) / 2).clamp(-1, 1)
        errors["rot_deg"] = torch.rad2deg(torch.acos(cos))
        errors["pose_deg"] = torch.rad2deg((params[:, 3:27] - target[:, 3:27]).abs()).flatten()
        errors["shape"] = (params[:, 27:] - target[:, 27:]).abs().flatten()
        joints, _ = regressed_to_3d(params, batch["handedness"] == 1, vertices=False)
        errors["regressor_mm"] = 1000 * (joints - root_relative).norm(dim=-1).flatten()
    return errors


def summarise(errors: list) -> dict:
    """batch_errors of several batches -> the validation figures (means; medians where named)."""
    cat = {key: torch.cat([e[key] for e in errors]) for key in errors[0]}
    m = {"kp_mean_px": float(cat["kp_px"].mean()), "kp_median_px": float(cat["kp_px"].median()), "mask_iou": float(cat["mask_iou"].mean())}
    if "pof_mm" in cat:  # the POF's 3D with true 2D and bone lengths: root-relative mean joint error (mm)
        m["pof_mpjpe_mm"] = float(cat["pof_mm"].mean())
    if "rot_deg" in cat:
        m.update(
            {
                "rot_mean_deg": float(cat["rot_deg"].mean()),
                "rot_median_deg": float(cat["rot_deg"].median()),
                "pose_mae_deg": float(cat["pose_deg"].mean()),
                "shape_mae": float(cat["shape"].mean()),
                "regressor_mpjpe_mm": float(cat["regressor_mm"].mean()),
            }
        )
    return m
