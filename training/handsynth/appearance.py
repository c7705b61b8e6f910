"""Skin, nails, creases, sleeves and object materials; lighting and shading per pixel.

Everything is computed in LINEAR RGB (0..1); the camera model (post.py) applies exposure, white
balance and the sRGB curve. Skin detail is a solid texture evaluated on the REST position of each
surface point (interpolated per pixel), so it moves with the skin: colour blotches (a few random
plane waves), fingertip and knuckle redness, lighter palms, flexion creases on the palmar side
(palmodigital, PIP, DIP) and the three major palm lines, dorsal knuckle wrinkles, and nails.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .model import HandModel

# sRGB skin tones from very light to very dark (a ramp over the human range), sampled along the
# ramp with jitter in hue, saturation and lightness
SKIN_RAMP_SRGB = (
    np.array(
        [
            [246, 208, 184],
            [236, 188, 160],
            [224, 172, 138],
            [205, 150, 112],
            [184, 128, 92],
            [160, 106, 72],
            [134, 84, 56],
            [108, 66, 44],
            [84, 52, 36],
            [60, 38, 28],
        ],
        dtype=np.float64,
    )
    / 255.0
)

FINGER_JOINTS = {
    "thumb": ["thumb-metacarpal", "thumb-phalanx-proximal", "thumb-phalanx-distal", "thumb-tip"],
    "index": [
        "index-finger-metacarpal",
        "index-finger-phalanx-proximal",
        "index-finger-phalanx-intermediate",
        "index-finger-phalanx-distal",
        "index-finger-tip",
    ],
    "middle": [
        "middle-finger-metacarpal",
        "middle-finger-phalanx-proximal",
        "middle-finger-phalanx-intermediate",
        "middle-finger-phalanx-distal",
        "middle-finger-tip",
    ],
    "ring": ["ring-finger-metacarpal", "ring-finger-phalanx-proximal", "ring-finger-phalanx-intermediate", "ring-finger-phalanx-distal", "ring-finger-tip"],
    "pinky": [
        "pinky-finger-metacarpal",
        "pinky-finger-phalanx-proximal",
        "pinky-finger-phalanx-intermediate",
        "pinky-finger-phalanx-distal",
        "pinky-finger-tip",
    ],
}
FINGER_ORDER = ["thumb", "index", "middle", "ring", "pinky"]


def srgb_to_linear(c):
    c = np.asarray(c, dtype=np.float64)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(c):
    c = np.clip(c, 0, 1)
    return np.where(c <= 0.0031308, c * 12.92, 1.055 * np.power(c, 1 / 2.4) - 0.055)


def smoothstep(a, b, x):
    t = np.clip((x - a) / (b - a), 0, 1)
    return t * t * (3 - 2 * t)


@dataclass
class SurfaceAttributes:
    """Per-vertex attributes of the hand template used by the skin shader (rest pose)."""

    rest: np.ndarray  # (V, 3)
    finger: np.ndarray  # (V,) 0..4 (thumb..pinky) of the nearest finger chain
    arclen: np.ndarray  # (V,) metres along that finger's chain from the wrist
    lateral: np.ndarray  # (V,) signed distance from the chain axis towards the radial side / chain radius
    palmar: np.ndarray  # (V,) cos between the rest normal and the palm normal (+1 palmar, -1 dorsal)
    joint_arclen: np.ndarray  # (5, 5) arclength of each chain point (metacarpal base .. tip)
    palm_uv: np.ndarray  # (V, 2) rest position in palm-plane axes (radial, distal) metres
    palm_normal: np.ndarray  # (3,)


def _polyline_project(p, pts):
    """Nearest point of each p on a polyline: (arclength, distance, segment index, foot)."""
    best = np.full(len(p), np.inf)
    arc = np.zeros(len(p))
    foot = np.zeros_like(p)
    seg = np.zeros(len(p), dtype=int)
    acc = 0.0
    for k in range(len(pts) - 1):
        a, b = pts[k], pts[k + 1]
        d = b - a
        L = np.linalg.norm(d)
        t = np.clip(((p - a) @ d) / (L * L), 0, 1)
        f = a + t[:, None] * d
        dist = np.linalg.norm(p - f, axis=1)
        better = dist < best
        best[better] = dist[better]
        arc[better] = acc + t[better] * L
        foot[better] = f[better]
        seg[better] = k
        acc += L
    return arc, best, seg, foot


@lru_cache(maxsize=4)
def _surface_cached(handedness):
    from .model import load_hand_model
    from .meshes import vertex_normals

    m = load_hand_model(handedness)
    V = m.vertices
    idx = {n: i for i, n in enumerate(m.joint_names)}
    J = m.joints
    # palm normal of the RIGHT hand's formula, mirrored for the left (it is a pseudo-vector)
    a = J[idx["index-finger-phalanx-proximal"]] - J[0]
    b = J[idx["pinky-finger-phalanx-proximal"]] - J[0]
    n = np.cross(a, b)
    if handedness == "left":
        n = -n
    n /= np.linalg.norm(n)
    normals = vertex_normals(V, m.triangles)
    # rest normals of the template point outwards (counter-clockwise triangles)
    palmar = normals @ n
    chains = []
    for f in FINGER_ORDER:
        pts = np.array([J[0]] + [J[idx[j]] for j in FINGER_JOINTS[f]])
        # extend the tip a little past the tip joint so tip vertices project inside
        d = pts[-1] - pts[-2]
        pts[-1] = pts[-1] + d / np.linalg.norm(d) * 0.012
        chains.append(pts)
    arcs, dists, feet = [], [], []
    for pts in chains:
        arc, dist, seg, foot = _polyline_project(V, pts)
        arcs.append(arc)
        dists.append(dist)
        feet.append(foot)
    arcs, dists = np.array(arcs), np.array(dists)
    # the finger a vertex belongs to: the one of its dominant joint (palm/wrist vertices: nearest chain)
    dom = m.dominant_joint()
    finger = np.argmin(dists, axis=0)
    for fi, f in enumerate(FINGER_ORDER):
        for j in FINGER_JOINTS[f][1:]:
            finger[dom == idx[j]] = fi
    arclen = arcs[finger, np.arange(len(V))]
    foot = np.array(feet)[finger, np.arange(len(V))]
    radial = np.cross(n, np.array([0.0, 1.0, 0.0]))
    radial = radial / np.linalg.norm(radial)
    # radial side = towards the thumb
    if np.dot(radial, J[idx["thumb-metacarpal"]] - J[0]) < 0:
        radial = -radial
    off = V - foot
    r = np.linalg.norm(off, axis=1) + 1e-9
    lateral = (off @ radial) / r
    joint_arclen = []
    for pts in chains:
        seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
        joint_arclen.append(np.concatenate([[0], np.cumsum(seg)])[1:])
    ja = np.zeros((5, 5))
    for i, x in enumerate(joint_arclen):
        ja[i, : len(x)] = x
        if len(x) < 5:
            ja[i, len(x) :] = x[-1]
    long_axis = np.array([0.0, 1.0, 0.0])
    palm_uv = np.stack([V @ radial, V @ long_axis], axis=1)
    return SurfaceAttributes(V.copy(), finger, arclen, lateral, palmar, ja, palm_uv, n)


def surface_attributes(handedness) -> SurfaceAttributes:
    return _surface_cached(handedness)


@dataclass
class SkinMaterial:
    base: np.ndarray  # linear RGB albedo of the back of the hand
    palm: np.ndarray  # linear RGB of the palm
    redness: np.ndarray  # linear RGB tint for fingertips / knuckles
    blotch_w: np.ndarray  # (K, 3) wave vectors (1/m)
    blotch_phase: np.ndarray  # (K,)
    blotch_amp: float
    crease_strength: float
    wrinkle_strength: float
    nail: np.ndarray  # linear RGB
    nail_tip: np.ndarray
    polish: bool
    spec: float  # specular strength of skin
    shininess: float
    subsurface: float  # wrap-lighting amount
    tone: float  # 0 light .. 1 dark


def sample_skin(rng, tone=None) -> SkinMaterial:
    if tone is None:
        tone = rng.random() ** 0.9
    x = tone * (len(SKIN_RAMP_SRGB) - 1)
    i = min(int(x), len(SKIN_RAMP_SRGB) - 2)
    c = SKIN_RAMP_SRGB[i] + (SKIN_RAMP_SRGB[i + 1] - SKIN_RAMP_SRGB[i]) * (x - i)
    # jitter: redder / yellower / more olive, lightness
    c = c * np.array([1.0, 1.0 + rng.normal(0, 0.035), 1.0 + rng.normal(0, 0.06)])
    c = c * (1 + rng.normal(0, 0.04))
    base = srgb_to_linear(np.clip(c, 0.02, 1))
    # palms: lighter and pinker, much more so on dark skin
    palm_target = srgb_to_linear(np.array([236, 180, 160]) / 255.0 * (1 + rng.normal(0, 0.04)))
    k = 0.15 + 0.45 * tone
    palm = base * (1 - k) + palm_target * k
    redness = srgb_to_linear(np.array([0.85, 0.45, 0.45]))
    K = 8
    dirs = rng.normal(size=(K, 3))
    dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
    freqs = rng.uniform(60, 400, K)  # wavelengths 1.5 .. 10 cm
    polish = rng.random() < 0.07
    if polish:
        nail = srgb_to_linear(rng.uniform(0.05, 0.9, 3))
        nail_tip = nail
    else:
        nail = base * 0.55 + srgb_to_linear(np.array([0.93, 0.72, 0.70])) * 0.45
        nail_tip = srgb_to_linear(np.array([0.92, 0.88, 0.82])) * rng.uniform(0.85, 1.0)
    return SkinMaterial(
        base=base,
        palm=palm,
        redness=redness,
        blotch_w=dirs * freqs[:, None] * 2 * np.pi,
        blotch_phase=rng.uniform(0, 2 * np.pi, K),
        blotch_amp=rng.uniform(0.03, 0.12),
        crease_strength=rng.uniform(0.15, 0.45),
        wrinkle_strength=rng.uniform(0.05, 0.25),
        nail=nail,
        nail_tip=nail_tip,
        polish=polish,
        spec=rng.uniform(0.015, 0.09),
        shininess=rng.uniform(8, 30),
        subsurface=rng.uniform(0.15, 0.45),
        tone=float(tone),
    )


def base_skin(mat: SkinMaterial, rest, palmar, palm_weight):
    """Skin colour without detail, shared by the hand and the forearm so they meet without a seam:
    back-of-hand colour, lighter palm side (`palm_weight` 0 on the forearm .. 1 on the palm), blotches."""
    pal = smoothstep(-0.15, 0.55, palmar) * (0.35 + 0.65 * palm_weight)
    alb = mat.base[None] * (1 - pal[:, None]) + mat.palm[None] * pal[:, None]
    waves = np.sin(rest @ mat.blotch_w.T + mat.blotch_phase[None])
    blot = waves.mean(axis=1) * mat.blotch_amp * 2
    return alb * (1 + blot[:, None] * np.array([0.6, 1.0, 1.1]))


def skin_albedo(mat: SkinMaterial, attrs: dict, girth=1.0):
    """Per-pixel albedo (M, 3), specular weight (M,) and shininess (M,) of hand skin.

    attrs: per-pixel interpolated 'rest' (M,3), 'arclen', 'lateral', 'palmar', 'palm_u', 'palm_v',
    and the per-pixel 'finger' (int) and the model's joint arclengths 'ja' (5, 5)."""
    rest = attrs["rest"]
    palmar = attrs["palmar"]
    arc = attrs["arclen"]
    lat = attrs["lateral"]
    fing = attrs["finger"]
    ja = attrs["ja"][fing]  # (M, 5): metacarpal base(CMC), MCP, PIP, DIP, tip (thumb: CMC, MCP, IP, tip, tip)
    M = len(rest)
    alb = base_skin(mat, rest, palmar, smoothstep(0.0, 0.03, rest[:, 1]))
    is_thumb = fing == 0
    tip_arc = np.where(is_thumb, ja[:, 3], ja[:, 4])
    dip_arc = np.where(is_thumb, ja[:, 2], ja[:, 3])
    pip_arc = np.where(is_thumb, ja[:, 1], ja[:, 2])
    mcp_arc = np.where(is_thumb, ja[:, 0], ja[:, 1])
    # fingertip and knuckle redness
    red = smoothstep(-0.012, 0.0, arc - tip_arc) * 0.35
    red += np.exp(-(((arc - pip_arc) / 0.006) ** 2)) * 0.25 * (palmar < 0)
    red += np.exp(-(((arc - mcp_arc) / 0.008) ** 2)) * 0.2 * (palmar < 0)
    alb = alb * (1 - red[:, None] * 0.35) + (alb * mat.redness[None]) * (red[:, None] * 0.35 / 0.6)
    # flexion creases (palmar side): palmodigital, PIP (double), DIP; thumb: MCP, IP
    w = 0.0011 * girth
    pside = smoothstep(0.2, 0.6, palmar)
    prox_len = np.maximum(pip_arc - mcp_arc, 1e-3)
    cre = np.zeros(M)
    on_finger = ~is_thumb
    cre += on_finger * np.exp(-(((arc - (mcp_arc + 0.38 * prox_len)) / w) ** 2))
    cre += np.exp(-(((arc - pip_arc + 0.0015) / w) ** 2)) * 0.8 + np.exp(-(((arc - pip_arc - 0.0022) / w) ** 2)) * 0.6
    cre += np.exp(-(((arc - dip_arc) / w) ** 2)) * 0.8
    cre *= pside * (np.abs(lat) < 0.95)
    # palm lines in palm-plane coordinates (u radial, v distal), right-hand template units
    u, v = attrs["palm_u"], attrs["palm_v"]
    in_palm = (arc < mcp_arc + 0.003) & (palmar > 0.3)
    pl = np.exp(-(((v - (0.075 - 0.12 * (u + 0.01) ** 2 * 8 + 0.12 * (u - 0.005))) / 0.0013) ** 2))  # distal transverse
    pl += np.exp(-(((v - (0.058 + 0.25 * (u - 0.0))) / 0.0013) ** 2)) * (u > -0.012)  # proximal transverse
    pl += np.exp(-(((np.hypot(u - 0.045, v - 0.0) - 0.05) / 0.0015) ** 2)) * (v < 0.06) * (u > -0.01)  # thenar
    cre += pl * in_palm * 0.8
    # dorsal knuckle wrinkles
    dside = smoothstep(0.2, 0.6, -palmar)
    wr = np.exp(-(((arc - pip_arc) / 0.005) ** 2)) + 0.6 * np.exp(-(((arc - dip_arc) / 0.004) ** 2))
    wr *= (0.5 + 0.5 * np.sin((arc - pip_arc) * 2 * np.pi / 0.0016)) * dside
    shade = 1 - np.clip(cre, 0, 1) * mat.crease_strength - wr * mat.wrinkle_strength
    alb = alb * shade[:, None]
    # nails: dorsal side of the distal phalanx, distal 55%, within the finger's width
    nail_start = dip_arc + 0.45 * (tip_arc - dip_arc)
    nail_a = smoothstep(nail_start, nail_start + 0.0015, arc)
    nail_w = 1 - smoothstep(0.55, 0.72, np.abs(lat))
    nail_d = smoothstep(-0.15, -0.35, palmar)
    nail = nail_a * nail_w * nail_d
    tip_part = smoothstep(tip_arc - 0.004, tip_arc - 0.0015, arc)
    ncol = mat.nail[None] * (1 - tip_part[:, None]) + mat.nail_tip[None] * tip_part[:, None]
    alb = alb * (1 - nail[:, None]) + ncol * nail[:, None]
    # nail fold: a thin darker line around the nail
    fold = np.exp(-(((arc - nail_start) / 0.0007) ** 2)) * nail_w * nail_d
    alb = alb * (1 - 0.25 * fold[:, None])
    spec = mat.spec * (1 - nail) + 0.35 * nail
    shin = mat.shininess * (1 - nail) + 80 * nail
    return np.clip(alb, 0, 1), spec, shin


