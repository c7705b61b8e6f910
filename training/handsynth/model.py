"""The parametric hand of models/hand-model.json in numpy: forward kinematics + linear blend skinning.

A line-for-line port of src/core/handModel/reference.ts (plain-TS FK + LBS, float64) and of
`mirrorHandModel` (asset.ts): the parity test (tests/node/handsynth.test.ts) checks both give the
same joints, keypoints and vertices on the same parameters.

Frames (see models/README.md): the model frame is metres with the wrist at the origin and axes that
equal the camera frame (x right, y down, z forward) when the global rotation is the identity. A
model point x lands in the camera at R(globalRotation) (globalScale x) + translation.
"""
from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_MODEL_PATH = os.path.join(REPO_ROOT, "models", "hand-model.json")

KEYPOINT_NAMES = [
    "wrist",
    "thumb_cmc",
    "thumb_mcp",
    "thumb_ip",
    "thumb_tip",
    "index_finger_mcp",
    "index_finger_pip",
    "index_finger_dip",
    "index_finger_tip",
    "middle_finger_mcp",
    "middle_finger_pip",
    "middle_finger_dip",
    "middle_finger_tip",
    "ring_finger_mcp",
    "ring_finger_pip",
    "ring_finger_dip",
    "ring_finger_tip",
    "pinky_finger_mcp",
    "pinky_finger_pip",
    "pinky_finger_dip",
    "pinky_finger_tip",
]
# src/core/keypoints.ts SKELETON: the 21 bones (parent, child) of MediaPipe's hand connections.
SKELETON = [
    (0, 1),
    (1, 2),
    (2, 3),
    (3, 4),
    (0, 5),
    (5, 6),
    (6, 7),
    (7, 8),
    (5, 9),
    (9, 10),
    (10, 11),
    (11, 12),
    (9, 13),
    (13, 14),
    (14, 15),
    (15, 16),
    (13, 17),
    (0, 17),
    (17, 18),
    (18, 19),
    (19, 20),
]
DOF_ORDER = {"abd": 0, "flex": 1, "twist": 2}
BONE_SCALE_RANGE = (0.6, 1.6)
GLOBAL_SCALE_RANGE = (0.5, 2.0)


def _decode(a):
    dt = {"f32": "<f4", "u16": "<u2", "u8": "u1"}[a["dtype"]]
    out = np.frombuffer(base64.b64decode(a["base64"]), dt)
    if out.size != a["count"]:
        raise ValueError("array has %d values, expected %d" % (out.size, a["count"]))
    return out


