"""A pose prior over real hand use, within the model's joint limits.

Gestures (open, relaxed, fist, point, counting, thumbs-up, pinch, OK, grasps, claw, ...) are
built from per-finger curl and spread plus named thumb configurations, then perturbed with noise
and clamped to the limits. Angles here are in degrees of the model's parameters (0 = the
template's open rest pose; positive flex = towards the palm, positive abd = towards the thumb).
"""
from __future__ import annotations

import numpy as np

from .model import HandModel, HandParams, forward

FINGERS = ["index", "middle", "ring", "pinky"]
# spread (abd) of each finger for "together" (-1) .. "spread" (+1), degrees
ABD_TOGETHER = {"index": -4.0, "middle": -2.0, "ring": 4.0, "pinky": 10.0}
ABD_SPREAD = {"index": 22.0, "middle": 6.0, "ring": -12.0, "pinky": -28.0}
# thumb configurations: cmc_flex, cmc_abd, cmc_twist, mcp_flex, mcp_abd, ip_flex
THUMB = {
    "extended": (-30, 5, 0, 0, 5, 5),
    "relaxed": (-12, 18, 8, 12, 5, 12),
    "side": (8, -5, 5, 15, 0, 15),  # along the index (fist with the thumb at the side)
    "over": (22, 25, 25, 40, 5, 35),  # wrapped over the curled fingers
    "tucked": (32, 30, 30, 55, 5, 45),  # across the palm ("four")
    "up": (-20, 0, -5, 0, 0, 0),  # thumbs up
    "opposed": (5, 40, 30, 15, 5, 15),  # towards the fingertips (grasp, pinch start)
}
THUMB_DOFS = ["thumb_cmc_flex", "thumb_cmc_abd", "thumb_cmc_twist", "thumb_mcp_flex", "thumb_mcp_abd", "thumb_ip_flex"]

GESTURES = [
    # name, probability
    ("open", 0.10),
    ("relaxed", 0.12),
    ("fist", 0.09),
    ("point", 0.07),
    ("two", 0.05),
    ("three", 0.04),
    ("four", 0.03),
    ("thumbs_up", 0.04),
    ("pinch", 0.08),
    ("ok", 0.04),
    ("call", 0.02),
    ("rock", 0.02),
    ("l_shape", 0.02),
    ("grasp", 0.08),
    ("claw", 0.03),
    ("flat_bend", 0.02),
    ("independent", 0.08),
    ("random", 0.07),
]