@dataclass
class Lights:
    key_dir: np.ndarray  # unit, towards the light (camera frame)
    key_rgb: np.ndarray  # linear intensity
    fill_dir: np.ndarray
    fill_rgb: np.ndarray
    sky_dir: np.ndarray  # unit "up" for the hemispherical ambient
    sky_rgb: np.ndarray
    ground_rgb: np.ndarray
    shadow_strength: float


def sample_lights(rng, image_up) -> Lights:
    """image_up: unit vector of the source image's up (-y) in the camera frame (i.e. (0, -1, 0))."""

    def colour(temp_spread=0.15):
        c = np.array([1.0, 1.0, 1.0]) + rng.normal(0, temp_spread, 3) * np.array([1.0, 0.4, 1.0])
        warm = rng.uniform(-1, 1)  # warm (tungsten) .. cool (daylight / screen)
        c = c * np.array([1 + 0.18 * warm, 1.0, 1 - 0.25 * warm])
        return np.clip(c, 0.3, 1.6)

    # key light: mostly from the front hemisphere (towards the camera) and above
    d = rng.normal(size=3)
    d[2] = -abs(d[2]) * rng.uniform(0.3, 1.5) if rng.random() < 0.85 else abs(d[2])
    d = d + image_up * rng.uniform(0.0, 1.2)
    d /= np.linalg.norm(d)
    key_int = rng.uniform(0.6, 1.6)
    f = rng.normal(size=3)
    f[2] = -abs(f[2])
    f /= np.linalg.norm(f)
    fill_int = rng.uniform(0.0, 0.5) if rng.random() < 0.6 else 0.0
    amb = rng.uniform(0.15, 0.6)
    sky = colour(0.1) * amb
    ground = colour(0.2) * amb * rng.uniform(0.3, 0.9)
    return Lights(d, colour() * key_int, f, colour(0.3) * fill_int, image_up, sky, ground, rng.uniform(0.5, 1.0))


