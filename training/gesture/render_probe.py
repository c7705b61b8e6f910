"""Renders of canned gestures with their exact keypoints, for measuring the landmark network's
systematic errors on hands whose pose is known (training/gesture/network-probe.ts); never real data.

    cd training && /usr/bin/python3 -m gesture.render_probe --out ../.cache/gesture-probe --count 600
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os

import numpy as np

from handsynth.geometry import LANDMARK_INPUT
from handsynth.render import render_sample

GESTURES = ["open", "relaxed", "fist", "point", "two", "thumbs_up", "pinch", "ok", "rock"]


def _one(a):
    seed, i = a
    g = GESTURES[i % len(GESTURES)]
    s = render_sample(seed, i, gesture=g)
    return s.image.tobytes(), {
        "kp3d": s.kp3d.round(5).tolist(),
        "kp2d": s.kp2d.round(3).tolist(),
        "vis": s.vis.tolist(),
        "handedness": "right" if s.handedness == 0 else "left",
        "gesture": s.info["gesture"],
        "frameEdge": bool(s.info.get("frame_edge")),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="../.cache/gesture-probe")
    ap.add_argument("--count", type=int, default=600)
    ap.add_argument("--seed", type=int, default=4242)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    labels = []
    with mp.get_context("fork").Pool(2) as pool, open(os.path.join(a.out, "crops.u8"), "wb") as fh:
        for img, lab in pool.imap(_one, [(a.seed, i) for i in range(a.count)], chunksize=8):
            fh.write(img)
            labels.append(lab)
    with open(os.path.join(a.out, "labels.json"), "w") as fh:
        json.dump({"size": LANDMARK_INPUT, "samples": labels}, fh)
    print("wrote", len(labels))


if __name__ == "__main__":
    main()
