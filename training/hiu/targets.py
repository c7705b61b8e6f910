"""Dense training targets in torch, batched, from compact labels (the same definitions as
handsynth/labels.py, which the tests check numerically): heat maps and POF at 56x56."""
from __future__ import annotations

import torch

from handsynth.geometry import LANDMARK_INPUT
from handsynth.model import SKELETON

BONES = torch.tensor(SKELETON)


def heatmaps(kp2d: torch.Tensor, size: int = 56, sigma: float = 1.5) -> torch.Tensor:
    """kp2d [B, 21, 2] crop px -> [B, 21, S, S] Gaussians (0 for keypoints outside the crop)."""
    s = size / LANDMARK_INPUT
    g = torch.arange(size, dtype=kp2d.dtype, device=kp2d.device) + 0.5
    kx = kp2d[..., 0:1] * s
    ky = kp2d[..., 1:2] * s
    gx = torch.exp(-((g - kx) ** 2) / (2 * sigma * sigma))  # [B, 21, S]
    gy = torch.exp(-((g - ky) ** 2) / (2 * sigma * sigma))
    out = gy[..., :, None] * gx[..., None, :]
    inside = (kp2d[..., 0] >= 0) & (kp2d[..., 0] < LANDMARK_INPUT) & (kp2d[..., 1] >= 0) & (kp2d[..., 1] < LANDMARK_INPUT)
    return out * inside[..., None, None]


def pof(kp2d: torch.Tensor, kp3d_crop: torch.Tensor, size: int = 56, band: float = 1.5):
    """-> POF [B, 63, S, S] ((ux, uy, z) per bone) and validity [B, 21, S, S] (float 0/1)."""
    a, b = BONES[:, 0], BONES[:, 1]
    d3 = kp3d_crop[:, b] - kp3d_crop[:, a]
    n3 = d3.norm(dim=-1, keepdim=True)
    u3 = d3 / n3.clamp_min(1e-12)
    d2 = kp2d[:, b] - kp2d[:, a]
    n2 = d2.norm(dim=-1, keepdim=True)
    alt = u3[..., :2] / u3[..., :2].norm(dim=-1, keepdim=True).clamp_min(1e-12)
    u2 = torch.where(n2 > 1e-3, d2 / n2.clamp_min(1e-12), alt)
    valid = (n3[..., 0] > 1e-9) & (u2.norm(dim=-1) > 0.5)
    s = size / LANDMARK_INPUT
    g = torch.arange(size, dtype=kp2d.dtype) + 0.5
    yy, xx = torch.meshgrid(g, g, indexing="ij")
    P = torch.stack([xx, yy], -1)[None, None]  # [1, 1, S, S, 2]
    A = (kp2d[:, a] * s)[:, :, None, None, :]
    AB = ((kp2d[:, b] - kp2d[:, a]) * s)[:, :, None, None, :]
    L2 = (AB**2).sum(-1).clamp_min(1e-9)
    t = (((P - A) * AB).sum(-1) / L2).clamp(0, 1)
    d = (P - (A + t[..., None] * AB)).norm(dim=-1)
    m = ((d <= band) & valid[:, :, None, None]).to(kp2d.dtype)  # [B, 21, S, S]
    vec = torch.cat([u2, u3[..., 2:3]], -1)  # [B, 21, 3]
    out = vec[:, :, :, None, None] * m[:, :, None]
    return out.reshape(kp2d.shape[0], 63, size, size), m
