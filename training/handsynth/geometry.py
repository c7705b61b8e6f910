"""Camera and crop geometry, ported from the live pipeline so crops are made exactly as it makes them.

- pinhole camera: src/core/handModel/camera.ts (pixel (0, 0) = top-left corner of the top-left pixel,
  principal point at the image centre);
- rotated rects, MediaPipe's landmarks -> ROI rule: src/core/geometry/rect.ts + handRoi.ts
  (`roiFromLandmarks`: rotation wrist -> blend of index/middle/ring MCPs, extent of the palm and
  finger-base keypoints in the rotated frame, shift -0.1 x height, square, x2);
- crop mapping (area convention, pixel i covers [i, i+1)): src/core/geometry/cropTransform.ts.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

LANDMARK_INPUT = 224
# handRoi.ts LANDMARKS_TO_ROI / DETECTION_TO_ROI
LANDMARKS_TO_ROI = dict(scale_x=2.0, scale_y=2.0, shift_x=0.0, shift_y=-0.1, square_long=True)
PARTIAL = [0, 1, 2, 3, 5, 6, 9, 10, 13, 14, 17, 18]


@dataclass
class Camera:
    fx: float
    fy: float
    cx: float
    cy: float
    width: int
    height: int

    @staticmethod
    def from_fov(width, height, fov_degrees):
        f = width / 2 / math.tan(fov_degrees * math.pi / 360)
        return Camera(f, f, width / 2, height / 2, width, height)

    def project(self, xyz):
        xyz = np.asarray(xyz, dtype=np.float64)
        z = xyz[..., 2]
        return np.stack([self.cx + self.fx * xyz[..., 0] / z, self.cy + self.fy * xyz[..., 1] / z], axis=-1)

    def to_json(self):
        return dict(fx=self.fx, fy=self.fy, cx=self.cx, cy=self.cy, width=self.width, height=self.height)


@dataclass
class RotatedRect:
    cx: float
    cy: float
    width: float
    height: float
    rotation: float

    def to_array(self):
        return np.array([self.cx, self.cy, self.width, self.height, self.rotation], dtype=np.float64)

    def to_json(self):
        return dict(cx=self.cx, cy=self.cy, width=self.width, height=self.height, rotation=self.rotation)


def normalize_radians(a):
    return a - 2 * math.pi * math.floor((a + math.pi) / (2 * math.pi))


def rotation_from_points(p_from, p_to, target_angle=math.pi / 2):
    return normalize_radians(target_angle - math.atan2(-(p_to[1] - p_from[1]), p_to[0] - p_from[0]))


def transform_rect(rect: RotatedRect, scale_x, scale_y, shift_x, shift_y, square_long):
    c, s = math.cos(rect.rotation), math.sin(rect.rotation)
    dx = rect.width * shift_x
    dy = rect.height * shift_y
    cx = rect.cx + dx * c - dy * s
    cy = rect.cy + dx * s + dy * c
    w, h = rect.width, rect.height
    if square_long:
        w = h = max(w, h)
    return RotatedRect(cx, cy, w * scale_x, h * scale_y, rect.rotation)


def roi_from_landmarks(kp, t=LANDMARKS_TO_ROI) -> RotatedRect:
    """handRoi.ts roiFromLandmarks on 21 (x, y) source-image pixels."""
    kp = np.asarray(kp, dtype=np.float64)
    wrist = kp[0]
    mx = ((kp[5, 0] + kp[13, 0]) / 2 + kp[9, 0]) / 2
    my = ((kp[5, 1] + kp[13, 1]) / 2 + kp[9, 1]) / 2
    rotation = rotation_from_points(wrist, (mx, my))
    part = kp[PARTIAL]
    ax = (part[:, 0].min() + part[:, 0].max()) / 2
    ay = (part[:, 1].min() + part[:, 1].max()) / 2
    c, s = math.cos(rotation), math.sin(rotation)
    dx = part[:, 0] - ax
    dy = part[:, 1] - ay
    u = dx * c + dy * s
    v = -dx * s + dy * c
    uc = (u.min() + u.max()) / 2
    vc = (v.min() + v.max()) / 2
    rect = RotatedRect(ax + uc * c - vc * s, ay + uc * s + vc * c, u.max() - u.min(), v.max() - v.min(), rotation)
    return transform_rect(rect, **t)


def image_to_crop(rect: RotatedRect, xy, out_size=LANDMARK_INPUT):
    """cropTransform.ts imageToCrop (area convention) for (..., 2) arrays."""
    xy = np.asarray(xy, dtype=np.float64)
    c, s = math.cos(rect.rotation), math.sin(rect.rotation)
    dx = xy[..., 0] - rect.cx
    dy = xy[..., 1] - rect.cy
    ax = dx * c + dy * s
    ay = -dx * s + dy * c
    return np.stack([(ax / rect.width + 0.5) * out_size, (ay / rect.height + 0.5) * out_size], axis=-1)


def crop_to_image(rect: RotatedRect, uv, out_size=LANDMARK_INPUT):
    uv = np.asarray(uv, dtype=np.float64)
    ax = (uv[..., 0] / out_size - 0.5) * rect.width
    ay = (uv[..., 1] / out_size - 0.5) * rect.height
    c, s = math.cos(rect.rotation), math.sin(rect.rotation)
    return np.stack([rect.cx + ax * c - ay * s, rect.cy + ax * s + ay * c], axis=-1)


def crop_camera_axes(rect: RotatedRect):
    """3x3 rotation from the camera frame to the crop-aligned camera frame (x, y turned by -rotation
    about z, so the crop's 'up' is -y), the frame of MediaPipe's world landmarks and of the POF."""
    c, s = math.cos(rect.rotation), math.sin(rect.rotation)
    return np.array([[c, s, 0.0], [-s, c, 0.0], [0.0, 0.0, 1.0]])


def project_to_crop(cam: Camera, rect: RotatedRect, xyz, out_size=LANDMARK_INPUT):
    """Camera-frame points -> crop pixels (u, v) (area convention) and depth z."""
    xyz = np.asarray(xyz, dtype=np.float64)
    uv = image_to_crop(rect, cam.project(xyz), out_size)
    return uv, xyz[..., 2]
