"""The hand model's forward kinematics + skinning in torch, batched and differentiable, so the mesh
regressor can be trained on what the fit uses: 3D joints and mesh vertices (not only parameter
distances, which weigh a wrist rotation like a fingertip bend).

A batched transcription of handsynth.model.forward (numpy, itself parity-tested against the app's
src/core/handModel/reference.ts); training/tests/test_hiu.py checks the two agree. Translation is
left out (the regressor has no depth): outputs are wrist-relative, in the frame the global rotation
maps to (for the regressor: the crop-aligned camera axes).
"""
from __future__ import annotations

import numpy as np
import torch

from handsynth.model import HandModel, load_hand_model


def rodrigues(r: torch.Tensor) -> torch.Tensor:
    """[B, 3] axis-angle -> [B, 3, 3] (differentiable at 0 through the small-angle form)."""
    th = r.norm(dim=-1, keepdim=True).clamp_min(1e-8)
    k = r / th
    K = torch.zeros(r.shape[0], 3, 3, dtype=r.dtype)
    K[:, 0, 1], K[:, 0, 2], K[:, 1, 2] = -k[:, 2], k[:, 1], -k[:, 0]
    K = K - K.transpose(1, 2)
    s, c = torch.sin(th)[..., None], torch.cos(th)[..., None]
    return torch.eye(3)[None] + s * K + (1 - c) * (K @ K)


def _skew(a: np.ndarray) -> np.ndarray:
    x, y, z = a
    return np.array([[0.0, -z, y], [z, 0.0, -x], [-y, x, 0.0]])


class TorchHand:
    """One handedness of models/hand-model.json as constant tensors (float32)."""

    def __init__(self, model: HandModel):
        self.n = len(model.joint_names)
        self.parents = [int(p) for p in model.parents]
        self.per_joint = model.dofs_by_joint()
        incoming, outgoing, out_dir = model.bone_scale_indices()
        self.incoming = [int(i) for i in incoming]
        f = lambda a: torch.tensor(np.asarray(a), dtype=torch.float32)
        self.rest = f(model.joints)
        self.bones = f(model.joints - model.joints[np.maximum(model.parents, 0)])  # rest joint - rest parent
        K = np.stack([_skew(a) for a in model.dof_axis])
        self.K, self.K2 = f(K), f(K @ K)
        self.dof_min, self.dof_max = f(model.dof_min), f(model.dof_max)
        self.outgoing = torch.tensor(outgoing)
        self.out_outer = f(out_dir[:, :, None] * out_dir[:, None, :])  # (J, 3, 3)
        self.vertices = f(model.vertices)
        self.skin_joints = torch.tensor(model.skin_joints)
        self.skin_weights = f(model.skin_weights)
        self.kp_joint = torch.tensor(model.kp_joint)
        self.kp_vertex = torch.tensor(np.maximum(model.kp_vertex, 0))
        self.kp_is_vertex = torch.tensor(model.kp_vertex >= 0)

    def forward(self, rot: torch.Tensor, pose: torch.Tensor, bone_scales: torch.Tensor, global_scale: torch.Tensor, vertices: bool = True):
        """rot [B, 3] axis-angle, pose [B, D] radians (clamped to the limits as the app does),
        bone_scales [B, S], global_scale [B] -> keypoints [B, 21, 3] (and vertices [B, V, 3])."""
        B = rot.shape[0]
        pose = torch.max(torch.min(pose, self.dof_max), self.dof_min)
        c, s = torch.cos(pose)[..., None, None], torch.sin(pose)[..., None, None]
        L_dof = torch.eye(3) + s * self.K + (1 - c) * self.K2  # [B, D, 3, 3] (axis_angle_matrix)
        G, P = [None] * self.n, [None] * self.n
        eye = torch.eye(3).expand(B, 3, 3)
        for j in range(self.n):
            L = eye
            for i in self.per_joint[j]:
                L = L @ L_dof[:, i]
            p = self.parents[j]
            if p < 0:
                G[j], P[j] = L, self.rest[j].expand(B, 3)
                continue
            G[j] = G[p] @ L
            sc = bone_scales[:, self.incoming[j] : self.incoming[j] + 1] if self.incoming[j] >= 0 else 1.0
            P[j] = P[p] + (G[p] @ (self.bones[j] * sc)[..., None])[..., 0]
        G, P = torch.stack(G, 1), torch.stack(P, 1)  # [B, J, 3, 3], [B, J, 3]
        s_out = torch.where(self.outgoing >= 0, bone_scales[:, self.outgoing.clamp_min(0)], torch.ones(()))  # [B, J]
        S = torch.eye(3) + (s_out - 1)[..., None, None] * self.out_outer
        A = G @ S
        b = P - (A @ self.rest[..., None])[..., 0]
        which = None if vertices else self.kp_vertex
        V = self._skin(A, b, which)
        tips = V[:, self.kp_vertex] if vertices else V
        kp = torch.where(self.kp_is_vertex[:, None], tips, P[:, self.kp_joint])
        R = rodrigues(rot)
        gs = global_scale[:, None, None]
        to_frame = lambda x: gs * (x @ R.transpose(1, 2))
        return (to_frame(kp), to_frame(V)) if vertices else (to_frame(kp), None)

    def _skin(self, A, b, which=None):
        x = self.vertices if which is None else self.vertices[which]
        sj = self.skin_joints if which is None else self.skin_joints[which]
        sw = self.skin_weights if which is None else self.skin_weights[which]
        out = 0
        for k in range(sj.shape[1]):
            jk = sj[:, k]
            out = out + sw[:, k, None] * ((A[:, jk] @ x[..., None])[..., 0] + b[:, jk])
        return out


_HANDS: dict[str, TorchHand] = {}


def hand(handedness: str) -> TorchHand:
    if handedness not in _HANDS:
        _HANDS[handedness] = TorchHand(load_hand_model(handedness))
    return _HANDS[handedness]


def regressed_to_3d(params: torch.Tensor, left: torch.Tensor, vertices: bool = True):
    """The regressor's [B, 48] vector (model.N_PARAMS) and per-sample handedness (bool, True = left)
    -> keypoints [B, 21, 3] and vertices [B, V, 3], wrist-relative metres in the crop axes."""
    rot, pose, shape, gs = params[:, :3], params[:, 3:27], 1 + params[:, 27:47], 1 + params[:, 47]
    kp = params.new_zeros(params.shape[0], 21, 3)
    vs = params.new_zeros(params.shape[0], hand("right").vertices.shape[0], 3) if vertices else None
    for name, sel in (("right", ~left), ("left", left)):
        if sel.any():
            k, v = hand(name).forward(rot[sel], pose[sel], shape[sel], gs[sel], vertices)
            kp[sel] = k
            if vertices:
                vs[sel] = v
    return kp, vs
