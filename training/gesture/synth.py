"""Synthetic labelled hands for the gesture classifier: keypoints only, no pixels.

A sample: a pose from the engine's gesture prior (handsynth/poses.py via RecordingPoseSampler), a
random bone-length shape, left or right (50/50, the engine's mirrored model), a global rotation
biased to what a webcam sees, a pinhole camera (webcam field of view, 0.3-1.2 m), then
- the label, by geometry of the noise-free posed hand (labels.py);
- the classifier's inputs with a landmark network's noise: 2D keypoints in image pixels and 3D
  keypoints in metres, camera axes, wrist-relative (what HandResult carries).

Sample i of seed s depends only on (s, i) (numpy PCG64 seeded with [s, i]): splits are disjoint by
seed (train 1, held-out 2, sequences 3) and the same whatever the worker count.

    cd training && /usr/bin/python3 -m gesture.synth --out ../.cache/gesture   (all splits, ~2 min)
"""
from __future__ import annotations

import os

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import multiprocessing as mp  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402

from handsynth.geometry import Camera  # noqa: E402
from handsynth.render import _rot  # noqa: E402
from handsynth.model import HandParams, forward, load_hand_model, vector_from_rotation  # noqa: E402

from .labels import LABELS, label_pose  # noqa: E402
from .poses import RecordingPoseSampler  # noqa: E402

# Intents drawn (not the engine's prior, which is mostly non-canned poses): ~3/4 canned gestures,
# 1/4 everything else; directional intents (point, thumbs_up) get more because only part of them
# point within the cone.
INTENTS = [
    ("fist", 0.11),
    ("open", 0.11),
    ("point", 0.13),
    ("thumbs_up", 0.15),
    ("two", 0.08),
    ("rock", 0.08),
    ("pinch", 0.06),
    ("ok", 0.04),
    ("relaxed", 0.04),
    ("three", 0.03),
    ("four", 0.02),
    ("call", 0.02),
    ("l_shape", 0.03),
    ("grasp", 0.03),
    ("claw", 0.02),
    ("flat_bend", 0.02),
    ("independent", 0.02),
    ("random", 0.01),
    ("open_relaxed", 0.06),
]
INTENT_NAMES = [n for n, _ in INTENTS]
INTENT_P = np.array([p for _, p in INTENTS]) / sum(p for _, p in INTENTS)

# Landmark-network-like noise (per sample the whole level is scaled by U(0.5, 1.6)):
# 2D: mean error ~4 % of the hand's box side -> per-axis sd 3.2 % (mean |N2| = 1.25 sd);
# 3D: mean error ~9 mm -> per-axis sd 5.5 mm (mean |N3| = 1.6 sd), depth x1.4 (monocular);
# the thumb's keypoints x1.5. Half of each keypoint's variance is shared along its finger (a network
# misplaces a finger as a whole), half independent.
NOISE_2D = 0.032
NOISE_3D = 0.0055
NOISE_Z = 1.4
THUMB_NOISE = 1.5
# The landmark network's systematic errors, measured on renders with exact poses
# (training/gesture/network-probe.ts, 415 whole-hand crops; README "Measured network errors"): it
# flattens flexion (network curl ~ 0.17 + 0.58 x true curl: a fist finger at 0.87 reads ~0.7) and
# pulls touching tips apart (thumb-index tip 0.12 -> 0.5 palm widths in 3D). The classifier's inputs
# are therefore made from a *biased pose* (labels stay those of the true pose): each finger's flexion
# DOFs scaled by FLEX_KEEP (per sample) x N(1, FLEX_KEEP_SD) (per finger), the thumb's DOFs moved by
# N(0, THUMB_POSE_SD) degrees (a correlated whole-thumb error); in BIAS_P of the samples. Then the
# per-keypoint noise below, whose level is U(NOISE_LEVEL) (straight fingers' curl q90 ~0.35 as the
# network's on renders, not 0.5).
BIAS_P = 0.8
FLEX_KEEP = (0.6, 1.0)
FLEX_KEEP_SD = 0.08
THUMB_POSE_SD = 7.0
NOISE_LEVEL = (0.4, 1.2)
FLEX_DOFS = {f: ["%s_mcp_flex" % f, "%s_pip_flex" % f, "%s_dip_flex" % f] for f in ("index", "middle", "ring", "pinky")}
THUMB_DOFS = ["thumb_cmc_flex", "thumb_cmc_abd", "thumb_cmc_twist", "thumb_mcp_flex", "thumb_mcp_abd", "thumb_ip_flex"]
FINGER_OF = np.array([0] + [1] * 4 + [2] * 4 + [3] * 4 + [4] * 4 + [5] * 4)  # 0 wrist, 1 thumb, ...

