"""Per-stage figures of a checkpoint on synthetic validation taps: is the cascade's second stage
worth its cost? (2D keypoints from the heat maps, mask IoU, POF 3D error, regressor errors: the
figures of metrics.summarise, which train.py's validation reports for the last stage.)

    /usr/bin/python3 -m hiu.stages ../.cache/hiu/abl-single/last.pt ../.cache/hiu/taps/val
"""
from __future__ import annotations

import json
import sys

import numpy as np
import torch

from .data import batches, find_shards
from .metrics import batch_errors, summarise
from .model import MultiTaskHeads


def main() -> None:
    torch.set_num_threads(1)
    m = MultiTaskHeads.from_checkpoint(sys.argv[1])
    per_stage = [[] for _ in range(m.config["stages"])]
    with torch.no_grad():
        for b in batches(find_shards(sys.argv[2]), 100, np.random.default_rng(0)):
            for k, out in enumerate(m.on_batch(b)):
                per_stage[k].append(batch_errors(out, b))
    for k, errors in enumerate(per_stage):
        print(json.dumps({"stage": k + 1, **{key: round(v, 3) for key, v in summarise(errors).items()}}))


if __name__ == "__main__":
    main()
