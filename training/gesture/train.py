"""Trains the gesture classifier: a small MLP on the features of src/core/gesture/features.ts, written
by training/gesture/features-cli.ts for the synthetic splits of synth.py; exports
models/gesture-classifier.json (evaluated in plain TypeScript by src/core/gesture/mlp.ts).

    cd training && /usr/bin/python3 -m gesture.train --data ../.cache/gesture --out ../models/gesture-classifier.json

Trains on the train split's clear samples (labels.py), picks nothing on the held-out split (it only
prints its accuracy at the end; the evaluation proper is training/gesture/eval-synthetic.ts). ~1-2 min
on 2 CPU cores.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch
from torch import nn

from .labels import LABELS
from .mlp import FORMAT, probabilities


def load_split(d):
    with open(os.path.join(d, "meta.json")) as fh:
        meta = json.load(fh)
    with open(os.path.join(d, "features.json")) as fh:
        names = json.load(fh)["names"]
    n = meta["count"]
    x = np.fromfile(os.path.join(d, "features.f32"), "<f4").reshape(n, len(names))
    y = np.fromfile(os.path.join(d, "label.u8"), "u1").astype(np.int64)
    clear = np.fromfile(os.path.join(d, "clear.u8"), "u1").astype(bool)
    return x, y, clear, names, meta


def build(n_in, hidden, n_out):
    layers, prev = [], n_in
    for h in hidden:
        layers += [nn.Linear(prev, h), nn.ReLU()]
        prev = h
    layers.append(nn.Linear(prev, n_out))
    return nn.Sequential(*layers)


def _sig(v, digits=6):
    return [float("%.*g" % (digits, x)) for x in np.asarray(v).ravel()]


def export(net, mean, std, names, hidden, provenance):
    lin = [m for m in net if isinstance(m, nn.Linear)]
    return {
        "format": FORMAT,
        "version": 1,
        "labels": LABELS,
        "features": names,
        "normalize": {"mean": _sig(mean), "std": _sig(std)},
        "layers": [{"weights": [_sig(r) for r in m.weight.detach().numpy()], "bias": _sig(m.bias.detach().numpy())} for m in lin],
        "hidden": hidden,
        "provenance": provenance,
    }


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../.cache/gesture")
    ap.add_argument("--out", default="../models/gesture-classifier.json")
    ap.add_argument("--hidden", default="64,32")
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--net",
        default="",
        help="a split of network keypoints of renders (render_net.py + net-keypoints.ts), "
        "DIR with train/ and heldout/: its clear train samples are added to the synthetic ones",
    )
    ap.add_argument("--net-train", default="train", help="the sub-folder of --net trained on")
    ap.add_argument("--net-repeat", type=int, default=1, help="how many times the network samples enter the training set")
    a = ap.parse_args(argv)
    torch.manual_seed(a.seed)
    torch.set_num_threads(2)
    hidden = [int(h) for h in a.hidden.split(",") if h]
    x, y, clear, names, meta = load_split(os.path.join(a.data, "train"))
    x, y = x[clear], y[clear]
    n_synth = len(y)
    if a.net:
        nx, ny, nclear, nnames, nmeta = load_split(os.path.join(a.net, a.net_train))
        assert nnames == names
        x = np.concatenate([x] + [nx[nclear]] * a.net_repeat)
        y = np.concatenate([y] + [ny[nclear]] * a.net_repeat)
        print(
            "training on %d synthetic + %d x %d network-keypoint samples (%.1f %% network)"
            % (n_synth, int(nclear.sum()), a.net_repeat, 100 * (len(y) - n_synth) / len(y)),
            flush=True,
        )
    mean = x.mean(axis=0)
    std = x.std(axis=0) + 1e-3
    mean, std = np.array(_sig(mean)), np.array(_sig(std))
    xt = torch.tensor((x - mean) / std, dtype=torch.float32)
    yt = torch.tensor(y)
    counts = np.bincount(y, minlength=len(LABELS)).astype(np.float64)
    # classes weighted by 1/sqrt(frequency): the rarer directional classes are not drowned by None
    w = 1 / np.sqrt(np.maximum(counts, 1))
    w = w / (w * counts).sum() * counts.sum()
    net = build(x.shape[1], hidden, len(LABELS))
    opt = torch.optim.AdamW(net.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=a.epochs * ((len(y) + 255) // 256))
    loss_fn = nn.CrossEntropyLoss(weight=torch.tensor(w, dtype=torch.float32), label_smoothing=0.02)
    t0 = time.time()
    for ep in range(a.epochs):
        perm = torch.randperm(len(y))
        tot = 0.0
        for i in range(0, len(y), 256):
            b = perm[i : i + 256]
            opt.zero_grad()
            loss = loss_fn(net(xt[b]), yt[b])
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(b)
        if ep % 10 == 0 or ep == a.epochs - 1:
            with torch.no_grad():
                acc = (net(xt).argmax(1) == yt).float().mean().item()
            print("epoch %d loss %.4f train acc %.4f (%.0f s)" % (ep, tot / len(y), acc, time.time() - t0), flush=True)
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = ""
    provenance = {
        "command": "npx tsx training/gesture/features-cli.ts .cache/gesture/train .cache/gesture/heldout"
        + (" %s/%s %s/heldout" % (a.net.replace("../", ""), a.net_train, a.net.replace("../", "")) if a.net else "")
        + " && "
        "cd training && /usr/bin/python3 -m gesture.train " + " ".join(argv if argv is not None else sys.argv[1:]),
        "data": "synthetic only: %s (train split, seed %d, %d samples, %d clear used); see training/gesture/README.md"
        % (meta["command"], meta["seed"], meta["count"], int(clear.sum())),
        "licence": "MIT (ours: trained here on our own synthetic data)",
        "trainedAt": datetime.date.today().isoformat(),
        "commit": commit,
        "epochs": a.epochs,
        "mix": ("%d clear synthetic samples + the %d clear network-keypoint samples (x%d) of %s" % (n_synth, int(nclear.sum()), a.net_repeat, nmeta["command"]))
        if a.net
        else "synthetic only",
        "seed": a.seed,
    }
    model = export(net, mean, std, names, hidden, provenance)
    hx, hy, hclear, _, _ = load_split(os.path.join(a.data, "heldout"))
    p = probabilities(model, hx).argmax(1)
    print("held-out accuracy (exported weights): clear %.4f, all %.4f" % ((p[hclear] == hy[hclear]).mean(), (p == hy).mean()))
    if a.net:
        hx, hy, hclear, _, _ = load_split(os.path.join(a.net, "heldout"))
        p = probabilities(model, hx).argmax(1)
        print(
            "network-keypoint held-out accuracy: clear %.4f, all %.4f (%d samples, %d clear)"
            % ((p[hclear] == hy[hclear]).mean(), (p == hy).mean(), len(hy), int(hclear.sum()))
        )
    with open(a.out, "w") as fh:
        json.dump(model, fh, separators=(",", ":"))
    print("wrote %s (%d bytes)" % (a.out, os.path.getsize(a.out)))


if __name__ == "__main__":
    main()