_SAMPLERS = {}


def sampler(handedness):
    if handedness not in _SAMPLERS:
        _SAMPLERS[handedness] = RecordingPoseSampler(load_hand_model(handedness))
    return _SAMPLERS[handedness]


def webcam_orientation(rng, handedness):
    """handsynth.render.hand_orientation's yaw (palm / back / side to the camera) and pitch, with the
    in-plane roll biased to fingers-up (a webcam user raises a hand: 60 % within N(0, 35 deg) of
    upright, 40 % uniform). Roll 0 points the model's fingers (+y) down the image, hence the pi."""
    u = rng.random()
    if u < 0.42:
        yaw = rng.normal(0, 0.6)
    elif u < 0.77:
        yaw = math.pi + rng.normal(0, 0.6)
    else:
        yaw = (1 if rng.random() < 0.5 else -1) * math.pi / 2 + rng.normal(0, 0.4)
    pitch = float(np.clip(rng.normal(0, 0.5), -1.3, 1.3))
    roll = math.pi + rng.normal(0, math.radians(35)) if rng.random() < 0.6 else rng.uniform(-math.pi, math.pi)
    base = -math.pi / 2 if handedness == "right" else math.pi / 2
    return _rot([0, 0, 1], roll) @ _rot([1, 0, 0], pitch) @ _rot([0, 1, 0], base + yaw)


def image_angle(v):
    """Clockwise angle of a camera-frame vector's image direction from the image's up (x right, y down)."""
    return math.atan2(v[0], -v[1])


def aim(R, v_model, target):
    """R turned about the camera's optical axis so that R v_model points at `target` in the image."""
    return _rot([0, 0, 1], target - image_angle(R @ v_model)) @ R


def pose_sample(rng):
    """A posed hand in a camera: dict with the noise-free keypoints and everything to label it."""
    handed = "right" if rng.random() < 0.5 else "left"
    intent = INTENT_NAMES[rng.choice(len(INTENT_NAMES), p=INTENT_P)]
    s = sampler(handed)
    if intent == "open_relaxed":
        s.last_thumb = (None, None)
        pose, intent, thumb = s.sample_open_relaxed(rng)
    else:
        pose, intent, thumb = s.sample_with_thumb(rng, intent)
    m = s.model
    bs = np.clip(rng.normal(1, 0.04, m.num_shapes), 0.85, 1.18)
    gs = float(np.clip(rng.normal(0.93, 0.07), 0.72, 1.12))
    R = webcam_orientation(rng, handed)
    if intent == "thumbs_up":
        # a thumbs-up is shown with the thumb up (or down): aim the thumb's image direction at up
        # (45 %) or down (25 %) within N(0, 30 deg), else anywhere (sideways thumbs are None)
        u = rng.random()
        target = rng.normal(0, 30) if u < 0.45 else 180 + rng.normal(0, 30) if u < 0.7 else rng.uniform(-180, 180)
        rest = forward(m, HandParams(handed, np.zeros(3), np.zeros(3), pose, np.ones(m.num_shapes), 1.0), vertices=False).keypoints
        R = aim(R, rest[4] - rest[2], math.radians(target))
    W, H = [(640, 480), (1280, 720), (1920, 1080)][rng.integers(3)]
    cam = Camera.from_fov(W, H, rng.uniform(50, 80))
    depth = float(np.exp(rng.uniform(np.log(0.3), np.log(1.2))))
    px = (rng.uniform(0.2, 0.8) * W, rng.uniform(0.2, 0.8) * H)
    t = np.array([(px[0] - cam.cx) / cam.fx, (px[1] - cam.cy) / cam.fy, 1.0]) * depth
    p = HandParams(handed, vector_from_rotation(R), t, pose, bs, gs)
    kp = forward(m, p, vertices=False).keypoints
    return dict(handedness=handed, intent=intent, thumb=thumb, pose=pose, dof_index=s.idx, kp3d=kp, cam=cam, params=p, model=m)


