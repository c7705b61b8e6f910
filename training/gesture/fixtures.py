"""Noise-free right hands for the unit tests (tests/unit/gesture-features.test.ts): one per canned
gesture and a few None poses, upright (fingers up, palm or back to the camera, small tilts), from
the engine's pose prior; each the first draw of its seed whose label (labels.py) is clear and the
one asked for.

    cd training && /usr/bin/python3 -m gesture.fixtures > gesture/test-hands.json
"""
from __future__ import annotations

import json
import math

import numpy as np

from handsynth.geometry import Camera
from handsynth.model import HandParams, forward, vector_from_rotation

from .labels import LABELS, label_pose
from .synth import _rot, aim, sampler

CASES = [
    ("fist", "Closed_Fist", 0),
    ("open", "Open_Palm", 0),
    ("point", "Pointing_Up", 0),
    ("thumbs_up", "Thumb_Up", 0),
    ("thumbs_up", "Thumb_Down", 180),
    ("two", "Victory", 0),
    ("rock", "ILoveYou", 0),
    ("pinch", "Pinch", 0),
    ("ok", "Pinch", 0),
    ("three", "None", 0),
    ("call", "None", 0),
    ("fist", "Closed_Fist", 0),
    ("open", "Open_Palm", 0),
]


def make(intent, want, thumb_target, seed):
    cam = Camera.from_fov(1280, 720, 60)
    for k in range(200):
        rng = np.random.default_rng([seed, k])
        s = sampler("right")
        pose, _, thumb = s.sample_with_thumb(rng, intent)
        yaw = rng.normal(0, 0.3) + (math.pi if rng.random() < 0.4 else 0)
        R = _rot([0, 0, 1], math.pi + rng.normal(0, 0.2)) @ _rot([1, 0, 0], rng.normal(0, 0.2)) @ _rot([0, 1, 0], -math.pi / 2 + yaw)
        m = s.model
        if intent == "thumbs_up":
            rest = forward(m, HandParams("right", np.zeros(3), np.zeros(3), pose, np.ones(m.num_shapes), 1.0), vertices=False).keypoints
            R = aim(R, rest[4] - rest[2], math.radians(thumb_target))
        p = HandParams("right", vector_from_rotation(R), np.array([0.02, 0.0, 0.5]), pose, np.ones(m.num_shapes), 0.93)
        kp = forward(m, p, vertices=False).keypoints
        kp2d = cam.project(kp)
        label, clear = label_pose(intent, thumb, pose, s.idx, kp, kp2d)
        if clear and LABELS[label] == want:
            rel = kp - kp[0]
            return {
                "name": "%s-%d" % (intent, seed),
                "label": want,
                "handedness": "right",
                "image": [cam.width, cam.height],
                "keypoints2d": [{"x": round(float(a), 3), "y": round(float(b), 3)} for a, b in kp2d],
                "keypoints3d": [{"x": round(float(a), 6), "y": round(float(b), 6), "z": round(float(c), 6)} for a, b, c in rel],
            }
    raise RuntimeError("no clear %s for %s" % (want, intent))


def main():
    hands = [make(i, w, t, 100 + n) for n, (i, w, t) in enumerate(CASES)]
    print(json.dumps({"source": "cd training && /usr/bin/python3 -m gesture.fixtures", "hands": hands}))


if __name__ == "__main__":
    main()
