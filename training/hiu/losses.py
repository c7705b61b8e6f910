"""Losses of the multi-task heads (every stage supervised)."""
from __future__ import annotations

import torch
import torch.nn.functional as F

from .targets import heatmaps, pof

WEIGHTS = {'heatmaps': 1.0, 'mask': 1.0, 'pof': 1.0, 'params': 1.0}


def rodrigues(r: torch.Tensor) -> torch.Tensor:
    """[B, 3] axis-angle -> [B, 3, 3] (differentiable at 0 through the small-angle form)."""
    th = r.norm(dim=-1, keepdim=True).clamp_min(1e-8)
    k = r / th
    K = torch.zeros(r.shape[0], 3, 3, dtype=r.dtype)
    K[:, 0, 1], K[:, 0, 2], K[:, 1, 2] = -k[:, 2], k[:, 1], -k[:, 0]
    K = K - K.transpose(1, 2)
    s, c = torch.sin(th)[..., None], torch.cos(th)[..., None]
    return torch.eye(3)[None] + s * K + (1 - c) * (K @ K)


def param_target(batch: dict) -> torch.Tensor:
    """[rot_crop 3 | pose 24 | bone scales - 1 | global scale - 1] (model.N_PARAMS) from the labels'
    camera-frame [rot 3 | trans 3 | pose 24 | shape 20 | scale 1]."""
    p = batch['params'].float()
    return torch.cat([batch['rot_crop'].float(), p[:, 6:30], p[:, 30:51] - 1], 1)


def param_loss(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Rotation as matrices (axis-angle is not unique), pose angles and shape scales as L1."""
    rot = ((rodrigues(pred[:, :3]) - rodrigues(target[:, :3])) ** 2).sum(dim=(1, 2)).mean()
    pose = (pred[:, 3:27] - target[:, 3:27]).abs().mean()
    shape = (pred[:, 27:] - target[:, 27:]).abs().mean()
    return rot + pose + 4 * shape


def stage_losses(out: dict, batch: dict, targets: dict, tasks=('heatmaps', 'mask', 'pof', 'params')) -> dict:
    if tasks == ('params',):
        return {'params': param_loss(out['params'], targets['params'])}
    # heat maps: squared error summed over each map, mean over maps (a map's target energy ~3.5)
    hm = ((out['heatmaps'] - targets['heatmaps']) ** 2).sum(dim=(2, 3)).mean()
    # mask: BCE on the logits + soft Dice on the probabilities (target: coverage 0..1)
    logit = out['mask'][:, 0]
    tgt = batch['mask56']
    bce = F.binary_cross_entropy_with_logits(logit, tgt)
    p = torch.sigmoid(logit)
    dice = 1 - (2 * (p * tgt).sum(dim=(1, 2)) + 1) / (p.sum(dim=(1, 2)) + tgt.sum(dim=(1, 2)) + 1)
    mask = bce + dice.mean()
    # POF: L1 on each bone's band
    valid = targets['pof_valid'].repeat_interleave(3, dim=1)
    pf = ((out['pof'] - targets['pof']).abs() * valid).sum() / valid.sum().clamp_min(1)
    out_l = {'heatmaps': hm, 'mask': mask, 'pof': pf}
    if 'params' in targets:
        out_l['params'] = param_loss(out['params'], targets['params'])
    return out_l


def total_loss(outs: list[dict], batch: dict, tasks: tuple[str, ...] = ('heatmaps', 'mask', 'pof', 'params')) -> tuple[torch.Tensor, dict]:
    """Sum over stages of the losses of `tasks` (the dense targets are only built when used)."""
    kp2d = batch['kp2d'].float()
    t = {}
    if 'heatmaps' in tasks:
        t['heatmaps'] = heatmaps(kp2d)
    if 'pof' in tasks:
        t['pof'], t['pof_valid'] = pof(kp2d, batch['kp3d_crop'].float())
    if 'params' in tasks and 'params' in outs[0]:
        t['params'] = param_target(batch)
    parts: dict[str, float] = {}
    loss = torch.zeros(())
    for k, o in enumerate(outs):
        l = stage_losses(o, batch, t, tasks)
        for name, v in l.items():
            loss = loss + WEIGHTS[name] * v
            parts[f's{k + 1}.{name}'] = float(v)
    return loss, parts
