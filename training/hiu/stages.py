"""Per-stage figures of a checkpoint on synthetic validation taps: is the cascade's second stage
worth its cost? (2D keypoints from the heat maps, mask IoU, POF 3D error, regressor errors.)

    /usr/bin/python3 -m hiu.stages ../.cache/hiu/abl-single/last.pt ../.cache/hiu/taps/val
"""
from __future__ import annotations

import json
import sys

import numpy as np
import torch

from .data import batches, find_shards
from .fk_torch import rodrigues
from .losses import param_target
from .metrics import mask_iou, pof_to_3d, soft_argmax
from .model import MultiTaskHeads


def main() -> None:
    torch.set_num_threads(1)
    m = MultiTaskHeads.from_checkpoint(sys.argv[1])
    acc = [dict(kp=[], iou=[], pof=[], rot=[], pose=[]) for _ in range(m.config['stages'])]
    with torch.no_grad():
        for b in batches(find_shards(sys.argv[2]), 100, np.random.default_rng(0)):
            k3 = b['kp3d_crop'].float()
            inside = ((b['kp2d'] >= 0) & (b['kp2d'] < 224)).all(-1)
            for k, o in enumerate(m(b['taps'])):
                a = acc[k]
                a['kp'].append((soft_argmax(o['heatmaps']) - b['kp2d']).norm(dim=-1)[inside])
                a['iou'].append(mask_iou(o['mask'][:, 0], b['mask56']))
                a['pof'].append(1000 * (pof_to_3d(o['pof'], b['kp2d'].float(), k3) - (k3 - k3[:, :1])).norm(dim=-1).flatten())
                if 'params' in o:
                    t = param_target(b)
                    rel = rodrigues(o['params'][:, :3]).transpose(1, 2) @ rodrigues(t[:, :3])
                    a['rot'].append(torch.rad2deg(torch.acos(((rel.diagonal(dim1=1, dim2=2).sum(-1) - 1) / 2).clamp(-1, 1))))
                    a['pose'].append(torch.rad2deg((o['params'][:, 3:27] - t[:, 3:27]).abs()).flatten())
    for k, a in enumerate(acc):
        row = {'stage': k + 1, 'kp_mean_px': torch.cat(a['kp']).mean(), 'kp_median_px': torch.cat(a['kp']).median(), 'mask_iou': torch.cat(a['iou']).mean(), 'pof_mpjpe_mm': torch.cat(a['pof']).mean()}
        if a['rot']:
            r = torch.cat(a['rot'])
            row.update({'rot_mean_deg': r.mean(), 'rot_median_deg': r.median(), 'pose_mae_deg': torch.cat(a['pose']).mean()})
        print(json.dumps({k: round(float(v), 3) if torch.is_tensor(v) else v for k, v in row.items()}))


if __name__ == '__main__':
    main()
