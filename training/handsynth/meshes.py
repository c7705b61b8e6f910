"""Procedural meshes the scenes add around the hand: a skinned forearm (a tube that bends with the
wrist) and simple occluders (cylinders, boxes, ellipsoids). All triangles are counter-clockwise
seen from outside, like the hand model's, so one back-face rule culls them all."""
from __future__ import annotations

import numpy as np

from .model import axis_angle_matrix


def vertex_normals(V, F):
    fn = np.cross(V[F[:, 1]] - V[F[:, 0]], V[F[:, 2]] - V[F[:, 0]])
    n = np.zeros_like(V)
    for k in range(3):
        for c in range(3):
            n[:, c] += np.bincount(F[:, k], fn[:, c], minlength=len(V))
    return n / np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)


def _ring_faces(n_rings, n_seg, base=0):
    """Quads between consecutive rings of n_seg vertices, as triangles."""
    F = []
    for i in range(n_rings - 1):
        for k in range(n_seg):
            a = base + i * n_seg + k
            b = base + i * n_seg + (k + 1) % n_seg
            c = base + (i + 1) * n_seg + (k + 1) % n_seg
            d = base + (i + 1) * n_seg + k
            F += [(a, b, c), (a, c, d)]
    return F


def _orient_outward(V, F, inside_point_fn):
    """Flips triangles whose normal points towards `inside_point_fn(centroids)`."""
    F = np.asarray(F, dtype=np.int32)
    fn = np.cross(V[F[:, 1]] - V[F[:, 0]], V[F[:, 2]] - V[F[:, 0]])
    cen = V[F].mean(axis=1)
    inner = inside_point_fn(cen)
    flip = np.einsum("ij,ij->i", fn, cen - inner) < 0
    F[flip] = F[flip][:, [0, 2, 1]]
    return F


def tube(centres, axes_u, axes_v, radii_u, radii_v, n_seg=16, cap_start=True, cap_end=True):
    """A closed tube through ring centres (R, 3) with elliptic sections."""
    R = len(centres)
    th = np.linspace(0, 2 * np.pi, n_seg, endpoint=False)
    ring = (
        centres[:, None, :]
        + (radii_u[:, None] * np.cos(th)[None])[..., None] * axes_u[:, None, :]
        + (radii_v[:, None] * np.sin(th)[None])[..., None] * axes_v[:, None, :]
    )
    V = ring.reshape(-1, 3)
    F = _ring_faces(R, n_seg)
    ring_of = np.repeat(np.arange(R), n_seg)
    extra = []
    if cap_start:
        extra.append(centres[0])
        c = len(V) + len(extra) - 1
        F += [(c, (k + 1) % n_seg, k) for k in range(n_seg)]
    if cap_end:
        extra.append(centres[-1])
        c = len(V) + len(extra) - 1
        base = (R - 1) * n_seg
        F += [(c, base + k, base + (k + 1) % n_seg) for k in range(n_seg)]
    if extra:
        V = np.concatenate([V, np.array(extra)])
        ring_of = np.concatenate([ring_of, [0] * cap_start + [R - 1] * cap_end])

    axis_pts = centres

    def inside(cen):
        # nearest ring centre as the inside reference
        d = ((cen[:, None, :] - axis_pts[None]) ** 2).sum(-1)
        return axis_pts[np.argmin(d, axis=1)]

    return V, _orient_outward(V, F, inside), ring_of