@dataclass
class HandModel:
    """Decoded template of one hand (the file holds the right hand; `mirrored()` gives the left)."""

    handedness: str
    joint_names: list
    parents: np.ndarray  # (J,) int, -1 for the wrist
    joints: np.ndarray  # (J, 3) float64 rest positions
    vertices: np.ndarray  # (V, 3) float64 (the file's float32 values)
    triangles: np.ndarray  # (T, 3) int32, counter-clockwise seen from outside
    skin_joints: np.ndarray  # (V, K) int
    skin_weights: np.ndarray  # (V, K) float64
    kp_joint: np.ndarray  # (21,) joint carrying each keypoint
    kp_vertex: np.ndarray  # (21,) vertex index or -1 (keypoint = the joint)
    dof_names: list
    dof_joint: np.ndarray  # (D,)
    dof_kind: list
    dof_axis: np.ndarray  # (D, 3)
    dof_min: np.ndarray  # (D,) radians
    dof_max: np.ndarray
    shape_names: list
    shape_bones: list  # per shape entry: joint indices whose incoming bone it scales
    json: dict = field(repr=False, default=None)
    _cache: dict = field(repr=False, default_factory=dict)

    @property
    def num_dofs(self):
        return len(self.dof_names)

    @property
    def num_shapes(self):
        return len(self.shape_names)

    def mirrored(self) -> "HandModel":
        """mirrorHandModel: x -> -x, axes a -> (a.x, -a.y, -a.z), triangle winding reversed."""
        flip = np.array([-1.0, 1.0, 1.0])
        return replace(
            self,
            handedness="left" if self.handedness == "right" else "right",
            joints=self.joints * flip,
            vertices=self.vertices * flip,
            triangles=self.triangles[:, [0, 2, 1]].copy(),
            dof_axis=self.dof_axis * np.array([1.0, -1.0, -1.0]),
            _cache={},
        )

    # --- bone scale bookkeeping (reference.ts boneScaleIndices) ---
    def bone_scale_indices(self):
        if "bsi" in self._cache:
            return self._cache["bsi"]
        n = len(self.joint_names)
        incoming = np.full(n, -1, dtype=np.int64)
        for i, bones in enumerate(self.shape_bones):
            for j in bones:
                incoming[j] = i
        outgoing = np.full(n, -1, dtype=np.int64)
        out_dir = np.zeros((n, 3))
        for j in range(n):
            children = [c for c in range(n) if self.parents[c] == j]
            if len(children) == 1:
                outgoing[j] = incoming[children[0]]
                d = self.joints[children[0]] - self.joints[j]
                out_dir[j] = d / np.linalg.norm(d)
            elif len(children) == 0:
                outgoing[j] = outgoing[self.parents[j]]
                out_dir[j] = out_dir[self.parents[j]]
        self._cache["bsi"] = (incoming, outgoing, out_dir)
        return self._cache["bsi"]

    def dofs_by_joint(self):
        if "dbj" in self._cache:
            return self._cache["dbj"]
        per = [[] for _ in self.joint_names]
        for i in range(self.num_dofs):
            per[self.dof_joint[i]].append((DOF_ORDER[self.dof_kind[i]], i))
        per = [[i for _, i in sorted(p, key=lambda t: t[0])] for p in per]
        self._cache["dbj"] = per
        return per

    def dominant_joint(self):
        """Per vertex, the joint with the largest skin weight."""
        if "dom" not in self._cache:
            k = np.argmax(self.skin_weights, axis=1)
            self._cache["dom"] = self.skin_joints[np.arange(len(k)), k]
        return self._cache["dom"]


@lru_cache(maxsize=4)
def _load_right(path):
    with open(path) as f:
        j = json.load(f)
    if j.get("format") != "hands/hand-model" or j.get("version") != 1:
        raise ValueError("%s is not a hands/hand-model v1 file" % path)
    names = [x["name"] for x in j["joints"]]
    idx = {n: i for i, n in enumerate(names)}
    parents = np.array([-1 if x["parent"] is None else idx[x["parent"]] for x in j["joints"]])
    K = j["skin"]["influences"]
    deg = np.pi / 180
    return HandModel(
        handedness="right",
        joint_names=names,
        parents=parents,
        joints=np.array([x["position"] for x in j["joints"]], dtype=np.float64),
        vertices=_decode(j["vertices"]).reshape(-1, 3).astype(np.float64),
        triangles=_decode(j["triangles"]).reshape(-1, 3).astype(np.int32),
        skin_joints=_decode(j["skin"]["joints"]).reshape(-1, K).astype(np.int64),
        skin_weights=_decode(j["skin"]["weights"]).reshape(-1, K).astype(np.float64),
        kp_joint=np.array([idx[k["joint"]] for k in j["keypoints"]]),
        kp_vertex=np.array([k.get("vertex", -1) for k in j["keypoints"]]),
        dof_names=[d["name"] for d in j["dofs"]],
        dof_joint=np.array([idx[d["joint"]] for d in j["dofs"]]),
        dof_kind=[d["kind"] for d in j["dofs"]],
        dof_axis=np.array([d["axis"] for d in j["dofs"]], dtype=np.float64),
        dof_min=np.array([d["limitsDeg"][0] * deg for d in j["dofs"]]),
        dof_max=np.array([d["limitsDeg"][1] * deg for d in j["dofs"]]),
        shape_names=[s["name"] for s in j["shape"]],
        shape_bones=[[idx[b] for b in s["bones"]] for s in j["shape"]],
        json=j,
    )


