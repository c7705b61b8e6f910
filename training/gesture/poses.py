"""The engine's pose prior (handsynth/poses.py), wrapped so the thumb configuration it chose is known.

Labels such as ILoveYou (rock with the thumb out) depend on which named thumb configuration the
sampler picked; poses.py does not return it. Subclassing records it without touching poses.py, so
the random streams of rendered training data stay the same (the override draws nothing itself).
"""
from __future__ import annotations

import numpy as np

from handsynth.poses import PoseSampler


class RecordingPoseSampler(PoseSampler):
    """`sample` also returns (thumb name, mixed-with name), as passed to `_thumb`."""

    def _thumb(self, pose, rng, name, jitter=1.0, mix=None, t=None):
        self.last_thumb = (name, mix)
        return super()._thumb(pose, rng, name, jitter=jitter, mix=mix, t=t)

    def sample_with_thumb(self, rng, gesture=None):
        self.last_thumb = (None, None)  # 'random' poses never call _thumb
        pose, gesture = self.sample(rng, gesture)
        return pose, gesture, self.last_thumb

    def sample_open_relaxed(self, rng):
        """An open hand as people hold one up (what MediaPipe calls Open_Palm: all five fingers extended,
        not necessarily straight or spread): each finger flexed a little (curl 0-0.3, more towards the
        pinky), the thumb anywhere from splayed ('extended') to lying alongside the index ('side').
        The engine's 'open' keeps fingers within curl 0.12 and the thumb splayed; real open hands
        measure looser (training/gesture/README.md, "Real photos")."""
        from handsynth.poses import FINGERS

        pose = np.zeros(len(self.names))
        base = rng.uniform(0.0, 0.22)
        curls = {f: float(np.clip(base + 0.03 * k + rng.normal(0, 0.05), 0, 0.4)) for k, f in enumerate(FINGERS)}
        for f in FINGERS:
            self._finger(pose, rng, f, curls[f])
        self._spread(pose, rng, rng.uniform(-1, 1), curls)
        self._thumb(pose, rng, "extended", mix="side")
        self._cupping(pose, rng, rng.uniform(0, 0.5))
        return np.clip(pose, self.model.dof_min, self.model.dof_max), "open_relaxed", self.last_thumb