def shade(albedo, normal, pos, spec, shin, lights: Lights, shadow, subsurface=0.3, sss_tint=None):
    """Linear radiance (M, 3): hemispherical ambient + wrapped Lambert key (shadowed) + fill + Blinn-Phong."""
    n = normal
    view = -pos / np.linalg.norm(pos, axis=1, keepdims=True)
    # two-sided: flip normals facing away from the camera (thin parts at grazing angles)
    flip = np.einsum("ij,ij->i", n, view) < 0
    n = np.where(flip[:, None], -n, n)
    up = n @ lights.sky_dir
    amb = lights.ground_rgb[None] + (lights.sky_rgb - lights.ground_rgb)[None] * (0.5 + 0.5 * up)[:, None]
    ndl = n @ lights.key_dir
    lam = np.clip(ndl, 0, 1)
    subsurface = np.broadcast_to(np.asarray(subsurface, dtype=np.float64), ndl.shape)
    wrap = np.clip((ndl + subsurface) / (1 + subsurface), 0, 1)
    vis = 1 - shadow * lights.shadow_strength
    if sss_tint is None:
        diff_key = lam[:, None] * np.ones(3)
    else:
        # light bleeding into the terminator is reddish for skin
        diff_key = lam[:, None] + (wrap - lam)[:, None] * sss_tint[None]
    fill = np.clip(n @ lights.fill_dir, 0, 1)
    rad = albedo * (amb + diff_key * lights.key_rgb[None] * vis[:, None] + fill[:, None] * lights.fill_rgb[None])
    h = lights.key_dir[None] + view
    h /= np.linalg.norm(h, axis=1, keepdims=True)
    ndh = np.clip(np.einsum("ij,ij->i", n, h), 0, 1)
    fres = 0.6 + 0.4 * (1 - np.clip(np.einsum("ij,ij->i", n, view), 0, 1)) ** 5
    sp = spec * fres * ndh**shin * (ndl > 0) * vis
    rad += sp[:, None] * lights.key_rgb[None]
    return rad