def biased_keypoints(rng, h):
    """Camera-frame keypoints of the pose as the network tends to see it (see BIAS_P)."""
    if rng.random() >= BIAS_P:
        return h["kp3d"]
    m, p, idx = h["model"], h["params"], h["dof_index"]
    pose = np.array(h["pose"], float)
    keep = rng.uniform(*FLEX_KEEP)
    for f, names in FLEX_DOFS.items():
        k = min(1.0, keep * rng.normal(1, FLEX_KEEP_SD))
        for n in names:
            pose[idx[n]] = pose[idx[n]] * k if pose[idx[n]] > 0 else pose[idx[n]]
    for n in THUMB_DOFS:
        pose[idx[n]] += math.radians(rng.normal(0, THUMB_POSE_SD))
    pose = np.clip(pose, m.dof_min, m.dof_max)
    q = HandParams(p.handedness, p.global_rotation, p.translation, pose, p.bone_scales, p.global_scale)
    return forward(m, q, vertices=False).keypoints


def noisy_inputs(rng, kp3d, kp2d, level):
    """The classifier's inputs: (2D px, 3D wrist-relative metres) with landmark-like noise."""
    box = float(max(np.ptp(kp2d[:, 0]), np.ptp(kp2d[:, 1])))
    scale = np.where(FINGER_OF == 1, THUMB_NOISE, 1.0)[:, None]

    def draw(sd, dims):
        shared = rng.normal(0, sd / math.sqrt(2), (6, dims))[FINGER_OF]
        own = rng.normal(0, sd / math.sqrt(2), (21, dims))
        return (shared + own) * scale

    n2 = draw(NOISE_2D * box * level, 2)
    n3 = draw(NOISE_3D * level, 3) * np.array([1, 1, NOISE_Z])
    k3 = kp3d + n3
    return kp2d + n2, k3 - k3[0]


def make_sample(seed, index):
    rng = np.random.default_rng([seed, index])
    h = pose_sample(rng)
    kp2d = h["cam"].project(h["kp3d"])
    label, clear = label_pose(h["intent"], h["thumb"], h["pose"], h["dof_index"], h["kp3d"], kp2d)
    level = rng.uniform(*NOISE_LEVEL)
    kb = biased_keypoints(rng, h)
    n2, n3 = noisy_inputs(rng, kb, h["cam"].project(kb), level)
    return dict(kp2d=n2, kp3d=n3, handedness=h["handedness"], label=label, clear=clear, intent=h["intent"], noise=level)


def make_sequence(seed, index, frames=60, fps=30.0):
    """One held pose seen for `frames` frames: the hand drifts and turns slowly (a few degrees, a
    few mm per frame) and the noise is drawn anew every frame (worst case: a real network's errors
    are correlated over time and the pipeline smooths them with a One Euro filter)."""
    rng = np.random.default_rng([seed, index])
    h = pose_sample(rng)
    m, p, cam = h["model"], h["params"], h["cam"]
    R0 = _rotmat(p.global_rotation)
    w = rng.normal(0, math.radians(15), 3)  # total turn over the sequence
    v = rng.normal(0, 0.03, 3)  # total drift, metres
    level = rng.uniform(0.5, 1.6)
    out = []
    for k in range(frames):
        f = k / max(frames - 1, 1)
        p.global_rotation = vector_from_rotation(_rot_vec(w * (f - 0.5)) @ R0)
        p.translation = h["params"].translation if k == 0 else p.translation
        kp = forward(m, p, vertices=False).keypoints + v * (f - 0.5)
        kp2d = cam.project(kp)
        label, clear = label_pose(h["intent"], h["thumb"], h["pose"], h["dof_index"], kp, kp2d)
        n2, n3 = noisy_inputs(rng, kp, kp2d, level)
        out.append(
            dict(kp2d=n2, kp3d=n3, handedness=h["handedness"], label=label, clear=clear, intent=h["intent"], noise=level, seq=index, time=k * 1000.0 / fps)
        )
    return out


