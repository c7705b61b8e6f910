"""The heads' training targets (hiu/targets.py in torch, the mask of hiu/taps.py) against the
definitions of handsynth/labels.py (dense_targets), on rendered samples (run from training/):

    /usr/bin/python3 -m unittest tests.test_hiu_targets -v

Tolerances: labels.py returns float32, so in float64 the two may differ by float32's rounding of
values up to 1 (2^-25 ~ 3e-8); the float32 path that training runs differs by a few float32 ulps;
the mask cache stores 56x56 coverage as uint8, so it is off by at most half a step (0.5 / 255).
"""
import unittest

import numpy as np
import torch

from handsynth.dataset import dense_targets
from handsynth.geometry import LANDMARK_INPUT
from handsynth.labels import heatmaps, pof, to_crop_frame
from handsynth.render import render_sample
from hiu import targets
from hiu.taps import mask56

SEED = 4243
N = 8
SIZE = 56
FLOAT32_ROUNDING = 2.0**-25 + 1e-12  # half a float32 ulp at 1 (the largest target value)


class TorchTargetsMatchLabels(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        samples = [render_sample(SEED, i) for i in range(N)]
        cls.kp2d = np.stack([s.kp2d for s in samples])
        # the crop-aligned 3D that hiu.taps caches (labels.py's to_crop_frame)
        cls.kp3d_crop = np.stack([to_crop_frame(s.kp3d.astype(np.float64), float(s.roi[4])) for s in samples])
        cls.masks = np.stack([s.mask for s in samples])
        cls.dense = [dense_targets(s, SIZE) for s in samples]

    def test_some_keypoints_and_bones_are_in_play(self):
        inside = ((self.kp2d >= 0) & (self.kp2d < LANDMARK_INPUT)).all(-1)
        self.assertGreater(int(inside.sum()), N * 21 // 2)
        self.assertGreater(int(np.stack([d["pof_valid"] for d in self.dense]).sum()), 0)

    def test_heatmaps_same_definition(self):
        got = targets.heatmaps(torch.from_numpy(self.kp2d.astype(np.float64)), SIZE).numpy()
        want = np.stack([heatmaps(k.astype(np.float64), SIZE) for k in self.kp2d])
        np.testing.assert_allclose(got, want, rtol=0, atol=FLOAT32_ROUNDING)

    def test_pof_and_validity_same_definition(self):
        got, got_valid = targets.pof(torch.from_numpy(self.kp2d.astype(np.float64)), torch.from_numpy(self.kp3d_crop), SIZE)
        want = [pof(k.astype(np.float64), k3, SIZE) for k, k3 in zip(self.kp2d, self.kp3d_crop)]
        np.testing.assert_array_equal(got_valid.numpy().astype(np.uint8), np.stack([w[1] for w in want]))
        np.testing.assert_allclose(got.numpy(), np.stack([w[0] for w in want]), rtol=0, atol=FLOAT32_ROUNDING)

    def test_training_path_float32_matches_dense_targets(self):
        """What hiu.losses builds from a float32 batch, against dense_targets of the same samples."""
        hm = targets.heatmaps(torch.from_numpy(self.kp2d), SIZE).numpy()
        pf, valid = targets.pof(torch.from_numpy(self.kp2d), torch.from_numpy(self.kp3d_crop.astype(np.float32)), SIZE)
        np.testing.assert_allclose(hm, np.stack([d["heatmaps"] for d in self.dense]), rtol=0, atol=1e-6)
        np.testing.assert_array_equal(valid.numpy().astype(np.uint8), np.stack([d["pof_valid"] for d in self.dense]))
        np.testing.assert_allclose(pf.numpy(), np.stack([d["pof"] for d in self.dense]), rtol=0, atol=1e-6)

    def test_cached_mask_matches_dense_mask(self):
        cached = mask56(self.masks).astype(np.float32) / 255.0  # as hiu.data.to_batch reads it
        np.testing.assert_allclose(cached, np.stack([d["mask"] for d in self.dense]), rtol=0, atol=0.5 / 255 + 1e-6)


if __name__ == "__main__":
    unittest.main()
