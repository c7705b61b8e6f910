"""Measures rules for fusing the heads' heat-map keypoints with the landmark network's regression,
on synthetic validation crops only (real images measure a chosen rule; they never tune it):
each alone, their mean, an agreement gate (mean where they agree within G crop px, else the
regression), and the heat map's weight as a clamped line in its peak value (least squares).

Measured (abl-single, 1000 crops): regression 15.58 px, heat maps 13.90, mean 13.74, any gate
worse than the mean, peak-weighted 13.47 (w = clamp(0.259 + 0.734 peak)). On hgcnn the
peak-weighted rule was worse than the mean (7.09 vs 6.96 px): synthetic crops do not show how
the heat maps fail on real ones, so the app keeps the mean (src/core/multitask/decodeHeads.ts).

    /usr/bin/python3 -m hiu.fusion_calib ../.cache/hiu/abl-single/last.pt \
        ../.cache/handsynth/val ../.cache/hiu/taps/val
"""
from __future__ import annotations

import json
import sys

import numpy as np
import torch

from handsynth.geometry import LANDMARK_INPUT

from .data import find_shards, to_batch
from .metrics import soft_argmax
from .model import MultiTaskHeads
from .taps import landmark_outputs

GATES = (4, 6, 8, 10, 12, 16, 20, 24, 32, 48, 1e9)


def main() -> None:
    torch.set_num_threads(2)
    m = MultiTaskHeads.from_checkpoint(sys.argv[1])
    reg = torch.from_numpy(landmark_outputs(sys.argv[2], "Identity")[..., :2]).double()
    hms, gts, peaks = [], [], []
    with torch.no_grad():
        for s in find_shards(sys.argv[3]):
            taps = {r: np.asarray(t) for r, t in s.taps().items()}
            for i in range(0, s.count, 100):
                b = to_batch(taps, s.labels, np.arange(i, min(i + 100, s.count)))
                h = m.on_batch(b)[-1]["heatmaps"]
                hms.append(soft_argmax(h).double())
                peaks.append(h.flatten(2).amax(-1).double())
                gts.append(b["kp2d"].double())
    hm, gt, peak = torch.cat(hms), torch.cat(gts), torch.cat(peaks)
    assert hm.shape == reg.shape, (hm.shape, reg.shape)
    inside = ((gt >= 0) & (gt < LANDMARK_INPUT)).all(-1)

    def err(p: torch.Tensor) -> dict:
        e = (p - gt).norm(dim=-1)[inside]
        return {"mean_px": round(float(e.mean()), 3), "median_px": round(float(e.median()), 3)}

    rows = {"regression": err(reg), "heatmaps": err(hm), "mean": err((reg + hm) / 2)}
    dist = (hm - reg).norm(dim=-1, keepdim=True)
    gated = {g: err(torch.where(dist <= g, (reg + hm) / 2, reg)) for g in GATES}
    best = min(GATES, key=lambda g: gated[g]["mean_px"])
    for name, r in rows.items():
        print(json.dumps({"method": name, **r}))
    for g, r in gated.items():
        print(json.dumps({"method": "gated", "gate_px": g, **r}))
    print(json.dumps({"samples": int(len(gt)), "best_gate_px": best}))
    # by the heat map's peak: the least-squares weight of the heat map (fused = reg + w (hm - reg))
    d, r = (hm - reg)[inside], (gt - reg)[inside]
    pk = peak[inside]
    edges = torch.quantile(pk, torch.linspace(0, 1, 9, dtype=pk.dtype))
    # the weight as a clamped line in the peak, w = a + b * peak, fitted by least squares
    # (per coordinate: r = w d + noise, with w linear in the peak)
    X = torch.stack([d, pk[:, None].expand_as(d) * d], -1).reshape(-1, 2)
    a, b = torch.linalg.lstsq(X, r.reshape(-1, 1)).solution.flatten().tolist()
    w = (a + b * peak).clamp(0, 1)[..., None]
    print(json.dumps({"method": "peak-weighted", "w": f"clamp({a:.3f} + {b:.3f} * peak, 0, 1)", **err(reg + w * (hm - reg))}))
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = (pk >= lo) & (pk <= hi)
        w = float((d[sel] * r[sel]).sum() / (d[sel] ** 2).sum())
        print(
            json.dumps(
                {
                    "peak": [round(float(lo), 3), round(float(hi), 3)],
                    "hm_px": round(float((hm - gt)[inside][sel].norm(dim=-1).mean()), 2),
                    "reg_px": round(float((reg - gt)[inside][sel].norm(dim=-1).mean()), 2),
                    "w_ls": round(w, 3),
                }
            )
        )


if __name__ == "__main__":
    main()
