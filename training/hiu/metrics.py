"""Validation metrics of the heads on synthetic data (real-image figures come from `hands eval`)."""
from __future__ import annotations

import torch


def soft_argmax(hm: torch.Tensor, radius: int = 2) -> torch.Tensor:
    """[B, K, S, S] -> [B, K, 2] in crop px (224): the peak refined by a weighted mean in a window
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
    return torch.stack([ex, ey], -1) * (224 / s)


def mask_iou(logit: torch.Tensor, tgt: torch.Tensor) -> torch.Tensor:
    p = logit > 0
    g = tgt >= 0.5
    inter = (p & g).sum(dim=(1, 2)).float()
    union = (p | g).sum(dim=(1, 2)).float().clamp_min(1)
    return inter / union