def load_hand_model(handedness="right", path=DEFAULT_MODEL_PATH) -> HandModel:
    right = _load_right(os.path.abspath(path))
    if handedness == "right":
        return right
    key = ("left", os.path.abspath(path))
    if key not in _LEFT:
        _LEFT[key] = right.mirrored()
    return _LEFT[key]


_LEFT = {}


# --- parameters (params.ts HandParams) ---
@dataclass
class HandParams:
    handedness: str
    global_rotation: np.ndarray  # (3,) axis-angle, model -> camera
    translation: np.ndarray  # (3,) wrist in the camera frame, metres
    pose: np.ndarray  # (D,) radians relative to the rest pose
    bone_scales: np.ndarray  # (S,)
    global_scale: float = 1.0

    @staticmethod
    def rest(model: HandModel, handedness=None):
        return HandParams(handedness or model.handedness, np.zeros(3), np.zeros(3), np.zeros(model.num_dofs), np.ones(model.num_shapes), 1.0)

    def to_json(self):
        return {
            "handedness": self.handedness,
            "globalRotation": [float(x) for x in self.global_rotation],
            "translation": [float(x) for x in self.translation],
            "pose": [float(x) for x in self.pose],
            "boneScales": [float(x) for x in self.bone_scales],
            "globalScale": float(self.global_scale),
        }

    @staticmethod
    def from_json(d):
        return HandParams(
            d["handedness"],
            np.array(d["globalRotation"], float),
            np.array(d["translation"], float),
            np.array(d["pose"], float),
            np.array(d["boneScales"], float),
            float(d["globalScale"]),
        )

    def packed(self):
        """[rot 3 | trans 3 | pose D | shape S | scale 1] (params.ts packParams)."""
        return np.concatenate([self.global_rotation, self.translation, self.pose, self.bone_scales, [self.global_scale]])


def clamp_pose(pose, model: HandModel):
    return np.minimum(model.dof_max, np.maximum(model.dof_min, np.asarray(pose, dtype=np.float64)))


def axis_angle_matrix(axis, angle):
    """Rodrigues, same expression as math.ts axisAngleMatrix."""
    x, y, z = axis
    c = np.cos(angle)
    s = np.sin(angle)
    t = 1 - c
    return np.array(
        [
            [t * x * x + c, t * x * y - s * z, t * x * z + s * y],
            [t * x * y + s * z, t * y * y + c, t * y * z - s * x],
            [t * x * z - s * y, t * y * z + s * x, t * z * z + c],
        ]
    )


def rotation_from_vector(r):
    r = np.asarray(r, dtype=np.float64)
    angle = float(np.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]))
    if angle < 1e-12:
        return np.eye(3)
    return axis_angle_matrix(r / angle, angle)


def vector_from_rotation(m):
    """Axis-angle of a rotation matrix (math.ts vectorFromRotation)."""
    m = np.asarray(m, dtype=np.float64)
    cos = min(1.0, max(-1.0, (m[0, 0] + m[1, 1] + m[2, 2] - 1) / 2))
    angle = np.arccos(cos)
    if angle < 1e-9:
        return np.zeros(3)
    if np.pi - angle < 1e-4:
        xx, yy, zz = [max(0.0, (m[i, i] + 1) / 2) for i in range(3)]
        if xx >= yy and xx >= zz:
            a = np.array([np.sqrt(xx), (m[0, 1] + m[1, 0]) / (4 * np.sqrt(xx)), (m[0, 2] + m[2, 0]) / (4 * np.sqrt(xx))])
        elif yy >= zz:
            a = np.array([(m[0, 1] + m[1, 0]) / (4 * np.sqrt(yy)), np.sqrt(yy), (m[1, 2] + m[2, 1]) / (4 * np.sqrt(yy))])
        else:
            a = np.array([(m[0, 2] + m[2, 0]) / (4 * np.sqrt(zz)), (m[1, 2] + m[2, 1]) / (4 * np.sqrt(zz)), np.sqrt(zz)])
        return a / np.linalg.norm(a) * angle
    a = np.array([m[2, 1] - m[1, 2], m[0, 2] - m[2, 0], m[1, 0] - m[0, 1]])
    return a * (angle / (2 * np.sin(angle)))


