"""The engine's pose prior (handsynth/poses.py), wrapped so the thumb configuration it chose is known.

Labels such as ILoveYou (rock with the thumb out) depend on which named thumb configuration the
sampler picked; poses.py does not return it. Subclassing records it without touching poses.py, so
the random streams of rendered training data stay the same (the override draws nothing itself).
"""
from __future__ import annotations

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
