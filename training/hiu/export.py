"""Exports trained heads to the app: models/hiu-heads.json (architecture, tensor table, provenance,
metrics) + models/hiu-heads.bin (float32, little-endian, TF.js layouts), and their entry in
models/manifest.json (size, sha256). src/core/multitask/headsModel.ts reads them.

    /usr/bin/python3 -m hiu.export --checkpoint ../.cache/hiu/run1/best.pt --command "..." [--extra '{...}']

The provenance names the checkpoint it was read from, and its `record` (step, samples seen,
minutes, losses, validation figures) is the one the checkpoint stores for its own weights: never
typed in.
"""
from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np
import torch

from .model import TAPS_FULL

REPO = Path(__file__).resolve().parents[2]
NAME = "hiu-heads"


def tfjs_layout(name: str, t: torch.Tensor) -> np.ndarray:
    """torch -> TF.js layouts: conv [O,I,kh,kw] -> [kh,kw,I,O]; depthwise [C,1,kh,kw] -> [kh,kw,C,1];
    linear [O,I] -> [I,O]; biases unchanged."""
    a = t.detach().float().numpy()
    if a.ndim == 4:
        if a.shape[1] == 1 and ".dw." in name:
            return a.transpose(2, 3, 0, 1).copy()  # [C,1,kh,kw] -> [kh,kw,C,1]
        return a.transpose(2, 3, 1, 0).copy()
    if a.ndim == 2 and not name.endswith("selector"):  # the joint-groups selector [21, G] is not a linear layer
        return a.T.copy()
    return a


def checkpoint_record(ck: dict) -> dict:
    """The step and validation figures of the checkpoint's weights: its `record` (train.py stores
    one in every checkpoint), or, in a `last.pt` written before it did, the history's entry of the
    saved step (last.pt was only ever written right after a validation)."""
    if ck.get("record") is not None:
        return ck["record"]
    state = ck.get("state") or {}
    history = state.get("history") or []
    if history and history[-1]["step"] == state.get("step"):
        return history[-1]
    raise ValueError("the checkpoint stores no record of its step and validation figures")


def checkpoint_name(checkpoint: Path) -> str:
    """The checkpoint's path relative to the repository (as given when it lies elsewhere)."""
    try:
        return str(Path(checkpoint).resolve().relative_to(REPO))
    except ValueError:
        return str(checkpoint)


def export(checkpoint: Path, command: str, extra: dict, models: Path = REPO / "models") -> None:
    typed = {"checkpoint", "record"} & set(extra)
    if typed:
        raise ValueError(f"{sorted(typed)} come from the checkpoint, not from --extra")
    ck = torch.load(checkpoint)
    export_state({**ck, "record": checkpoint_record(ck)}, command, {"checkpoint": checkpoint_name(checkpoint), **extra}, models)


def export_state(ck: dict, command: str, extra: dict, models: Path) -> None:
    sd = ck["model"]
    tensors, blobs, offset = [], [], 0
    for name, t in sd.items():
        a = tfjs_layout(name, t).astype("<f4")
        tensors.append({"name": name, "shape": list(a.shape), "offset": offset})
        blobs.append(a.tobytes())
        offset += a.nbytes
    bin_bytes = b"".join(blobs)
    spec = {
        "format": "hands-heads/1",
        "description": "HIU-DMTL-style multi-task heads (heat maps 21, hand mask 1, POF 63 at 56x56) on the MediaPipe landmark network taps; architecture in training/hiu/model.py, mirrored by src/core/multitask/headsModel.ts",
        "config": {**ck["config"], "taps": {str(k): v for k, v in TAPS_FULL.items()}, "encoder": "handlandmark-full"},
        "weights": NAME + ".bin",
        "tensors": tensors,
        "provenance": {"command": command, "record": ck.get("record"), **extra},
    }
    (models / f"{NAME}.bin").write_bytes(bin_bytes)
    js = json.dumps(spec, indent=1) + "\n"
    (models / f"{NAME}.json").write_text(js)
    manifest_path = models / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {"models": {}}
    files = {}
    for f in (f"{NAME}.json", f"{NAME}.bin"):
        b = (models / f).read_bytes()
        files[f] = {"bytes": len(b), "sha256": hashlib.sha256(b).hexdigest()}
    manifest["models"][NAME] = {
        "files": files,
        "source": "trained in this repository: training/hiu (see provenance in hiu-heads.json)",
        "licence": "MIT (this project); trained on synthetic renders of the MIT WebXR generic hand on CC0 backgrounds; encoder: MediaPipe hand landmark network (Apache-2.0)",
        "description": "Multi-task heads: heat maps (21), hand mask (1), POF (63) at 56x56 from the landmark network taps " + ", ".join(TAPS_FULL.values()),
    }
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    print(f'wrote models/{NAME}.json + .bin ({len(bin_bytes)} bytes, {sum(np.prod(t["shape"]) for t in tensors)} parameters)')


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--command", required=True, help="the training command, recorded in the provenance")
    ap.add_argument("--extra", default="{}", help="JSON with data seed/size etc. (not the step or validation figures: those come from the checkpoint)")
    a = ap.parse_args()
    export(Path(a.checkpoint), a.command, json.loads(a.extra))


if __name__ == "__main__":
    main()
