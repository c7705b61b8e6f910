"""Concatenates splits of the splits.ts format (e.g. network-keypoint splits of several render seeds).

    cd training && /usr/bin/python3 -m gesture.merge_splits ../.cache/gesture-net/train-all ../.cache/gesture-net/train ../.cache/gesture-net/train2
"""
from __future__ import annotations

import json
import os
import sys

import numpy as np

DTYPES = {"f32": "<f4", "u8": "u1", "u32": "<u4"}


def main(argv=None):
    out, *srcs = argv if argv is not None else sys.argv[1:]
    metas = [json.load(open(os.path.join(s, "meta.json"))) for s in srcs]
    files = [f for f in metas[0]["files"] if f != "features.f32"]
    os.makedirs(out, exist_ok=True)
    for f in files:
        a = np.concatenate([np.fromfile(os.path.join(s, f), DTYPES[f.rsplit(".", 1)[1]]) for s in srcs])
        a.tofile(os.path.join(out, f))
    labels = metas[0]["labels"]
    counts = {k: sum(m["labelCounts"][k] for m in metas) for k in labels}
    meta = dict(
        metas[0],
        count=sum(m["count"] for m in metas),
        clear=sum(m["clear"] for m in metas),
        dropped=sum(m.get("dropped", 0) for m in metas),
        labelCounts=counts,
        files=files,
        seed=[m["seed"] for m in metas],
        command=" ; ".join(m["command"] for m in metas) + " && cd training && /usr/bin/python3 -m gesture.merge_splits " + " ".join([out] + srcs),
    )
    with open(os.path.join(out, "meta.json"), "w") as fh:
        json.dump(meta, fh, indent=1)
    print(json.dumps({k: meta[k] for k in ("count", "clear", "labelCounts")}))


if __name__ == "__main__":
    main()
