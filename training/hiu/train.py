"""Trains the multi-task heads on cached taps (taps.py) and keeps a resumable checkpoint.

    LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1 \
    /usr/bin/python3 -m hiu.train --taps ../.cache/hiu/taps/train --val ../.cache/hiu/taps/val \
        --out ../.cache/hiu/run1 --minutes 60

Prints throughput after the first steps, validation figures every --val-every steps, and writes
`last.pt` (model + optimiser + step, resumable with the same command) and `best.pt`.
"""
from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch

from .data import batches, find_shards
from .fk_torch import regressed_to_3d, rodrigues
from .losses import param_target, total_loss
from .metrics import mask_iou, pof_to_3d, soft_argmax
from .model import MultiTaskHeads


def evaluate(model: MultiTaskHeads, shards, batch: int = 64, limit: int = 1000) -> dict:
    model.eval()
    errs, ious, rot_deg, pose_deg, shape, pof_mm, reg_mm = [], [], [], [], [], [], []
    seen = 0
    with torch.no_grad():
        for b in batches(shards, batch, np.random.default_rng(0)):
            out = model(b['taps'])[-1]
            kp = soft_argmax(out['heatmaps'])
            inside = ((b['kp2d'] >= 0) & (b['kp2d'] < 224)).all(-1)
            e = (kp - b['kp2d']).norm(dim=-1)
            errs.append(e[inside])
            ious.append(mask_iou(out['mask'][:, 0], b['mask56']))
            if 'pof' in out:
                k3 = b['kp3d_crop'].float()
                p3 = pof_to_3d(out['pof'], b['kp2d'].float(), k3)
                pof_mm.append(1000 * (p3 - (k3 - k3[:, :1])).norm(dim=-1).flatten())
            if 'params' in out:
                t = param_target(b)
                rel = rodrigues(out['params'][:, :3]).transpose(1, 2) @ rodrigues(t[:, :3])
                cos = ((rel.diagonal(dim1=1, dim2=2).sum(-1) - 1) / 2).clamp(-1, 1)
                rot_deg.append(torch.rad2deg(torch.acos(cos)))
                pose_deg.append(torch.rad2deg((out['params'][:, 3:27] - t[:, 3:27]).abs()).flatten())
                shape.append((out['params'][:, 27:] - t[:, 27:]).abs().flatten())
                kp, _ = regressed_to_3d(out['params'], b['handedness'] == 1, vertices=False)
                k3 = b['kp3d_crop'].float()
                reg_mm.append(1000 * (kp - (k3 - k3[:, :1])).norm(dim=-1).flatten())
            seen += len(b['kp2d'])
            if seen >= limit:
                break
    model.train()
    e = torch.cat(errs)
    m = {'kp_mean_px': float(e.mean()), 'kp_median_px': float(e.median()), 'mask_iou': float(torch.cat(ious).mean()), 'samples': seen}
    if pof_mm:  # the POF's 3D with true 2D and bone lengths: root-relative mean joint error (mm)
        m['pof_mpjpe_mm'] = float(torch.cat(pof_mm).mean())
    if rot_deg:
        m.update({'rot_mean_deg': float(torch.cat(rot_deg).mean()), 'pose_mae_deg': float(torch.cat(pose_deg).mean()), 'shape_mae': float(torch.cat(shape).mean()),
                  'regressor_mpjpe_mm': float(torch.cat(reg_mm).mean())})
    return m