@dataclass
class Posed:
    """Result of forward(): everything in float64."""

    rotations: np.ndarray  # (J, 3, 3) joint world rotations, model frame
    joints_model: np.ndarray  # (J, 3) posed joints, model frame (before the global transform)
    joints: np.ndarray  # (J, 3) camera frame
    skin_A: np.ndarray  # (J, 3, 3) skinning transform per joint, model frame
    skin_b: np.ndarray  # (J, 3)
    keypoints: np.ndarray  # (21, 3) camera frame
    R: np.ndarray  # (3, 3) global rotation
    vertices_model: np.ndarray = None  # (V, 3) skinned, model frame (unscaled)
    vertices: np.ndarray = None  # (V, 3) camera frame


def forward(model: HandModel, params: HandParams, vertices=True, rest_vertices=None) -> Posed:
    """referenceForward + referenceVertices. `rest_vertices` replaces the template's rest vertices
    (used for appearance-only deformations such as finger girth); keypoints on vertices use them too."""
    n = len(model.joint_names)
    pose = clamp_pose(params.pose, model)
    incoming, outgoing, out_dir = model.bone_scale_indices()
    per_joint = model.dofs_by_joint()
    bs = np.asarray(params.bone_scales, dtype=np.float64)
    G = np.zeros((n, 3, 3))
    P = np.zeros((n, 3))
    rest = model.joints
    for j in range(n):
        L = np.eye(3)
        for i in per_joint[j]:
            L = L @ axis_angle_matrix(model.dof_axis[i], pose[i])
        p = model.parents[j]
        if p < 0:
            G[j] = L
            P[j] = rest[j]
            continue
        G[j] = G[p] @ L
        s = bs[incoming[j]] if incoming[j] >= 0 else 1.0
        P[j] = P[p] + G[p] @ ((rest[j] - rest[p]) * s)
    s_out = np.where(outgoing >= 0, bs[np.maximum(outgoing, 0)], 1.0)
    S = np.eye(3)[None] + (s_out - 1)[:, None, None] * out_dir[:, :, None] * out_dir[:, None, :]
    A = G @ S
    b = P - np.einsum("jab,jb->ja", A, rest)
    R = rotation_from_vector(params.global_rotation)
    gs = float(params.global_scale)
    t = np.asarray(params.translation, dtype=np.float64)

    def to_camera(x):
        return (x * gs) @ R.T + t

    rv = model.vertices if rest_vertices is None else rest_vertices
    posed = Posed(rotations=G, joints_model=P, joints=to_camera(P), skin_A=A, skin_b=b, keypoints=None, R=R)
    if vertices:
        vm = skin_vertices(model, A, b, rv)
        posed.vertices_model = vm
        posed.vertices = to_camera(vm)
        tips = vm[np.maximum(model.kp_vertex, 0)]
    else:
        tips = skin_vertices(model, A, b, rv, np.maximum(model.kp_vertex, 0))
    kp_model = np.where((model.kp_vertex >= 0)[:, None], tips, P[model.kp_joint])
    posed.keypoints = to_camera(kp_model)
    return posed


def skin_vertices(model: HandModel, A, b, rest_vertices, which=None):
    """sum_k w_k (A_jk x + b_jk), over the K influences (zero weights contribute nothing)."""
    x = rest_vertices if which is None else rest_vertices[which]
    sj = model.skin_joints if which is None else model.skin_joints[which]
    sw = model.skin_weights if which is None else model.skin_weights[which]
    out = np.zeros_like(x)
    for k in range(sj.shape[1]):
        jk = sj[:, k]
        out += sw[:, k : k + 1] * (np.einsum("vab,vb->va", A[jk], x) + b[jk])
    return out
