"""Dense training targets from the compact per-sample labels, at any output resolution.

- heat maps: one Gaussian per keypoint (sigma in output pixels), for every keypoint inside the
  crop, visible or not (visibility is a separate label);
- POF (Part Orientation Fields, HIU-DMTL): for each of the 21 bones of SKELETON, 3 channels on a
  band around the bone's 2D segment: the 2D unit direction of the bone in the crop image
  (x right, y down) and the z of the 3D unit bone vector in the crop-aligned camera frame; plus a
  per-bone validity mask (the band). With those, the 3D unit vector is
  (ux sqrt(1 - z^2), uy sqrt(1 - z^2), z) under weak perspective;
- crop-aligned 3D: camera-frame points rotated by the ROI's angle (x, y turned by -rotation),
  the frame of MediaPipe's world landmarks.

Keypoints are in crop pixels with the area convention (pixel i covers [i, i + 1)), so an output
map of size S samples crop position (j + 0.5) * crop / S at its pixel j.
"""
from __future__ import annotations

import numpy as np

from .geometry import LANDMARK_INPUT
from .model import SKELETON

BONES = np.array(SKELETON)


def crop_rotation(roi_rotation):
    c, s = np.cos(roi_rotation), np.sin(roi_rotation)
    return np.array([[c, s, 0.0], [-s, c, 0.0], [0.0, 0.0, 1.0]])


def to_crop_frame(points_cam, roi_rotation):
    """Camera-frame points (..., 3) -> crop-aligned camera axes."""
    return np.asarray(points_cam) @ crop_rotation(float(roi_rotation)).T


def heatmaps(kp2d, size=56, sigma=1.5, crop=LANDMARK_INPUT):
    """(21, size, size) float32 Gaussians (peak 1) at the keypoints; zero for keypoints outside the crop."""
    s = size / crop
    g = np.arange(size, dtype=np.float32) + 0.5
    kx = kp2d[:, 0] * s
    ky = kp2d[:, 1] * s
    gx = np.exp(-((g[None, :] - kx[:, None]) ** 2) / (2 * sigma * sigma))
    gy = np.exp(-((g[None, :] - ky[:, None]) ** 2) / (2 * sigma * sigma))
    out = gy[:, :, None] * gx[:, None, :]
    inside = (kp2d[:, 0] >= 0) & (kp2d[:, 0] < crop) & (kp2d[:, 1] >= 0) & (kp2d[:, 1] < crop)
    out[~inside] = 0
    return out.astype(np.float32)


def bone_vectors(kp2d, kp3d_crop):
    """Per bone: 2D unit direction in the crop image (21, 2), z of the 3D unit vector (21,), valid (21,)."""
    a, b = BONES[:, 0], BONES[:, 1]
    d3 = kp3d_crop[b] - kp3d_crop[a]
    n3 = np.linalg.norm(d3, axis=1)
    u3 = d3 / np.maximum(n3, 1e-12)[:, None]
    d2 = kp2d[b] - kp2d[a]
    n2 = np.linalg.norm(d2, axis=1)
    # a bone seen end-on has no 2D direction: use the 3D vector's x, y (the limit direction)
    alt = u3[:, :2] / np.maximum(np.linalg.norm(u3[:, :2], axis=1), 1e-12)[:, None]
    u2 = np.where((n2 > 1e-3)[:, None], d2 / np.maximum(n2, 1e-12)[:, None], alt)
    valid = (n3 > 1e-9) & (np.linalg.norm(u2, axis=1) > 0.5)
    return u2, u3[:, 2], valid


def pof(kp2d, kp3d_crop, size=56, band=None, crop=LANDMARK_INPUT):
    """POF target (63, size, size) float32 [(ux, uy, z) x 21 bones] and validity (21, size, size) uint8.

    `band` is the half-width of the band around each bone in OUTPUT pixels (default size / 56 * 1.5,
    i.e. ~6 crop pixels)."""
    if band is None:
        band = 1.5 * size / 56
    s = size / crop
    u2, z, valid = bone_vectors(kp2d, kp3d_crop)
    g = np.arange(size, dtype=np.float32) + 0.5
    yy, xx = np.meshgrid(g, g, indexing="ij")
    P = np.stack([xx, yy], -1)[None]  # (1, S, S, 2)
    A = (kp2d[BONES[:, 0]] * s)[:, None, None, :]
    B = (kp2d[BONES[:, 1]] * s)[:, None, None, :]
    AB = B - A
    L2 = np.maximum((AB**2).sum(-1), 1e-9)
    t = np.clip(((P - A) * AB).sum(-1) / L2, 0, 1)
    d = np.linalg.norm(P - (A + t[..., None] * AB), axis=-1)
    m = (d <= band) & valid[:, None, None]
    out = np.zeros((21, 3, size, size), np.float32)
    out[:, 0] = u2[:, 0, None, None] * m
    out[:, 1] = u2[:, 1, None, None] * m
    out[:, 2] = z[:, None, None] * m
    return out.reshape(63, size, size), m.astype(np.uint8)


def heatmap_argmax(hm, crop=LANDMARK_INPUT):
    """Keypoints (21, 2) in crop pixels from heat maps (soft-argmax around the peak); for checks."""
    k, S, _ = hm.shape
    flat = hm.reshape(k, -1).argmax(1)
    y, x = np.divmod(flat, S)
    return np.stack([(x + 0.5) * crop / S, (y + 0.5) * crop / S], 1)