def _rotmat(v):
    from handsynth.model import rotation_from_vector

    return rotation_from_vector(v)


def _rot_vec(w):
    from handsynth.model import rotation_from_vector

    return rotation_from_vector(w)


def _one(a):
    seed, i = a
    return make_sample(seed, i)


def _seq(a):
    seed, i, frames = a
    return make_sequence(seed, i, frames)


def write_split(path, samples, meta):
    """Raw little-endian arrays (read by training/gesture/features-cli.ts and train.py):
    kp2d.f32 (N, 21, 2) px, kp3d.f32 (N, 21, 3) m, handedness.u8 (0 right, 1 left), label.u8
    (LABELS order), clear.u8, intent.u8 (INTENT_NAMES order), noise.f32, [seq.u32, time.f32]."""
    os.makedirs(path, exist_ok=True)
    n = len(samples)
    arrays = {
        "kp2d.f32": np.array([s["kp2d"] for s in samples], "<f4"),
        "kp3d.f32": np.array([s["kp3d"] for s in samples], "<f4"),
        "handedness.u8": np.array([s["handedness"] == "left" for s in samples], "u1"),
        "label.u8": np.array([s["label"] for s in samples], "u1"),
        "clear.u8": np.array([s["clear"] for s in samples], "u1"),
        "intent.u8": np.array([INTENT_NAMES.index(s["intent"]) for s in samples], "u1"),
        "noise.f32": np.array([s["noise"] for s in samples], "<f4"),
    }
    if "seq" in samples[0]:
        arrays["seq.u32"] = np.array([s["seq"] for s in samples], "<u4")
        arrays["time.f32"] = np.array([s["time"] for s in samples], "<f4")
    for k, a in arrays.items():
        a.tofile(os.path.join(path, k))
    counts = np.bincount(arrays["label.u8"], minlength=len(LABELS))
    meta = dict(
        meta,
        format="hands/gesture-synth",
        version=1,
        count=n,
        labels=LABELS,
        intents=INTENT_NAMES,
        files=sorted(arrays),
        labelCounts=dict(zip(LABELS, counts.tolist())),
        clear=int(arrays["clear.u8"].sum()),
    )
    with open(os.path.join(path, "meta.json"), "w") as fh:
        json.dump(meta, fh, indent=1)
    return meta


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="../.cache/gesture")
    ap.add_argument("--train", type=int, default=40000)
    ap.add_argument("--heldout", type=int, default=10000)
    ap.add_argument("--sequences", type=int, default=400)
    ap.add_argument("--frames", type=int, default=60)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args(argv)
    cmd = "cd training && /usr/bin/python3 -m gesture.synth " + " ".join(argv if argv is not None else sys.argv[1:])
    ctx = mp.get_context("fork")
    with ctx.Pool(a.workers) as pool:
        for name, seed, count in (("train", 1, a.train), ("heldout", 2, a.heldout)):
            samples = pool.map(_one, [(seed, i) for i in range(count)], chunksize=64)
            meta = write_split(os.path.join(a.out, name), samples, dict(seed=seed, command=cmd))
            print(name, json.dumps({k: meta[k] for k in ("count", "clear", "labelCounts")}), flush=True)
        if a.sequences:
            seqs = pool.map(_seq, [(3, i, a.frames) for i in range(a.sequences)], chunksize=4)
            meta = write_split(os.path.join(a.out, "sequences"), [f for s in seqs for f in s], dict(seed=3, command=cmd, frames=a.frames, fps=30))
            print("sequences", json.dumps({k: meta[k] for k in ("count", "clear", "labelCounts")}), flush=True)


if __name__ == "__main__":
    main()
