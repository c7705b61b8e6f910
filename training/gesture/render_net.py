"""Renders of synthetic hands labelled by labels.py, for training the classifier on the landmark
network's own keypoints (training/gesture/net-keypoints.ts runs the network on the crops).

The scene is handsynth.render's (backgrounds, lighting, sleeves, occluders, second hands, jittered
rotated ROI crops), with two things swapped in so the hands are those of synth.py:
- the pose comes from gesture.poses.RecordingPoseSampler (the thumb configuration is known; intents
  drawn as synth.INTENTS, 'open_relaxed' included);
- the global orientation is synth.webcam_orientation (roll biased to a raised hand; thumbs-ups
  aimed up / down / anywhere as in synth.pose_sample).
The label (and clear flag) is labels.label_pose on the TRUE pose: 3D camera-frame keypoints and
their projection in the SOURCE image (the frame the pipeline reports 2D keypoints in; the crop is
rotated to the hand, so net-keypoints.ts maps the network's crop keypoints back through the ROI).
Sample i of seed s depends only on (s, i). Synthetic only, never real data.

    cd training && /usr/bin/python3 -m gesture.render_net --out ../.cache/gesture-net/train --seed 11 --count 3000
"""
from __future__ import annotations

import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import multiprocessing as mp  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from handsynth import render as R  # noqa: E402
from handsynth.geometry import LANDMARK_INPUT, Camera  # noqa: E402
from handsynth.model import HandParams, forward, load_hand_model  # noqa: E402

from . import synth  # noqa: E402
from .labels import label_pose  # noqa: E402

_LAST = {}


def _sample_hand(rng, handedness, gesture=None):
    """handsynth.render.sample_hand with synth's RecordingPoseSampler (same draws after the pose)."""
    s = synth.sampler(handedness)
    if gesture == "open_relaxed":
        s.last_thumb = (None, None)
        pose, gesture, thumb = s.sample_open_relaxed(rng)
    else:
        pose, gesture, thumb = s.sample_with_thumb(rng, gesture)
    h = R.hand_with_pose(rng, handedness, pose, gesture)
    h.thumb, h.pose_copy, h.dof_index = thumb, np.array(pose, float), s.idx
    _LAST["current"] = h if _LAST.get("want_target") else None
    if _LAST.get("want_target"):
        _LAST["target"] = h
        _LAST["want_target"] = False
    return h


def _hand_orientation(rng, handedness, view=None):
    Rm = synth.webcam_orientation(rng, handedness)
    h = _LAST.get("current")
    if h is not None and h.gesture == "thumbs_up":
        u = rng.random()
        target = rng.normal(0, 30) if u < 0.45 else 180 + rng.normal(0, 30) if u < 0.7 else rng.uniform(-180, 180)
        m = load_hand_model(handedness)
        rest = forward(m, HandParams(handedness, np.zeros(3), np.zeros(3), h.pose_copy, np.ones(m.num_shapes), 1.0), vertices=False).keypoints
        Rm = synth.aim(Rm, rest[4] - rest[2], math.radians(target))
    return Rm


_orig_sample_scene = R.sample_scene


def _sample_scene(rng, cfg=R.Config(), gesture=None):
    _LAST["want_target"] = True
    return _orig_sample_scene(rng, cfg, gesture)


R.sample_hand = _sample_hand
R.hand_orientation = _hand_orientation
R.sample_scene = _sample_scene


def _one(a):
    seed, i = a
    rng = np.random.default_rng([seed, i, 7])
    intent = synth.INTENT_NAMES[rng.choice(len(synth.INTENT_NAMES), p=synth.INTENT_P)]
    s = R.render_sample(seed, i, gesture=intent)
    h = _LAST["target"]
    assert np.allclose(s.params[6 : 6 + len(h.pose_copy)], h.pose_copy, atol=1e-4), "target hand mismatch"
    fx, fy, cx, cy, W, H = [float(v) for v in s.cam]
    cam = Camera(fx, fy, cx, cy, int(W), int(H))
    kp3 = np.asarray(s.kp3d, float)
    kp2 = cam.project(kp3)
    label, clear = label_pose(h.gesture, h.thumb, h.pose_copy, h.dof_index, kp3, kp2)
    return s.image.tobytes(), dict(
        label=int(label),
        clear=bool(clear),
        intent=h.gesture,
        handedness="right" if s.handedness == 0 else "left",
        roi=[float(v) for v in s.roi],
        kp2d=kp2.round(3).tolist(),
        kp3d=(kp3 - kp3[0]).round(5).tolist(),
        kpCrop=np.asarray(s.kp2d, float).round(3).tolist(),
        vis=[int(v) for v in s.vis],
        frameEdge=bool(s.info.get("frame_edge")),
    )


def main():
    ap_ = argparse.ArgumentParser()
    ap_.add_argument("--out", required=True)
    ap_.add_argument("--count", type=int, default=3000)
    ap_.add_argument("--seed", type=int, default=11)
    ap_.add_argument("--workers", type=int, default=2)
    a = ap_.parse_args()
    os.makedirs(a.out, exist_ok=True)
    labels = []
    t0 = time.time()
    with mp.get_context("fork").Pool(a.workers) as pool, open(os.path.join(a.out, "crops.u8"), "wb") as fh:
        for k, (img, lab) in enumerate(pool.imap(_one, [(a.seed, i) for i in range(a.count)], chunksize=4)):
            fh.write(img)
            labels.append(lab)
            if (k + 1) % 200 == 0:
                print("%d rendered (%.1f /s)" % (k + 1, (k + 1) / (time.time() - t0)), flush=True)
    with open(os.path.join(a.out, "labels.json"), "w") as fh:
        json.dump(
            {
                "size": LANDMARK_INPUT,
                "seed": a.seed,
                "intents": synth.INTENT_NAMES,
                "command": "cd training && /usr/bin/python3 -m gesture.render_net --out %s --seed %d --count %d" % (a.out, a.seed, a.count),
                "samples": labels,
            },
            fh,
        )
    print("wrote", len(labels), "in %.0f s" % (time.time() - t0))


if __name__ == "__main__":
    main()
