"""Losses of the multi-task heads (every stage supervised)."""
from __future__ import annotations

import torch
import torch.nn.functional as F

from .targets import heatmaps, pof

WEIGHTS = {'heatmaps': 1.0, 'mask': 1.0, 'pof': 1.0}


def stage_losses(out: dict, batch: dict, targets: dict) -> dict:
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
    return {'heatmaps': hm, 'mask': mask, 'pof': pf}


def total_loss(outs: list[dict], batch: dict) -> tuple[torch.Tensor, dict]:
    kp2d = batch['kp2d'].float()
    t = {'heatmaps': heatmaps(kp2d)}
    t['pof'], t['pof_valid'] = pof(kp2d, batch['kp3d_crop'].float())
    parts: dict[str, float] = {}
    loss = torch.zeros(())
    for k, o in enumerate(outs):
        l = stage_losses(o, batch, t)
        for name, v in l.items():
            loss = loss + WEIGHTS[name] * v
            parts[f's{k + 1}.{name}'] = float(v)
    return loss, parts
