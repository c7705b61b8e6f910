"""Writes a small randomly initialised heads model (exported exactly as the trained one is), random
taps and the PyTorch outputs into a folder, for tests/node/headsParity.test.ts to compare with TF.js.

usage: python3 -m hiu.heads_parity OUT_DIR [POF_GROUPS] [tap7|fused-only] [prior]

With `prior`, the heads read keypoints too: kp.f32 holds them and prior.f32 their prior maps.
"""
import json
import sys
from pathlib import Path

import numpy as np
import torch

from .export import export_state
from .model import MultiTaskHeads, prior_maps

RES = {56: 24, 28: 40, 14: 112, 7: 192}


def main() -> None:
    out = Path(sys.argv[1])
    groups = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    tap7 = len(sys.argv) > 3 and sys.argv[3] == "tap7"
    prior = len(sys.argv) > 4 and sys.argv[4] == "prior"
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(3)
    m = MultiTaskHeads(channels=16, stages=2, regressor=True, pof_groups=groups, regressor_tap7=tap7, prior=prior).eval()
    with torch.no_grad():  # non-trivial biases (torch initialises some to small values)
        for p in m.parameters():
            p.add_(0.05 * torch.randn_like(p))
        for name, p in m.named_parameters():  # joint groups: a selector that uses several groups
            if name.endswith("selector"):
                p.copy_(torch.randn_like(p))
    g = torch.Generator().manual_seed(5)
    taps = {r: torch.randn(2, c, r, r, generator=g) * 5 for r, c in RES.items()}
    # keypoints over and a little beyond the 224 px crop (the network's output can leave it)
    kp = torch.cat([torch.rand(2, 21, 2, generator=g) * 260 - 18, torch.randn(2, 21, 1, generator=g) * 10], 2)
    with torch.no_grad():
        outs = m(taps, kp=kp if prior else None)[-1]
    if prior:
        kp.reshape(2, 63).numpy().astype("<f4").tofile(out / "kp.f32")
        prior_maps(kp).permute(0, 2, 3, 1).contiguous().numpy().astype("<f4").tofile(out / "prior.f32")
    for r, t in taps.items():
        t.permute(0, 2, 3, 1).contiguous().numpy().astype("<f4").tofile(out / f"t{r}.f32")
    nhwc = {k: (v.permute(0, 2, 3, 1) if v.ndim == 4 else v) for k, v in outs.items()}
    for k, v in nhwc.items():
        v.contiguous().numpy().astype("<f4").tofile(out / f"{k}.f32")
    export_state({"model": m.state_dict(), "config": m.config}, "heads_parity.py", {}, out)
    print(json.dumps({k: list(v.shape) for k, v in nhwc.items()}))


if __name__ == "__main__":
    main()
