"""The shipped heads back as a PyTorch checkpoint, to fine-tune from (the training runs' .pt files
live in the git-ignored .cache/ and were not kept; models/hiu-heads.* is the state_dict itself in
TF.js layouts, export.tfjs_layout, so this only transposes back):

    /usr/bin/python3 -m hiu.from_export --out ../.cache/hiu/shipped.pt
    /usr/bin/python3 -m hiu.train ... --init ../.cache/hiu/shipped.pt

The checkpoint holds `model`, `config` and, as `record`, the provenance record of the export.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from .export import NAME, REPO
from .model import MultiTaskHeads


def torch_layout(name: str, a: np.ndarray, shape: torch.Size) -> np.ndarray:
    """TF.js layout -> torch, the inverse of export.tfjs_layout for a tensor whose torch shape is `shape`."""
    if a.ndim == 4:
        if shape[1] == 1 and ".dw." in name:
            return a.transpose(2, 3, 0, 1)  # [kh,kw,C,1] -> [C,1,kh,kw]
        return a.transpose(3, 2, 0, 1)  # [kh,kw,I,O] -> [O,I,kh,kw]
    if a.ndim == 2 and not name.endswith("selector"):
        return a.T
    return a


def load_exported(models: Path = REPO / "models") -> tuple[MultiTaskHeads, dict]:
    """The exported heads as a model (eval mode) with their weights, and the export's JSON."""
    spec = json.loads((models / f"{NAME}.json").read_text())
    blob = (models / spec["weights"]).read_bytes()
    model = MultiTaskHeads.from_config(spec["config"])
    own = model.state_dict()
    names = [t["name"] for t in spec["tensors"]]
    if set(names) != set(own):
        raise ValueError(f"{NAME}.json names other tensors than hiu.model builds: {sorted(set(names) ^ set(own))[:8]}")
    state = {}
    for t in spec["tensors"]:
        count = int(np.prod(t["shape"]))
        a = np.frombuffer(blob, "<f4", count, t["offset"]).reshape(t["shape"])
        w = torch.from_numpy(torch_layout(t["name"], a, own[t["name"]].shape).copy()).to(own[t["name"]].dtype)
        if w.shape != own[t["name"]].shape:
            raise ValueError(f"{t['name']}: {tuple(w.shape)} in the export, {tuple(own[t['name']].shape)} in the model")
        state[t["name"]] = w
    model.load_state_dict(state, strict=True)
    return model.eval(), spec


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True, help="the checkpoint to write (.pt)")
    ap.add_argument("--models", default=str(REPO / "models"))
    a = ap.parse_args()
    model, spec = load_exported(Path(a.models))
    cfg = {k: v for k, v in spec["config"].items() if k not in ("taps", "encoder")}
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    torch.save({"model": model.state_dict(), "config": cfg, "record": spec["provenance"].get("record")}, a.out)
    print(f"wrote {a.out} ({sum(p.numel() for p in model.parameters())} parameters)")


if __name__ == "__main__":
    main()
