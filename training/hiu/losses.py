"""Losses of the multi-task heads (every stage supervised)."""
from __future__ import annotations

import torch
import torch.nn.functional as F

from .fk_torch import regressed_to_3d, rodrigues
from .targets import heatmaps, pof

WEIGHTS = {"heatmaps": 1.0, "mask": 1.0, "pof": 1.0, "params": 1.0}


def param_target(batch: dict) -> torch.Tensor:
    """[rot_crop 3 | pose 24 | bone scales - 1 | global scale - 1] (model.N_PARAMS) from the labels'
    camera-frame [rot 3 | trans 3 | pose 24 | shape 20 | scale 1]."""
    p = batch["params"].float()
    return torch.cat([batch["rot_crop"].float(), p[:, 6:30], p[:, 30:51] - 1], 1)


# the regressor's 3D terms (cm L1 per coordinate, so ~1 at the start like the parameter terms)
W_JOINTS, W_VERTICES = 1.0, 0.5


def param_loss(pred: torch.Tensor, target: torch.Tensor, geometry: dict | None = None) -> torch.Tensor:
    """Rotation as matrices (axis-angle is not unique), pose angles and shape scales as L1; with
    `geometry` (targets 'joints3d', 'vertices', 'left'), also the forward kinematics' 21 joints and
    mesh vertices against the truth (wrist-relative, crop axes): what the fit will be judged on."""
    rot = ((rodrigues(pred[:, :3]) - rodrigues(target[:, :3])) ** 2).sum(dim=(1, 2)).mean()
    pose = (pred[:, 3:27] - target[:, 3:27]).abs().mean()
    shape = (pred[:, 27:] - target[:, 27:]).abs().mean()
    loss = rot + pose + 4 * shape
    if geometry is not None:
        kp, verts = regressed_to_3d(pred, geometry["left"])
        loss = loss + W_JOINTS * 100 * (kp - geometry["joints3d"]).abs().mean() + W_VERTICES * 100 * (verts - geometry["vertices"]).abs().mean()
    return loss


def geometry_targets(batch: dict, target: torch.Tensor) -> dict:
    """The 3D truth for param_loss: labelled joints (wrist-relative) and the target's vertices."""
    left = batch["handedness"] == 1  # 0 right, 1 left (handsynth.dataset)
    k3 = batch["kp3d_crop"].float()
    with torch.no_grad():
        _, verts = regressed_to_3d(target, left)
    return {"left": left, "joints3d": k3 - k3[:, :1], "vertices": verts}


def stage_losses(out: dict, batch: dict, targets: dict, tasks=("heatmaps", "mask", "pof", "params")) -> dict:
    if tasks == ("params",):
        return {"params": param_loss(out["params"], targets["params"], targets.get("geometry"))}
    # heat maps: squared error summed over each map, mean over maps (a map's target energy ~3.5)
    hm = ((out["heatmaps"] - targets["heatmaps"]) ** 2).sum(dim=(2, 3)).mean()
    # mask: BCE on the logits + soft Dice on the probabilities (target: coverage 0..1)
    logit = out["mask"][:, 0]
    tgt = batch["mask56"]
    bce = F.binary_cross_entropy_with_logits(logit, tgt)
    p = torch.sigmoid(logit)
    dice = 1 - (2 * (p * tgt).sum(dim=(1, 2)) + 1) / (p.sum(dim=(1, 2)) + tgt.sum(dim=(1, 2)) + 1)
    mask = bce + dice.mean()
    # POF: L1 on each bone's band
    valid = targets["pof_valid"].repeat_interleave(3, dim=1)
    pf = ((out["pof"] - targets["pof"]).abs() * valid).sum() / valid.sum().clamp_min(1)
    out_l = {"heatmaps": hm, "mask": mask, "pof": pf}
    if "params" in targets:
        out_l["params"] = param_loss(out["params"], targets["params"], targets.get("geometry"))
    return out_l


def total_loss(
    outs: list[dict], batch: dict, tasks: tuple[str, ...] = ("heatmaps", "mask", "pof", "params"), geometry: bool = False
) -> tuple[torch.Tensor, dict]:
    """Sum over stages of the losses of `tasks` (the dense targets are only built when used);
    `geometry`: the regressor is also trained on its joints and vertices (param_loss)."""
    kp2d = batch["kp2d"].float()
    t = {}
    if "heatmaps" in tasks:
        t["heatmaps"] = heatmaps(kp2d)
    if "pof" in tasks:
        t["pof"], t["pof_valid"] = pof(kp2d, batch["kp3d_crop"].float())
    if "params" in tasks and "params" in outs[0]:
        t["params"] = param_target(batch)
        if geometry:
            t["geometry"] = geometry_targets(batch, t["params"])
    parts: dict[str, float] = {}
    loss = torch.zeros(())
    for k, o in enumerate(outs):
        l = stage_losses(o, batch, t, tasks)
        for name, v in l.items():
            loss = loss + WEIGHTS[name] * v
            parts[f"s{k + 1}.{name}"] = float(v)
    return loss, parts