def score(m: dict, tasks) -> float:
    """Lower is better: the regressor's joint error when only it trains, else keypoints and mask."""
    if tuple(tasks) == ('params',):
        return m['regressor_mpjpe_mm']
    return m['kp_mean_px'] - 10 * m['mask_iou']


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--taps', required=True)
    ap.add_argument('--val', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--minutes', type=float, default=60)
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--channels', type=int, default=48)
    ap.add_argument('--stages', type=int, default=2)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--val-every', type=int, default=500)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--regressor', action='store_true', help='add the shared mesh-parameter regressor')
    ap.add_argument('--geometry-loss', action='store_true', help="train the regressor on its forward kinematics' joints and vertices too")
    ap.add_argument('--regressor-tap7', action='store_true', help="the regressor also reads the encoder's 7x7 tap")
    ap.add_argument('--init', help='start from this checkpoint (weights only; new modules start fresh)')
    ap.add_argument('--pof-groups', type=int, default=0, help='POF decoder as G learnable joint groups (0: the single decoder)')
    ap.add_argument('--reinit-pof', action='store_true', help='with --init: start the POF decoders fresh (the ablation of the 3D head)')
    ap.add_argument('--tasks', default='heatmaps,mask,pof,params', help="losses to train; 'params' alone freezes everything but the regressor")
    a = ap.parse_args()
    tasks = tuple(a.tasks.split(','))
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    train, val = find_shards(a.taps), find_shards(a.val)
    model = MultiTaskHeads(a.channels, a.stages, regressor=a.regressor, pof_groups=a.pof_groups, regressor_tap7=a.regressor_tap7)
    if a.init:
        init = torch.load(a.init)['model']
        if a.reinit_pof or a.pof_groups:
            init = {k: v for k, v in init.items() if '.decoders.pof.' not in k}
        own = model.state_dict()  # a module whose shape changed (e.g. --regressor-tap7) starts fresh
        init = {k: v for k, v in init.items() if k not in own or own[k].shape == v.shape}
        missing, unexpected = model.load_state_dict(init, strict=False)
        print(f'init from {a.init}; fresh: {sorted({".".join(k.split(".")[:4]) for k in missing})}', flush=True)
        assert not unexpected, unexpected
    trained = model.parameters()
    if tasks == ('params',):
        for p in model.parameters():
            p.requires_grad_(False)
        trained = list(model.regressor.parameters())
        for p in trained:
            p.requires_grad_(True)
    opt = torch.optim.Adam(trained, lr=a.lr)
    state = {'step': 0, 'epoch': 0, 'seconds': 0.0, 'best': None, 'history': []}
    if (out / 'last.pt').exists():
        ck = torch.load(out / 'last.pt')
        model.load_state_dict(ck['model'])
        opt.load_state_dict(ck['opt'])
        state = ck['state']
        print(f'resumed at step {state["step"]} ({state["seconds"] / 60:.1f} min trained)', flush=True)
    budget = a.minutes * 60
    n_params = sum(p.numel() for p in model.parameters())
    print(f'{n_params} parameters; {sum(s.count for s in train)} training samples in {len(train)} shards; {sum(s.count for s in val)} validation', flush=True)
    rng = np.random.default_rng(a.seed + state['epoch'])
    t_start = time.time() - state['seconds']
    done = False
    while not done:
        for b in batches(train, a.batch, rng):
            elapsed = time.time() - t_start
            # cosine decay over the time budget (the run is sized in minutes, not epochs)
            for g in opt.param_groups:
                g['lr'] = a.lr * 0.5 * (1 + math.cos(math.pi * min(1.0, elapsed / budget)))
            # joint groups: Gumbel-softmax temperature annealed 1 -> 0.1 over the budget
            for mod in model.modules():
                if hasattr(mod, 'selector'):
                    mod.tau = 0.1 ** min(1.0, elapsed / budget)
            loss, parts = total_loss(model(b['taps'], dense=tasks != ('params',)), b, tasks, geometry=a.geometry_loss)
            opt.zero_grad()
            loss.backward()
            opt.step()
            state['step'] += 1
            if state['step'] == 20:
                print(f'throughput: {20 * a.batch / (time.time() - t_start - state["seconds"]):.0f} img/s (first 20 steps)', flush=True)
            if state['step'] % a.val_every == 0 or elapsed > budget:
                m = evaluate(model, val)
                state['seconds'] = time.time() - t_start
                rec = {'step': state['step'], 'samples_seen': state['step'] * a.batch, 'minutes': state['seconds'] / 60, 'loss': float(loss), **parts, **m}
                state['history'].append(rec)
                print(json.dumps(rec), flush=True)
                if state['best'] is None or score(m, tasks) < state['best']:
                    state['best'] = score(m, tasks)
                    torch.save({'model': model.state_dict(), 'config': model.config, 'record': rec}, out / 'best.pt')
                torch.save({'model': model.state_dict(), 'opt': opt.state_dict(), 'state': state, 'config': model.config, 'args': vars(a)}, out / 'last.pt')
            if elapsed > budget:
                done = True
                break
        state['epoch'] += 1
    print(f'done: {state["step"]} steps, {state["step"] * a.batch} samples seen, {state["seconds"] / 60:.1f} min', flush=True)


if __name__ == '__main__':
    main()
