"""Contact sheets: samples with keypoints (filled = visible, hollow = occluded), skeleton, the hand
mask's outline and POF arrows (each bone's 2D direction, drawn at its midpoint, length ~ sqrt(1-z^2)
so bones pointing at / away from the camera are short; red = towards the camera, z < 0)."""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from .labels import BONES, bone_vectors, to_crop_frame

FINGER_OF_KEYPOINT = [0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5]
FINGER_COLOUR = ["#f5f5f5", "#ffb347", "#b57bff", "#ffe14d", "#5ee07a", "#4fc3ff"]


def draw_sample(s, scale=1, pof_arrows=True, outline=True, caption=None):
    im = Image.fromarray(s.image)
    if scale != 1:
        im = im.resize((im.width * scale, im.height * scale), Image.BILINEAR)
    d = ImageDraw.Draw(im)
    if outline:
        m = s.mask >= 128
        edge = m & ~(np.roll(m, 1, 0) & np.roll(m, -1, 0) & np.roll(m, 1, 1) & np.roll(m, -1, 1))
        ys, xs = np.nonzero(edge)
        for x, y in zip(xs, ys):
            d.rectangle([x * scale, y * scale, x * scale + scale - 1, y * scale + scale - 1], fill=(0, 255, 255))
    kp = s.kp2d * scale
    for a, b in BONES:
        d.line([tuple(kp[a]), tuple(kp[b])], fill=FINGER_COLOUR[FINGER_OF_KEYPOINT[b]], width=1)
    for i, (x, y) in enumerate(kp):
        r = 2 * scale
        c = FINGER_COLOUR[FINGER_OF_KEYPOINT[i]]
        if s.vis[i]:
            d.ellipse([x - r, y - r, x + r, y + r], fill=c, outline="black")
        else:
            d.ellipse([x - r, y - r, x + r, y + r], outline=c)
    if pof_arrows:
        u2, z, valid = bone_vectors(s.kp2d, to_crop_frame(s.kp3d, s.roi[4]))
        for k, (a, b) in enumerate(BONES):
            if not valid[k]:
                continue
            mid = (s.kp2d[a] + s.kp2d[b]) / 2 * scale
            L = 9 * scale * np.sqrt(max(0.0, 1 - z[k] ** 2))
            end = mid + u2[k] * L
            col = (255, 60, 60) if z[k] < 0 else (60, 120, 255)
            d.line([tuple(mid), tuple(end)], fill=col, width=1)
            d.ellipse([end[0] - 1, end[1] - 1, end[0] + 1, end[1] + 1], fill=col)
    if caption:
        d.text((2, 2), caption, fill=(255, 255, 255))
    return im


def contact_sheet(samples, cols=8, scale=1, captions=True):
    tiles = [draw_sample(s, scale, caption=(s.info.get("gesture", "") if captions else None)) for s in samples]
    w, h = tiles[0].size
    rows = (len(tiles) + cols - 1) // cols
    sheet = Image.new("RGB", (cols * w, rows * h), (0, 0, 0))
    for i, t in enumerate(tiles):
        sheet.paste(t, ((i % cols) * w, (i // cols) * h))
    return sheet