def forearm(rest_palm_normal, rest_radial, wrist_flex, wrist_dev, length=0.26, width_scale=1.0, sleeve_from=None, sleeve_scale=1.12, n_seg=18):
    """The forearm in the hand's MODEL frame (wrist joint at the origin, fingers along +y).

    The tube leaves the wrist along -y; its rings blend from the hand's frame (at the wrist) to the
    forearm's frame (bent by wrist flexion about the radial axis and deviation about the palm
    normal) over the first 4 cm: a two-bone skin, so the wrist bends without a gap. Returns
    vertices, triangles, per-vertex distance along the arm (metres) and a sleeve flag per vertex.
    """
    y = np.array([0.0, 1.0, 0.0])
    n = rest_palm_normal / np.linalg.norm(rest_palm_normal)
    r = rest_radial - np.dot(rest_radial, y) * y
    r /= np.linalg.norm(r)
    # section axes: u = radial-ulnar width, v = palmar-dorsal thickness
    u_axis = r
    v_axis = np.cross(y, r)
    if np.dot(v_axis, n) < 0:
        v_axis = -v_axis
    # the tube starts inside the hand (first ring smaller than the wrist section) and leaves it
    # slightly wider than the template's wrist stump (half-widths 26 x 18 mm at the wrist joint),
    # so the two surfaces meet where both run along the arm: no crease, no seam
    knots = [-0.004, 0.0, 0.014, 0.05, 0.12, 0.2, length]
    ku = [0.0245, 0.0272, 0.0276, 0.0285, 0.031, 0.033, 0.030]
    kv = [0.0165, 0.0192, 0.0196, 0.0205, 0.024, 0.026, 0.024]
    s = np.array([-0.004, 0.0, 0.006, 0.014, 0.024, 0.036, 0.05, 0.075, 0.11, 0.16, 0.21, length])
    if sleeve_from is not None:
        s = np.sort(np.concatenate([s, [sleeve_from - 0.0015, sleeve_from + 0.0015]]))
    wu = np.interp(s, knots, ku) * width_scale
    wv = np.interp(s, knots, kv) * width_scale
    centre0 = np.array([-0.0007, 0.0, -0.0011])
    if sleeve_from is not None:
        k = np.clip((s - (sleeve_from - 0.0015)) / 0.003, 0, 1)
        wu = wu * (1 + (sleeve_scale - 1) * k)
        wv = wv * (1 + (sleeve_scale - 1) * k)
    w = np.clip(s / 0.04, 0, 1)
    w = w * w * (3 - 2 * w)
    centres, us, vs = [], [], []
    for si, wi in zip(s, w):
        Rb = axis_angle_matrix(r, -wrist_flex * wi) @ axis_angle_matrix(n, -wrist_dev * wi)
        centres.append(Rb @ (centre0 - si * y))
        us.append(Rb @ u_axis)
        vs.append(Rb @ v_axis)
    V, F, ring_of = tube(np.array(centres), np.array(us), np.array(vs), wu, wv, n_seg=n_seg)
    along = s[ring_of]
    sleeve = np.zeros(len(V), bool) if sleeve_from is None else along >= sleeve_from
    return V, F, along, sleeve


def cylinder(radius, length, n_seg=20):
    c = np.array([[0, 0, -length / 2], [0, 0, length / 2]])
    ex = np.tile([[1.0, 0, 0]], (2, 1))
    ey = np.tile([[0, 1.0, 0]], (2, 1))
    V, F, _ = tube(c, ex, ey, np.full(2, radius), np.full(2, radius), n_seg=n_seg)
    return V, F


def box(sx, sy, sz):
    V = np.array([[x, y, z] for x in (-sx / 2, sx / 2) for y in (-sy / 2, sy / 2) for z in (-sz / 2, sz / 2)])
    quads = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
    F = []
    for a, b, c, d in quads:
        F += [(a, b, c), (a, c, d)]
    return V, _orient_outward(V, F, lambda cen: np.zeros_like(cen))


def ellipsoid(rx, ry, rz, n_lat=10, n_lon=16):
    th = np.linspace(0, np.pi, n_lat + 1)[1:-1]
    ph = np.linspace(0, 2 * np.pi, n_lon, endpoint=False)
    V = [[0, 0, rz]]
    for t in th:
        for p in ph:
            V.append([rx * np.sin(t) * np.cos(p), ry * np.sin(t) * np.sin(p), rz * np.cos(t)])
    V.append([0, 0, -rz])
    V = np.array(V)
    F = [(0, 1 + k, 1 + (k + 1) % n_lon) for k in range(n_lon)]
    F += _ring_faces(len(th), n_lon, base=1)
    last = len(V) - 1
    b = 1 + (len(th) - 1) * n_lon
    F += [(last, b + (k + 1) % n_lon, b + k) for k in range(n_lon)]
    return V, _orient_outward(V, F, lambda cen: np.zeros_like(cen))
