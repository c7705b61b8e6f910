"""The multi-task heads of our HIU-DMTL port, on the MediaPipe landmark network's feature taps.

Per stage: one encoder feature (stage 1: a top-down FPN over the taps down to 28x28; stage k+1: the
encoder feature fused with stage k's task-attention output) -> three task decoders (work at 28x28,
then up to 56x56 over the finest tap: 21 heat maps, 1 mask logit map, 63 POF channels) -> task
attention (channel attention with a softmax across the three tasks) -> the fused feature for the
next stage. Every stage is supervised. (Decoding at 28x28 is a measured choice: the same layers at
56x56 trained at ~2 img/s on this 2-core machine.)

Only ops that TF.js runs on every backend, with identical semantics, are used (src/core/multitask
mirrors this file module by module and a parity test checks it): conv2d with symmetric 'same'
padding (odd kernels, stride 1), depthwise conv2d, ReLU, bilinear x2 upsampling with half-pixel
centres (torch align_corners=False == TF half_pixel_centers), add, concat, mean, dense, sigmoid,
softmax.
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from handsynth.model import SKELETON

# the full landmark network's taps (shared/notes/measured-facts.md): outputs of the last residual
# block at each resolution (linear bottlenecks)
TAPS_FULL = {
    56: "model_1/model/add/ArithmeticOptimizer/AddOpsRewrite_add",
    28: "model_1/model/add_1/ArithmeticOptimizer/AddOpsRewrite_add",
    14: "model_1/model/add_5/ArithmeticOptimizer/AddOpsRewrite_add",
    7: "model_1/model/add_8/ArithmeticOptimizer/AddOpsRewrite_add",
}
TAP_CHANNELS_FULL = {56: 24, 28: 40, 14: 112, 7: 192}
TASKS = ("heatmaps", "mask", "pof")
TASK_CHANNELS = {"heatmaps": 21, "mask": 1, "pof": 63}


class SepConv(nn.Module):
    """Depthwise 3x3 + pointwise 1x1 + ReLU (MobileNet-style, cheap at 56x56)."""

    def __init__(self, cin: int, cout: int):
        super().__init__()
        self.dw = nn.Conv2d(cin, cin, 3, padding=1, groups=cin)
        self.pw = nn.Conv2d(cin, cout, 1)

    def forward(self, x):
        return F.relu(self.pw(self.dw(x)))


def up2(x):
    return F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)


# the landmark network's own keypoints as the target prior: which hand of the crop the heads describe
# (with other hands or a face in the crop the mask spilled onto them; README, per-scene figures).
# The skeleton map draws SKELETON's 21 bones (MediaPipe's hand connections).
PRIOR_RES = 28  # the grid the decoders work on
PRIOR_SIGMA_PX = 8.0  # one 28x28 cell of the 224 px crop
PRIOR_CHANNELS = 22  # 21 joint Gaussians + the skeleton (max over the bones of a Gaussian of the distance)


def prior_maps(kp: torch.Tensor, crop: int = 224) -> torch.Tensor:
    """[B, 21, >=2] keypoints in crop px -> [B, 22, 28, 28]: a Gaussian at each keypoint and the
    skeleton map, both of sigma PRIOR_SIGMA_PX, sampled at the cell centres."""
    c = (torch.arange(PRIOR_RES, dtype=kp.dtype) + 0.5) * (crop / PRIOR_RES)
    gy, gx = c[None, None, :, None], c[None, None, None, :]
    x, y = kp[:, :, 0, None, None], kp[:, :, 1, None, None]  # [B, 21, 1, 1]
    k = -0.5 / PRIOR_SIGMA_PX**2
    joints = torch.exp(k * ((gx - x) ** 2 + (gy - y) ** 2))
    a, b = torch.tensor([parent for parent, _ in SKELETON]), torch.tensor([child for _, child in SKELETON])
    ax, ay, bx, by = x[:, a], y[:, a], x[:, b], y[:, b]
    dx, dy = bx - ax, by - ay
    t = torch.clamp(((gx - ax) * dx + (gy - ay) * dy) / (dx * dx + dy * dy + 1e-6), 0.0, 1.0)
    bones = torch.exp(k * ((gx - ax - t * dx) ** 2 + (gy - ay - t * dy) ** 2))
    return torch.cat([joints, bones.amax(dim=1, keepdim=True)], 1)


class Fpn(nn.Module):
    """Top-down pyramid over the taps -> a 28x28 feature (where the decoders work) and a 56x56
    lateral of the finest tap (the skip the 56x56 outputs are built on)."""

    def __init__(self, tap_channels: dict[int, int], c: int, prior: bool = False):
        super().__init__()
        self.lat = nn.ModuleDict({str(r): nn.Conv2d(ch, c, 1) for r, ch in tap_channels.items()})
        self.out = SepConv(c, c)
        # the keypoint prior joins the 28x28 sum through a 1x1 conv that starts at zero, so heads
        # initialised from a model without it start out computing exactly what that model did
        self.prior = nn.Conv2d(PRIOR_CHANNELS, c, 1) if prior else None
        if self.prior is not None:
            nn.init.zeros_(self.prior.weight)
            nn.init.zeros_(self.prior.bias)

    def forward(self, taps: dict[int, torch.Tensor], kp: torch.Tensor | None = None):
        x = self.lat["7"](taps[7])
        for r in (14, 28):
            x = up2(x) + self.lat[str(r)](taps[r])
        if self.prior is not None:
            if kp is None:
                raise ValueError("these heads read the landmark network's keypoints (config prior): pass kp")
            x = x + self.prior(prior_maps(kp))
        return self.out(x), self.lat["56"](taps[56])


class TaskDecoder(nn.Module):
    """Two separable convs at 28x28, then x2 up + the 56x56 skip + a 1x1 output conv at 56x56
    (the expensive resolution only sees one cheap layer)."""

    def __init__(self, c: int, n_out: int):
        super().__init__()
        self.body = nn.Sequential(SepConv(c, c), SepConv(c, c))
        self.head = nn.Conv2d(c, n_out, 1)

    def forward(self, x, skip56, dense: bool = True):
        f = self.body(x)
        return f, (self.head(F.relu(up2(f) + skip56)) if dense else None)


class JointGroupsPof(nn.Module):
    """The POF decoder as learnable joint groups (AAAI 2021, "learnable joint groups"): G group
    branches (two separable convs each, at width c/4, so the decoder has about the single one's
    parameters), NDDR-style fusion (each group's feature is
    a learnt 1x1 mix of all groups' features), a per-group 56x56 output of all 63 POF channels, and
    a selector: for each of the 21 bones, logits over the groups, sampled with Gumbel-softmax while
    training (temperature `tau`, annealed by the trainer) and their argmax at inference, so each
    bone is read from one group. The task-attention feature is the mean of the groups' features."""

    def __init__(self, c: int, groups: int = 4):
        super().__init__()
        w = c // 4
        self.groups = groups
        self.branches = nn.ModuleList([nn.Sequential(SepConv(c, w), SepConv(w, w)) for _ in range(groups)])
        self.nddr = nn.ModuleList([nn.Conv2d(groups * w, w, 1) for _ in range(groups)])
        self.expand = nn.ModuleList([nn.Conv2d(w, c, 1) for _ in range(groups)])
        self.heads = nn.ModuleList([nn.Conv2d(c, 63, 1) for _ in range(groups)])
        self.selector = nn.Parameter(torch.zeros(21, groups))
        self.tau = 1.0
        with torch.no_grad():  # NDDR starts as "mostly my own group" (as in the NDDR paper's init)
            for g, conv in enumerate(self.nddr):
                conv.weight.mul_(0.1)
                conv.weight[:, g * w : (g + 1) * w, 0, 0] += torch.eye(w)

    def selection(self) -> torch.Tensor:
        """[21, G] weights: Gumbel-softmax samples while training, one-hot argmax at inference."""
        if self.training:
            return F.gumbel_softmax(self.selector, tau=self.tau, hard=False, dim=1)
        return F.one_hot(self.selector.argmax(dim=1), self.groups).to(self.selector.dtype)

    def forward(self, x, skip56, dense: bool = True):
        fs = [b(x) for b in self.branches]
        cat = torch.cat(fs, 1)
        fused = [F.relu(n(cat)) for n in self.nddr]
        feats = [F.relu(e(f)) for e, f in zip(self.expand, fused)]
        f = sum(feats) / self.groups
        if not dense:
            return f, None
        sel = self.selection().repeat_interleave(3, dim=0)  # [63, G]
        out = sum(h(F.relu(up2(fg) + skip56)) * sel[:, g, None, None] for g, (h, fg) in enumerate(zip(self.heads, feats)))
        return f, out


class TaskAttention(nn.Module):
    """HIU-DMTL's fusion: per channel, a softmax over the tasks of attention logits computed from all
    tasks' pooled features; the fused feature is the weighted sum of the task features."""

    def __init__(self, c: int, n_tasks: int = 3):
        super().__init__()
        self.n = n_tasks
        self.fc = nn.Linear(n_tasks * c, n_tasks * c)

    def forward(self, feats: list[torch.Tensor]):
        pooled = torch.cat([f.mean(dim=(2, 3)) for f in feats], 1)  # [B, T*C]
        logits = self.fc(pooled).reshape(pooled.shape[0], self.n, -1)  # [B, T, C]
        w = torch.softmax(logits, dim=1)
        return sum(w[:, t, :, None, None] * feats[t] for t in range(self.n))


class Stage(nn.Module):
    def __init__(self, c: int, first: bool, pof_groups: int = 0):
        super().__init__()
        self.merge = None if first else nn.Conv2d(2 * c, c, 1)
        self.decoders = nn.ModuleDict({t: JointGroupsPof(c, pof_groups) if t == "pof" and pof_groups else TaskDecoder(c, TASK_CHANNELS[t]) for t in TASKS})
        self.attention = TaskAttention(c)

    def forward(self, base, skip56, fused_prev=None, dense: bool = True):
        x = base if self.merge is None else F.relu(self.merge(torch.cat([base, fused_prev], 1)))
        feats, outs = [], {}
        for t in TASKS:
            f, o = self.decoders[t](x, skip56, dense)
            feats.append(f)
            outs[t] = o
        return outs, self.attention(feats)


# the regressed hand-model parameters, as offsets from the rest hand: [global rotation in the crop
# axes (axis-angle) 3 | pose 24 (radians) | bone scales - 1 (20) | global scale - 1 (1)]
N_PARAMS = 48


class MeshRegressor(nn.Module):
    """HMR-style iterative regressor, one set of weights shared by every stage (coarse to fine): from
    the stage's fused feature (28x28: 1x1 conv to 16 channels, 4x4 average pool -> 7x7x16, flattened
    in HWC order as TF.js does) and the previous estimate, a residual update of the parameters."""

    def __init__(self, c: int, hidden: int = 256, squeeze: int = 16, tap7: int = 0):
        super().__init__()
        self.squeeze = nn.Conv2d(c, squeeze, 1)
        # optional: the encoder's deepest tap (7x7, the features the landmark network regresses
        # its own 3D from), squeezed the same way and read beside the fused feature
        self.squeeze7 = nn.Conv2d(tap7, squeeze, 1) if tap7 else None
        self.fc1 = nn.Linear((2 if tap7 else 1) * 7 * 7 * squeeze + N_PARAMS, hidden)
        self.fc2 = nn.Linear(hidden, N_PARAMS)
        with torch.no_grad():  # start near the rest hand, small first updates
            self.fc2.weight.mul_(0.01)
            self.fc2.bias.zero_()

    def forward(self, fused, prev, t7=None):
        xs = [F.avg_pool2d(F.relu(self.squeeze(fused)), 4)]
        if self.squeeze7 is not None:
            xs.append(F.relu(self.squeeze7(t7)))
        x = torch.cat([v.permute(0, 2, 3, 1).flatten(1) for v in xs] + [prev], 1)
        return prev + self.fc2(F.relu(self.fc1(x)))


class MultiTaskHeads(nn.Module):
    """taps (NCHW dict by resolution) -> list (one per stage) of {heatmaps, mask, pof} at 56x56
    (+ `params` [B, N_PARAMS] with the mesh regressor)."""

    def __init__(
        self,
        channels: int = 32,
        stages: int = 2,
        tap_channels: dict[int, int] = TAP_CHANNELS_FULL,
        regressor: bool = False,
        pof_groups: int = 0,
        regressor_tap7: bool = False,
        prior: bool = False,
    ):
        super().__init__()
        self.config = {
            "channels": channels,
            "stages": stages,
            "tap_channels": tap_channels,
            "regressor": regressor,
            "pof_groups": pof_groups,
            "regressor_tap7": regressor_tap7,
            "prior": prior,
        }
        self.fpn = Fpn(tap_channels, channels, prior)
        self.stages = nn.ModuleList([Stage(channels, first=(k == 0), pof_groups=pof_groups) for k in range(stages)])
        self.regressor = MeshRegressor(channels, tap7=tap_channels[7] if regressor_tap7 else 0) if regressor else None

    @staticmethod
    def from_config(cfg: dict) -> "MultiTaskHeads":
        """The model a checkpoint's `config` describes (older checkpoints lack the later keys)."""
        return MultiTaskHeads(
            cfg["channels"],
            cfg["stages"],
            regressor=cfg.get("regressor", False),
            pof_groups=cfg.get("pof_groups", 0),
            regressor_tap7=cfg.get("regressor_tap7", False),
            prior=cfg.get("prior", False),
        )

    @staticmethod
    def from_checkpoint(path) -> "MultiTaskHeads":
        """A saved checkpoint's model with its weights, in eval mode (for measuring)."""
        ck = torch.load(path)
        m = MultiTaskHeads.from_config(ck["config"])
        m.load_state_dict(ck["model"])
        return m.eval()

    def on_batch(self, b: dict, dense: bool = True):
        """forward() on a data.py batch: its taps and, for heads with the prior, its `lm_kp2d`."""
        if self.config["prior"] and "lm_kp2d" not in b:
            raise ValueError("heads with the keypoint prior need lm_kp2d.npy in every tap shard (hiu.taps --add-keypoints)")
        return self(b["taps"], dense, b["lm_kp2d"] if self.config["prior"] else None)

    def forward(self, taps: dict[int, torch.Tensor], dense: bool = True, kp: torch.Tensor | None = None):
        """`dense=False`: skip the 56x56 outputs (training the regressor alone). `kp`: the landmark
        network's keypoints on the same crop, [B, 21, >=2] crop px (needed with config prior)."""
        base, skip56 = self.fpn(taps, kp)
        outs, fused = [], None
        params = base.new_zeros(base.shape[0], N_PARAMS)
        for stage in self.stages:
            o, fused = stage(base, skip56, fused, dense)
            if self.regressor is not None:
                params = self.regressor(fused, params, taps[7])
                o["params"] = params
            outs.append(o)
        return outs
