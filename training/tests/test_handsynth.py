"""Label consistency of the synthetic engine (plain unittest; run from training/):

    /usr/bin/python3 -m unittest discover -s tests -v
"""
import os
import shutil
import tempfile
import unittest

import numpy as np

from handsynth.dataset import ShardReader, dense_targets, stream, write_shard
from handsynth.geometry import LANDMARK_INPUT, Camera, RotatedRect, image_to_crop, roi_from_landmarks
from handsynth.labels import BONES, bone_vectors, heatmap_argmax, heatmaps, pof, to_crop_frame
from handsynth.model import HandParams, forward, load_hand_model
from handsynth.render import SCENES, Config, _girth_vertices, render_sample, sample_scene

SEED = 4242
N = 24


def project(s, pts):
    cam = Camera(*[float(x) for x in s.cam[:4]], int(s.cam[4]), int(s.cam[5]))
    rect = RotatedRect(*[float(x) for x in s.roi])
    return image_to_crop(rect, cam.project(pts.astype(np.float64))), cam


class LabelConsistency(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.samples = [render_sample(SEED, i) for i in range(N)]

    def test_projected_3d_equals_2d(self):
        for s in self.samples:
            uv, _ = project(s, s.kp3d)
            np.testing.assert_allclose(uv, s.kp2d, atol=2e-3)  # float32 storage

    def test_roi_is_the_landmark_rule_on_the_true_keypoints(self):
        for s in self.samples:
            cam = Camera(*[float(x) for x in s.cam[:4]], int(s.cam[4]), int(s.cam[5]))
            roi = roi_from_landmarks(cam.project(s.kp3d.astype(np.float64)))
            np.testing.assert_allclose(roi.to_array(), s.roi_exact, rtol=1e-4, atol=1e-3)

    def test_mask_area_positive_and_hand_only(self):
        for s in self.samples:
            self.assertGreater(int((s.mask >= 128).sum()), 0)
            # the mask never covers the black area outside the source frame
            black = (s.image == 0).all(axis=2)
            self.assertEqual(int(((s.mask > 0) & black).sum()), 0)

    def test_visible_keypoints_lie_in_or_at_the_mask(self):
        n_vis = 0
        for s in self.samples:
            m = s.mask > 0
            for k in np.nonzero(s.vis)[0]:
                x, y = s.kp2d[k]
                x0, x1 = int(max(0, np.floor(x) - 3)), int(min(LANDMARK_INPUT, np.floor(x) + 4))
                y0, y1 = int(max(0, np.floor(y) - 3)), int(min(LANDMARK_INPUT, np.floor(y) + 4))
                self.assertTrue(m[y0:y1, x0:x1].any(), "visible keypoint %d at (%.1f, %.1f) is off the mask" % (k, x, y))
                n_vis += 1
        self.assertGreater(n_vis, N * 5)

    def test_visible_keypoints_are_in_the_crop(self):
        for s in self.samples:
            v = s.vis.astype(bool)
            self.assertTrue(((s.kp2d[v] >= 0) & (s.kp2d[v] < LANDMARK_INPUT)).all())

    def test_params_reproduce_keypoints_and_vertices(self):
        for s in self.samples:
            hd = "right" if s.handedness == 0 else "left"
            m = load_hand_model(hd)
            p = s.params.astype(np.float64)
            D, S = m.num_dofs, m.num_shapes
            hp = HandParams(hd, p[0:3], p[3:6], p[6 : 6 + D], p[6 + D : 6 + D + S], float(p[6 + D + S]))
            r = forward(m, hp, rest_vertices=_girth_vertices(hd, s.girth))
            np.testing.assert_allclose(r.keypoints, s.kp3d, atol=2e-6)
            np.testing.assert_allclose(r.vertices, s.vertices, atol=2e-6)
            np.testing.assert_allclose(r.joints, s.joints3d, atol=2e-6)
            # tips are mesh vertices
            tips = m.kp_vertex >= 0
            np.testing.assert_allclose(s.vertices[m.kp_vertex[tips]], s.kp3d[tips], atol=1e-6)
            # the pose is within the limits
            self.assertTrue(np.all(hp.pose >= m.dof_min - 1e-6) and np.all(hp.pose <= m.dof_max + 1e-6))

    def test_pof_unit_length_where_valid(self):
        for s in self.samples:
            k3 = to_crop_frame(s.kp3d.astype(np.float64), s.roi[4])
            u2, z, valid = bone_vectors(s.kp2d.astype(np.float64), k3)
            np.testing.assert_allclose(np.linalg.norm(u2[valid], axis=1), 1, atol=1e-6)
            self.assertTrue(np.all(np.abs(z) <= 1 + 1e-9))
            P, V = pof(s.kp2d.astype(np.float64), k3, 56)
            P = P.reshape(21, 3, 56, 56)
            on = V.astype(bool)
            n2 = np.hypot(P[:, 0], P[:, 1])
            np.testing.assert_allclose(n2[on], 1, atol=1e-5)
            self.assertTrue(np.all(P[:, :, ~on.any(axis=0)] == 0))
            # the z channel equals the 3D unit vector's z in crop axes
            d = k3[BONES[:, 1]] - k3[BONES[:, 0]]
            zt = d[:, 2] / np.linalg.norm(d, axis=1)
            for b in range(21):
                if on[b].any():
                    np.testing.assert_allclose(P[b, 2][on[b]], zt[b], atol=1e-6)
            # the 2D direction agrees with the 3D vector's image-plane part, for bones not pointing at
            # the camera (for those, perspective can turn the image direction far from the x, y part)
            long2d = (np.linalg.norm(s.kp2d[BONES[:, 1]] - s.kp2d[BONES[:, 0]], axis=1) > 8) & (np.abs(zt) < 0.6)
            xy = d[:, :2] / np.maximum(np.linalg.norm(d[:, :2], axis=1, keepdims=True), 1e-12)
            self.assertTrue(np.all((u2 * xy).sum(1)[long2d] > 0.5))

    def test_heatmaps_peak_at_the_keypoints(self):
        for s in self.samples:
            hm = heatmaps(s.kp2d, 56, 1.5)
            inside = ((s.kp2d >= 0) & (s.kp2d < LANDMARK_INPUT)).all(axis=1)
            pk = heatmap_argmax(hm)
            self.assertTrue(np.all(np.abs(pk[inside] - s.kp2d[inside]) <= LANDMARK_INPUT / 56 * 0.5 + 1e-3))
            self.assertTrue(np.all(hm[~inside] == 0))

    def test_dense_targets_shapes(self):
        t = dense_targets(self.samples[0], 56)
        self.assertEqual(t["heatmaps"].shape, (21, 56, 56))
        self.assertEqual(t["pof"].shape, (63, 56, 56))
        self.assertEqual(t["pof_valid"].shape, (21, 56, 56))
        self.assertEqual(t["mask"].shape, (56, 56))

    def test_variety(self):
        hands = {s.handedness for s in self.samples}
        self.assertEqual(hands, {0, 1})
        self.assertGreater(len({s.info["gesture"] for s in self.samples}), 6)
        self.assertGreater(len({s.info["background"].split("+")[0] for s in self.samples}), 3)


class Reproducible(unittest.TestCase):
    def test_same_seed_same_bytes(self):
        for i in (0, 5):
            a = render_sample(SEED, i)
            b = render_sample(SEED, i)
            for f in ("image", "mask", "kp2d", "vis", "kp3d", "vertices", "params", "roi"):
                self.assertEqual(getattr(a, f).tobytes(), getattr(b, f).tobytes(), f)
        c = render_sample(SEED + 1, 0)
        self.assertNotEqual(c.image.tobytes(), render_sample(SEED, 0).image.tobytes())

    def test_stream_independent_of_worker_count(self):
        one = list(stream(SEED, 10, 4, workers=1))
        two = list(stream(SEED, 10, 4, workers=2))
        for a, b in zip(one, two):
            self.assertEqual(a.image.tobytes(), b.image.tobytes())
            self.assertEqual(a.kp2d.tobytes(), b.kp2d.tobytes())


class HardScenes(unittest.TestCase):
    """Config.scene forces one hard scene (validation per scene type); the labels stay consistent."""

    K = 4

    def test_each_scene_is_what_it_says(self):
        for scene in SCENES:
            samples = [render_sample(SEED, i, Config(scene=scene)) for i in range(self.K)]
            for s in samples:
                self.assertGreaterEqual(int((s.mask >= 128).sum()), Config().min_mask_px, scene)
                uv, _ = project(s, s.kp3d)
                np.testing.assert_allclose(uv, s.kp2d, atol=2e-3)
                if scene == "face":
                    self.assertTrue(s.info["background"].endswith("+face"))
                if scene == "egocentric":
                    self.assertTrue(s.info["frame_edge"])
                    self.assertIsNotNone(s.info["sleeve"])
                if scene == "many_hands":
                    self.assertIn(s.info["hands"], (3, 4))
            if scene == "low_light":
                plain = [render_sample(SEED, i) for i in range(self.K)]
                self.assertLess(np.mean([s.image.mean() for s in samples]), 0.6 * np.mean([s.image.mean() for s in plain]))

    def test_egocentric_hands_point_up_from_the_bottom(self):
        for i in range(self.K):
            sc = sample_scene(np.random.default_rng([SEED, i]), Config(scene="egocentric"))
            uv = sc.cam.project(sc.hand.posed.keypoints)
            d = uv[9] - uv[0]
            self.assertLess(d[1], -0.5 * abs(d[0]))  # wrist -> middle MCP points up (image y down)
            self.assertGreater(uv[0][1], 0.55 * sc.cam.height)  # the wrist in the lower part of the frame

    def test_the_default_stream_is_not_a_hard_scene(self):
        self.assertEqual(Config().scene, "")
        self.assertEqual(render_sample(SEED, 3).image.tobytes(), render_sample(SEED, 3, Config(scene="")).image.tobytes())


class Shards(unittest.TestCase):
    def test_write_read_roundtrip(self):
        tmp = tempfile.mkdtemp(prefix="handsynth-test-")
        try:
            samples = [render_sample(SEED, i) for i in range(3)]
            for i, s in enumerate(samples):
                s.info["index"] = i
            n = write_shard(os.path.join(tmp, "shard-00000"), iter(samples), 3, SEED, Config())
            self.assertEqual(n, 3)
            r = ShardReader(tmp)
            self.assertEqual(len(r), 3)
            for i, s in enumerate(samples):
                x = r[i]
                self.assertEqual(x["image"].tobytes(), s.image.tobytes())
                self.assertEqual(x["mask"].tobytes(), s.mask.tobytes())
                np.testing.assert_array_equal(x["kp2d"], s.kp2d)
                np.testing.assert_allclose(x["vertices"], s.vertices, atol=2e-4)  # fp16, wrist-relative
                self.assertEqual(int(x["index"]), i)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
