"""Chooses how the app fuses the heads' heat-map keypoints with the landmark network's regression,
on synthetic validation crops only (real images measure the result; they never tune it).

Per joint, the fused estimate is the mean of the two when they agree within a gate (crop px at
224) and the regression alone when they do not: a heat map that locked onto the wrong finger is
a gross error the mean would only halve. Prints each method's error and the gate that minimises
the mean error; the app's default (src/core/config.ts heads.fuseGate) is that gate.

    /usr/bin/python3 -m hiu.fusion_calib ../.cache/hiu/abl-single/last.pt \
        ../.cache/handsynth/val ../.cache/hiu/taps/val
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch

from handsynth.dataset import ShardReader

from .data import RES, find_shards, to_batch
from .metrics import soft_argmax
from .model import MultiTaskHeads

REPO = Path(__file__).resolve().parents[2]
GATES = (4, 6, 8, 10, 12, 16, 20, 24, 32, 48, 1e9)


def regression_keypoints(shards: str, batch: int = 50) -> np.ndarray:
    """The landmark network's 2D keypoints (crop px) on every rendered crop, by the parity-tested
    PyTorch port of the TF.js graph."""
    from .tfjs_graph import TfjsGraph
    graph = TfjsGraph(REPO / 'models' / 'handlandmark-full.json').eval()
    r = ShardReader(shards)
    out = []
    with torch.no_grad():
        for _, _, arrs in r.shards:
            for i in range(0, len(arrs['image']), batch):
                x = torch.from_numpy(np.asarray(arrs['image'][i:i + batch], np.float32) / 255.0)
                lm = graph(x, ['Identity'])['Identity'].reshape(-1, 21, 3)[..., :2]
                out.append(lm.numpy())
    return np.concatenate(out)


def main() -> None:
    torch.set_num_threads(2)
    ck = torch.load(sys.argv[1])
    cfg = ck['config']
    m = MultiTaskHeads(cfg['channels'], cfg['stages'], regressor=cfg.get('regressor', False), pof_groups=cfg.get('pof_groups', 0))
    m.load_state_dict(ck['model'])
    m.eval()
    reg = torch.from_numpy(regression_keypoints(sys.argv[2])).double()
    hms, gts = [], []
    with torch.no_grad():
        for s in find_shards(sys.argv[3]):
            taps = {r: np.asarray(t) for r, t in s.taps().items()}
            for i in range(0, s.count, 100):
                b = to_batch(taps, s.labels, np.arange(i, min(i + 100, s.count)))
                hms.append(soft_argmax(m(b['taps'])[-1]['heatmaps']).double())
                gts.append(b['kp2d'].double())
    hm, gt = torch.cat(hms), torch.cat(gts)
    assert hm.shape == reg.shape, (hm.shape, reg.shape)
    inside = ((gt >= 0) & (gt < 224)).all(-1)

    def err(p: torch.Tensor) -> dict:
        e = (p - gt).norm(dim=-1)[inside]
        return {'mean_px': round(float(e.mean()), 3), 'median_px': round(float(e.median()), 3)}

    rows = {'regression': err(reg), 'heatmaps': err(hm), 'mean': err((reg + hm) / 2)}
    dist = (hm - reg).norm(dim=-1, keepdim=True)
    gated = {g: err(torch.where(dist <= g, (reg + hm) / 2, reg)) for g in GATES}
    best = min(GATES, key=lambda g: gated[g]['mean_px'])
    for name, r in rows.items():
        print(json.dumps({'method': name, **r}))
    for g, r in gated.items():
        print(json.dumps({'method': 'gated', 'gate_px': g, **r}))
    print(json.dumps({'samples': int(len(gt)), 'best_gate_px': best}))


if __name__ == '__main__':
    main()
