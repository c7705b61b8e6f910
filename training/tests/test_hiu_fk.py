"""The torch forward kinematics the mesh regressor trains through (hiu/fk_torch.py): same joints and
vertices as the numpy model (itself parity-tested against the app's TypeScript), gradients that
reach every parameter, and the regressor's targets reproducing rendered labels.

    /usr/bin/python3 -m unittest discover -s tests -v
"""
import unittest

import numpy as np
import torch

from handsynth.labels import to_crop_frame
from handsynth.model import HandParams, forward, load_hand_model
from handsynth.render import render_sample
from hiu.fk_torch import regressed_to_3d
from hiu.regress_targets import crop_rotation_of

BODY = [k for k in range(21) if k not in (4, 8, 12, 16, 20)]


def random_params(rng, n):
    m = load_hand_model("right")
    p = np.zeros((n, 48), np.float32)
    p[:, :3] = rng.normal(0, 1, (n, 3))
    p[:, 3:27] = rng.uniform(m.dof_min - 0.2, m.dof_max + 0.2, (n, 24))  # some beyond the limits: clamped
    p[:, 27:47] = rng.uniform(-0.3, 0.3, (n, 20))
    p[:, 47] = rng.uniform(-0.3, 0.3, n)
    return p


class TorchForwardKinematics(unittest.TestCase):
    def test_same_as_numpy_model_both_hands(self):
        rng = np.random.default_rng(7)
        p = random_params(rng, 12)
        left = torch.tensor([i % 2 == 1 for i in range(12)])
        kp, vs = regressed_to_3d(torch.tensor(p), left)
        for i in range(12):
            h = "left" if left[i] else "right"
            ref = forward(
                load_hand_model(h),
                HandParams(h, p[i, :3].astype(float), np.zeros(3), p[i, 3:27].astype(float), 1 + p[i, 27:47].astype(float), 1 + float(p[i, 47])),
            )
            np.testing.assert_allclose(kp[i].numpy(), ref.keypoints, atol=2e-6)  # metres
            np.testing.assert_allclose(vs[i].numpy(), ref.vertices, atol=2e-6)

    def test_gradients_reach_rotation_pose_and_shape(self):
        p = torch.tensor(random_params(np.random.default_rng(8), 4) * 0.5, requires_grad=True)
        kp, vs = regressed_to_3d(p, torch.tensor([False, True, False, True]))
        (kp.square().sum() + vs.square().sum()).backward()
        g = p.grad.abs().sum(0)
        self.assertTrue(torch.isfinite(p.grad).all())
        self.assertTrue((g[:3] > 0).all() and (g[27:] > 0).all())
        self.assertGreater(int((g[3:27] > 0).sum()), 20)  # pose DOFs at a limit get no gradient

    def test_regressor_targets_reproduce_rendered_joints(self):
        models = {"right": load_hand_model("right"), "left": load_hand_model("left")}
        for i in range(6):
            s = render_sample(99, i)
            hand = "left" if s.handedness == 1 else "right"
            k3 = to_crop_frame(s.kp3d, s.roi[4])
            rot, _ = crop_rotation_of(s.params, hand, k3, models)
            t = np.concatenate([rot, s.params[6:30], s.params[30:51] - 1])[None].astype(np.float32)
            kp, _ = regressed_to_3d(torch.tensor(t), torch.tensor([hand == "left"]), vertices=False)
            np.testing.assert_allclose(kp[0].numpy()[BODY], (k3 - k3[0])[BODY], atol=1e-5)


if __name__ == "__main__":
    unittest.main()
