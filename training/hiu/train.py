"""Trains the multi-task heads on cached taps (taps.py) and keeps a resumable checkpoint.

    LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1 \
    /usr/bin/python3 -m hiu.train --taps ../.cache/hiu/taps/train --val ../.cache/hiu/taps/val \
        --out ../.cache/hiu/run1 --minutes 60

Prints throughput after the first steps, validation figures every --val-every steps, and writes
`last.pt` (model + optimiser + step, resumable with the same command) and `best.pt`; both carry
`record`, the step and validation figures of their own weights, which hiu.export writes into the
provenance.
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
from .losses import total_loss
from .metrics import batch_errors, summarise
from .model import MultiTaskHeads


def evaluate(model: MultiTaskHeads, shards, batch: int = 64, limit: int = 1000) -> dict:
    """The last stage's validation figures (metrics.summarise) on the first `limit` samples."""
    model.eval()
    errors, seen = [], 0
    with torch.no_grad():
        for b in batches(shards, batch, np.random.default_rng(0)):
            errors.append(batch_errors(model.on_batch(b)[-1], b))
            seen += len(b["kp2d"])
            if seen >= limit:
                break
    model.train()
    return {**summarise(errors), "samples": seen}


def score(m: dict, tasks) -> float:
    """Lower is better: the regressor's joint error when only it trains, else keypoints and mask."""
    if tuple(tasks) == ("params",):
        return m["regressor_mpjpe_mm"]
    return m["kp_mean_px"] - 10 * m["mask_iou"]


def save_checkpoints(out: Path, model: MultiTaskHeads, opt, state: dict, record: dict, args: dict, best: bool) -> None:
    """Writes `last.pt` (resumable: + optimiser and training state) and, when `best`, `best.pt`.
    Both carry `record`, the step and validation figures of the weights they hold: hiu.export
    writes it into the provenance."""
    weights = {"model": model.state_dict(), "config": model.config, "record": record, "args": args}
    if best:
        torch.save(weights, out / "best.pt")
    torch.save({**weights, "opt": opt.state_dict(), "state": state}, out / "last.pt")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--taps", required=True)
    ap.add_argument("--val", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--channels", type=int, default=48)
    ap.add_argument("--stages", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--val-every", type=int, default=500)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--regressor", action="store_true", help="add the shared mesh-parameter regressor")
    ap.add_argument("--geometry-loss", action="store_true", help="train the regressor on its forward kinematics' joints and vertices too")
    ap.add_argument("--regressor-tap7", action="store_true", help="the regressor also reads the encoder's 7x7 tap")
    ap.add_argument("--prior", action="store_true", help="the heads also read the landmark network's keypoints (lm_kp2d.npy in the tap shards)")
    ap.add_argument("--init", help="start from this checkpoint (weights only; new modules start fresh)")
    ap.add_argument("--fresh-lr-mult", type=float, default=1.0, help="with --init: the learning rate of the modules that start fresh, x this")
    ap.add_argument("--pof-groups", type=int, default=0, help="POF decoder as G learnable joint groups (0: the single decoder)")
    ap.add_argument("--reinit-pof", action="store_true", help="with --init: start the POF decoders fresh (the ablation of the 3D head)")
    ap.add_argument("--tasks", default="heatmaps,mask,pof,params", help="losses to train; 'params' alone freezes everything but the regressor")
    a = ap.parse_args()
    tasks = tuple(a.tasks.split(","))
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    train, val = find_shards(a.taps), find_shards(a.val)
    missing = []
    model = MultiTaskHeads(a.channels, a.stages, regressor=a.regressor, pof_groups=a.pof_groups, regressor_tap7=a.regressor_tap7, prior=a.prior)
    if a.init:
        init = torch.load(a.init)["model"]
        if a.reinit_pof or a.pof_groups:
            init = {k: v for k, v in init.items() if ".decoders.pof." not in k}
        own = model.state_dict()  # a module whose shape changed (e.g. --regressor-tap7) starts fresh
        init = {k: v for k, v in init.items() if k not in own or own[k].shape == v.shape}
        missing, unexpected = model.load_state_dict(init, strict=False)
        print(f'init from {a.init}; fresh: {sorted({".".join(k.split(".")[:4]) for k in missing})}', flush=True)
        assert not unexpected, unexpected
    trained = model.parameters()
    if tasks == ("params",):
        for p in model.parameters():
            p.requires_grad_(False)
        trained = list(model.regressor.parameters())
        for p in trained:
            p.requires_grad_(True)
    # a module added to trained heads (e.g. the zero-initialised keypoint prior) has to grow from
    # nothing while the rest only adapts: it may learn faster
    fresh = [p for n, p in model.named_parameters() if n in set(missing) and p.requires_grad]
    fresh_ids = {id(p) for p in fresh}
    rest = [p for p in trained if id(p) not in fresh_ids]
    groups = [{"params": rest, "mult": 1.0}] + ([{"params": fresh, "mult": a.fresh_lr_mult}] if fresh else [])
    opt = torch.optim.Adam(groups, lr=a.lr)
    state = {"step": 0, "epoch": 0, "seconds": 0.0, "best": None, "history": []}
    if (out / "last.pt").exists():
        ck = torch.load(out / "last.pt")
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        state = ck["state"]
        print(f'resumed at step {state["step"]} ({state["seconds"] / 60:.1f} min trained)', flush=True)
    budget = a.minutes * 60
    n_params = sum(p.numel() for p in model.parameters())
    print(f"{n_params} parameters; {sum(s.count for s in train)} training samples in {len(train)} shards; {sum(s.count for s in val)} validation", flush=True)
    rng = np.random.default_rng(a.seed + state["epoch"])
    t_start = time.time() - state["seconds"]
    done = False
    while not done:
        for b in batches(train, a.batch, rng):
            elapsed = time.time() - t_start
            # cosine decay over the time budget (the run is sized in minutes, not epochs)
            for g in opt.param_groups:
                g["lr"] = g["mult"] * a.lr * 0.5 * (1 + math.cos(math.pi * min(1.0, elapsed / budget)))
            # joint groups: Gumbel-softmax temperature annealed 1 -> 0.1 over the budget
            for mod in model.modules():
                if hasattr(mod, "selector"):
                    mod.tau = 0.1 ** min(1.0, elapsed / budget)
            loss, parts = total_loss(model.on_batch(b, dense=tasks != ("params",)), b, tasks, geometry=a.geometry_loss)
            opt.zero_grad()
            loss.backward()
            opt.step()
            state["step"] += 1
            if state["step"] == 20:
                print(f'throughput: {20 * a.batch / (time.time() - t_start - state["seconds"]):.0f} img/s (first 20 steps)', flush=True)
            if state["step"] % a.val_every == 0 or elapsed > budget:
                m = evaluate(model, val)
                state["seconds"] = time.time() - t_start
                rec = {"step": state["step"], "samples_seen": state["step"] * a.batch, "minutes": state["seconds"] / 60, "loss": float(loss), **parts, **m}
                state["history"].append(rec)
                print(json.dumps(rec), flush=True)
                is_best = state["best"] is None or score(m, tasks) < state["best"]
                if is_best:
                    state["best"] = score(m, tasks)
                save_checkpoints(out, model, opt, state, rec, vars(a), is_best)
            if elapsed > budget:
                done = True
                break
        state["epoch"] += 1
    print(f'done: {state["step"]} steps, {state["step"] * a.batch} samples seen, {state["seconds"] / 60:.1f} min', flush=True)


if __name__ == "__main__":
    main()