class PoseSampler:
    def __init__(self, model: HandModel):
        self.model = model
        self.names = model.dof_names
        self.idx = {n: i for i, n in enumerate(self.names)}
        p = np.array([g[1] for g in GESTURES])
        self.gesture_p = p / p.sum()

    # --- building blocks ---
    def _set(self, pose, name, deg):
        pose[self.idx[name]] = np.radians(deg)

    def _finger(self, pose, rng, f, curl, style="natural", noise=1.0):
        """curl 0 (straight) .. 1 (fully flexed)."""
        if style == "natural":
            cm, cp = curl, curl
        elif style == "hook":
            cm, cp = 0.1 * curl, curl
        else:  # flat: bend at the knuckle only
            cm, cp = curl, 0.08 * curl
        mcp = cm * 88 + rng.normal(0, 5 * noise)
        if curl < 0.1 and rng.random() < 0.3:
            mcp -= rng.uniform(0, 18)  # hyper-extension of an open hand
        pip = cp * 102 + rng.normal(0, 5 * noise)
        dip = pip * rng.uniform(0.55, 0.85) + rng.normal(0, 4 * noise)
        self._set(pose, f + "_mcp_flex", mcp)
        self._set(pose, f + "_pip_flex", pip)
        self._set(pose, f + "_dip_flex", dip)

    def _spread(self, pose, rng, s, curls):
        for f in FINGERS:
            a = ABD_TOGETHER[f] + (ABD_SPREAD[f] - ABD_TOGETHER[f]) * (s + 1) / 2
            # curled fingers converge
            a *= 1 - 0.6 * curls[f]
            self._set(pose, f + "_mcp_abd", a + rng.normal(0, 3))

    def _thumb(self, pose, rng, name, jitter=1.0, mix=None, t=None):
        v = np.array(THUMB[name], dtype=float)
        if mix is not None:
            v = v + (np.array(THUMB[mix], float) - v) * (rng.random() if t is None else t)
        v += rng.normal(0, 5 * jitter, 6)
        for n, d in zip(THUMB_DOFS, v):
            self._set(pose, n, d)

    def _cupping(self, pose, rng, amount):
        self._set(pose, "ring_cmc_flex", amount * 8 + rng.normal(0, 2))
        self._set(pose, "pinky_cmc_flex", amount * 16 + rng.normal(0, 3))

    # --- gestures ---
    def sample(self, rng, gesture=None):
        if gesture is None:
            gesture = GESTURES[rng.choice(len(GESTURES), p=self.gesture_p)][0]
        pose = np.zeros(len(self.names))
        curls = {f: 0.0 for f in FINGERS}
        spread = rng.uniform(-1, 1)
        thumb = ("relaxed", None)
        style = "natural"

        def fist_curl():
            return rng.uniform(0.8, 1.0)

        ext = lambda: rng.uniform(0.0, 0.12)  # noqa: E731
        if gesture == "open":
            curls = {f: ext() for f in FINGERS}
            spread = rng.uniform(-0.6, 1)
            thumb = ("extended", "relaxed")
        elif gesture == "relaxed":
            base = rng.uniform(0.05, 0.35)
            curls = {f: np.clip(base + 0.08 * k + rng.normal(0, 0.05), 0, 1) for k, f in enumerate(FINGERS)}
            spread = rng.uniform(-0.8, 0.4)
            thumb = ("relaxed", "extended")
        elif gesture == "fist":
            curls = {f: fist_curl() for f in FINGERS}
            thumb = (["over", "side"][rng.integers(2)], None)
        elif gesture in ("point", "two", "three", "four", "call", "rock", "l_shape", "thumbs_up"):
            up = {
                "point": ["index"],
                "two": ["index", "middle"],
                "three": ["index", "middle", "ring"],
                "four": FINGERS,
                "call": ["pinky"],
                "rock": ["index", "pinky"],
                "l_shape": ["index"],
                "thumbs_up": [],
            }[gesture]
            if gesture == "three" and rng.random() < 0.4:
                up = ["index", "middle"]
                thumb = ("extended", None)
            else:
                thumb = {
                    "point": (["over", "side", "tucked"][rng.integers(3)], None),
                    "four": ("tucked", None),
                    "call": ("extended", None),
                    "l_shape": ("extended", None),
                    "thumbs_up": ("up", None),
                    "rock": (["over", "extended"][rng.integers(2)], None),
                }.get(gesture, (["over", "tucked"][rng.integers(2)], None))
            for f in FINGERS:
                curls[f] = ext() if f in up else fist_curl()
            spread = rng.uniform(0.0, 1.0) if gesture != "point" else rng.uniform(-1, 1)
        elif gesture in ("pinch", "ok"):
            thumb = ("opposed", None)
            if gesture == "ok":
                for f in FINGERS[1:]:
                    curls[f] = rng.uniform(0.0, 0.25)
            else:
                c = rng.uniform(0.0, 1.0)
                for f in FINGERS[1:]:
                    curls[f] = np.clip(c + rng.normal(0, 0.15), 0, 1)
            curls["index"] = rng.uniform(0.3, 0.6)
        elif gesture == "grasp":
            c = rng.uniform(0.3, 0.75)
            curls = {f: np.clip(c + rng.normal(0, 0.07), 0, 1) for f in FINGERS}
            thumb = ("opposed", ["relaxed", "over"][rng.integers(2)])
            spread = rng.uniform(-1, 0.6)
        elif gesture == "claw":
            c = rng.uniform(0.4, 0.9)
            curls = {f: np.clip(c + rng.normal(0, 0.07), 0, 1) for f in FINGERS}
            style = "hook"
            spread = rng.uniform(0, 1)
            thumb = ("opposed", "relaxed")
        elif gesture == "flat_bend":
            c = rng.uniform(0.4, 1.0)
            curls = {f: np.clip(c + rng.normal(0, 0.05), 0, 1) for f in FINGERS}
            style = "flat"
            spread = rng.uniform(-1, -0.3)
            thumb = ("relaxed", "opposed")
        elif gesture == "independent":
            curls = {f: rng.beta(0.6, 0.6) for f in FINGERS}
            thumb = (list(THUMB)[rng.integers(len(THUMB))], list(THUMB)[rng.integers(len(THUMB))])
        if gesture == "random":
            # uniform over a shrunken box of the limits: odd but legal poses (robustness)
            lo, hi = self.model.dof_min, self.model.dof_max
            mid = (lo + hi) / 2
            pose = mid + (rng.random(len(lo)) - 0.5) * (hi - lo) * 0.85
            # keep distal joints coupled a little (independent DIP flexion is rare)
            for f in FINGERS:
                pip = pose[self.idx[f + "_pip_flex"]]
                pose[self.idx[f + "_dip_flex"]] = 0.5 * pose[self.idx[f + "_dip_flex"]] + 0.5 * pip * 0.7
        else:
            for f in FINGERS:
                self._finger(pose, rng, f, curls[f], style)
            self._spread(pose, rng, spread, curls)
            self._thumb(pose, rng, thumb[0], mix=thumb[1])
            self._cupping(pose, rng, np.mean([curls["ring"], curls["pinky"]]) * rng.uniform(0.3, 1.0) + rng.uniform(0, 0.3))
            if gesture in ("pinch", "ok"):
                pose = np.clip(pose, self.model.dof_min, self.model.dof_max)
                pose = self.close_pinch(pose, rng, finger="index" if rng.random() < 0.85 else "middle")
        return np.clip(pose, self.model.dof_min, self.model.dof_max), gesture

    def close_pinch(self, pose, rng, finger="index", iters=12):
        """Moves the thumb (and the finger a little) so the tips touch: a few Gauss-Newton steps on
        |thumb tip - finger tip| with finite differences; stops short by a random gap (0-6 mm)."""
        m = self.model
        tip_f = {"index": 8, "middle": 12}[finger]
        dofs = [self.idx[n] for n in THUMB_DOFS] + [self.idx[finger + "_mcp_flex"], self.idx[finger + "_pip_flex"]]
        params = HandParams.rest(m)
        gap = rng.uniform(0.0, 0.006)
        x = pose.copy()
        prior = x.copy()
        lam = 1e-3

        def resid(v):
            params.pose = v
            kp = forward(m, params, vertices=False).keypoints
            d = kp[4] - kp[tip_f]
            n = np.linalg.norm(d)
            r = d * max(0.0, 1 - gap / max(n, 1e-9))
            return np.concatenate([r, 0.01 * (v[dofs] - prior[dofs])])

        for _ in range(iters):
            r = resid(x)
            if np.linalg.norm(r[:3]) < 5e-4:
                break
            Jm = np.zeros((len(r), len(dofs)))
            h = 1e-4
            for k, i in enumerate(dofs):
                xx = x.copy()
                xx[i] += h
                Jm[:, k] = (resid(xx) - r) / h
            step = np.linalg.solve(Jm.T @ Jm + lam * np.eye(len(dofs)), -Jm.T @ r)
            x[dofs] = np.clip(x[dofs] + step, m.dof_min[dofs], m.dof_max[dofs])
        return x
