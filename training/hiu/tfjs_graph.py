"""A PyTorch interpreter of the TF.js graph models in models/ (the MediaPipe hand landmark network).

It runs the exact weights the app runs (fp16 in the file, dequantised as TF.js does), so our
decoders can be trained on the encoder's real feature maps in Python, and the encoder can later be
fine-tuned. Only the ops these graphs use are implemented; an unknown op is an error, not a guess.
A parity test (tests/node/encoderParity.test.ts) checks it against TF.js on the same input.

Layout: the graph is NHWC; internally 4-D tensors are NCHW (fast convolutions in torch) and
converted back on output, so callers see NHWC like TF.js.
"""
from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

_DTYPES = {"float32": np.float32, "int32": np.int32, "float16": np.float16, "uint8": np.uint8}


def load_weights(model_json: Path) -> dict[str, np.ndarray]:
    """Weights of a TF.js graph model by name, dequantised to float32 like tf.io.decodeWeights."""
    spec = json.loads(model_json.read_text())
    out: dict[str, np.ndarray] = {}
    for group in spec["weightsManifest"]:
        data = b"".join((model_json.parent / p).read_bytes() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            shape = w["shape"]
            n = int(np.prod(shape)) if shape else 1
            q = w.get("quantization")
            if q:
                qdt = _DTYPES[q["dtype"]]
                raw = np.frombuffer(data, qdt, n, offset)
                offset += n * np.dtype(qdt).itemsize
                if q["dtype"] == "float16":
                    arr = raw.astype(np.float32)
                else:  # affine uint8/uint16 quantisation
                    arr = raw.astype(np.float32) * q["scale"] + q["min"]
            else:
                dt = _DTYPES[w["dtype"]]
                arr = np.frombuffer(data, dt, n, offset)
                offset += n * np.dtype(dt).itemsize
            out[w["name"]] = arr.reshape(shape).copy()
    return out


def _attr_ints(node: dict, key: str) -> list[int]:
    return [int(i) for i in node.get("attr", {}).get(key, {}).get("list", {}).get("i", [])]


def _attr_str(node: dict, key: str) -> str:
    s = node.get("attr", {}).get(key, {}).get("s")
    return base64.b64decode(s).decode() if s else ""


def _attr_bool(node: dict, key: str) -> bool:
    return bool(node.get("attr", {}).get(key, {}).get("b", False))


def conv_w(node: dict) -> str:
    return _clean(node["input"][1])


def _clean(name: str) -> str:
    return name.lstrip("^").split(":")[0]


def _same_pad(x: torch.Tensor, k: tuple[int, int], stride: tuple[int, int]) -> torch.Tensor:
    """TensorFlow 'SAME' padding: the extra pixel of an odd total goes to the bottom/right."""
    h, w = x.shape[2], x.shape[3]
    ph = max((-(-h // stride[0]) - 1) * stride[0] + k[0] - h, 0)
    pw = max((-(-w // stride[1]) - 1) * stride[1] + k[1] - w, 0)
    return F.pad(x, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2))


class TfjsGraph(torch.nn.Module):
    """Executes a TF.js graph model; `forward(x_nhwc, outputs)` returns the named nodes (NHWC)."""

    def __init__(self, model_json: str | Path, trainable: bool = False):
        super().__init__()
        model_json = Path(model_json)
        spec = json.loads(model_json.read_text())
        self.nodes = {n["name"]: n for n in spec["modelTopology"]["node"]}
        self.input_name = next(n["name"] for n in self.nodes.values() if n["op"] == "Placeholder")
        weights = load_weights(model_json)
        self.params = torch.nn.ParameterDict()
        self._const: dict[str, torch.Tensor] = {}
        self._plans: dict[tuple[str, ...], dict] = {}
        self.requested: set[str] = set()
        for name, arr in weights.items():
            t = self._to_torch_const(name, arr)
            if t.dtype.is_floating_point:
                key = name.replace("/", "|").replace(".", "_")
                self.params[key] = torch.nn.Parameter(t, requires_grad=trainable)
                self._const[name] = self.params[key]
            else:
                self._const[name] = t
        for name, n in self.nodes.items():
            if n["op"] not in _OPS and n["op"] not in ("Const", "Placeholder"):
                raise NotImplementedError(f"TF.js op {n['op']} (node {name}) is not implemented")
        self.fused_bias: dict[str, torch.Tensor] = {}
        self.alias: dict[str, str] = {}
        self._fuse_conv_bias()

    def _to_torch_const(self, name: str, arr: np.ndarray) -> torch.Tensor:
        """Convolution filters are rearranged once into torch's layout."""
        users = [n for n in self.nodes.values() if any(_clean(i) == name for i in n.get("input", []))]
        t = torch.from_numpy(arr)
        if any(u["op"] == "Conv2D" and _clean(u["input"][1]) == name for u in users):
            return t.permute(3, 2, 0, 1).contiguous()  # HWIO -> OIHW
        if any(u["op"] == "DepthwiseConv2dNative" and _clean(u["input"][1]) == name for u in users):
            h, w, c, m = t.shape
            return t.permute(2, 3, 0, 1).reshape(c * m, 1, h, w).contiguous()
        return t

    def _fuse_conv_bias(self) -> None:
        """BatchNorm is folded in these graphs: each conv is followed by an AddV2 of a per-channel
        constant. Fold that add into the conv's bias (one pass over the activation instead of two)."""
        consumers: dict[str, int] = {}
        for n in self.nodes.values():
            for i in n.get("input", []):
                if not i.startswith("^"):
                    consumers[_clean(i)] = consumers.get(_clean(i), 0) + 1
        for name, n in self.nodes.items():
            if n["op"] != "AddV2":
                continue
            a, b = (_clean(i) for i in n["input"][:2])
            conv, const = (a, b) if b in self._const else (b, a)
            if const not in self._const or conv not in self.nodes or self.nodes[conv]["op"] not in ("Conv2D", "DepthwiseConv2dNative"):
                continue
            if consumers.get(conv, 0) != 1 or self._const[const].numel() != self._const[conv_w(self.nodes[conv])].shape[0]:
                continue
            self.fused_bias[conv] = self._const[const].reshape(-1)
            self.alias[name] = conv

    def forward(self, x: torch.Tensor, outputs: list[str]) -> dict[str, torch.Tensor]:
        """`x`: [N, H, W, C] float. Returns each requested node, 4-D ones as NHWC."""
        order = self._plan(tuple(outputs))
        self.requested = set(outputs)
        cache: dict[str, torch.Tensor] = {self.input_name: x.permute(0, 3, 1, 2)}
        # free each activation after its last use: the full graph at batch 32 would otherwise hold
        # gigabytes of intermediates at once
        remaining = dict(order["uses"])
        for name in order["nodes"]:
            node = self.nodes[name]
            inputs = [_clean(i) for i in node.get("input", []) if not i.startswith("^")]
            if name in self.alias:  # a bias add folded into its conv
                cache[name] = cache[self.alias[name]]
            else:
                args = [cache[i] if i in cache else self._const[i] for i in inputs]
                cache[name] = _OPS[node["op"]](node, args, inputs, self, remaining)
            for i in inputs:
                if i in remaining:
                    remaining[i] -= 1
                    if remaining[i] == 0 and i not in outputs:
                        cache.pop(i, None)
        result = {}
        for o in outputs:
            v = cache[o]
            result[o] = v.permute(0, 2, 3, 1) if v.dim() == 4 else v
        return result

    def _plan(self, outputs: tuple[str, ...]) -> dict:
        """Topological order of the nodes the outputs need, and how often each value is used."""
        if outputs in self._plans:
            return self._plans[outputs]
        nodes: list[str] = []
        seen: set[str] = set()
        uses: dict[str, int] = {}

        def visit(name: str) -> None:
            if name in seen or name in self._const or name == self.input_name:
                return
            seen.add(name)
            for i in self.nodes[name].get("input", []):
                if i.startswith("^"):
                    continue
                i = _clean(i)
                visit(i)
                if i not in self._const:
                    uses[i] = uses.get(i, 0) + 1
            nodes.append(name)

        for o in outputs:
            visit(o)
        self._plans[outputs] = {"nodes": nodes, "uses": uses}
        return self._plans[outputs]

    def is_const(self, name: str) -> bool:
        return name in self._const


def _bcast(a: torch.Tensor, b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """A per-channel constant (shape [C] or [1,1,1,C]) against an NCHW tensor."""
    if a.dim() == 4 and b.dim() < 4:
        b = b.reshape(-1)
        b = b.reshape(1, -1, 1, 1) if b.numel() > 1 else b.reshape(1, 1, 1, 1)
    elif a.dim() == 4 and b.dim() == 4 and b.shape[1] == 1 and b.shape[-1] > 1 and b.shape[-1] == a.shape[1]:
        b = b.permute(0, 3, 1, 2)
    return a, b


def _add(node, args, names, g, rem=None):
    a, b = args
    if b.dim() == 4 or a.dim() < 4:
        a, b = (b, a) if a.dim() < b.dim() else (a, b)
    a, b = _bcast(a, b)
    return a + b


def _conv(node, args, names, g, rem=None):
    x, w = args[0], args[1]
    bias = g.fused_bias.get(node["name"])
    stride = tuple(_attr_ints(node, "strides")[1:3])
    dil = tuple(_attr_ints(node, "dilations")[1:3] or [1, 1])
    assert _attr_str(node, "data_format") in ("", "NHWC"), node["name"]
    pad = (0, 0)
    if _attr_str(node, "padding") == "SAME":
        h, wd = x.shape[2], x.shape[3]
        ph = max((-(-h // stride[0]) - 1) * stride[0] + w.shape[2] - h, 0)
        pw = max((-(-wd // stride[1]) - 1) * stride[1] + w.shape[3] - wd, 0)
        if ph % 2 or pw % 2:  # TF puts the odd pixel at the bottom/right: pad that one explicitly
            x = F.pad(x, (0, pw % 2, 0, ph % 2))
        pad = (ph // 2, pw // 2)
    groups = x.shape[1] if node["op"] == "DepthwiseConv2dNative" else 1
    return F.conv2d(x, w, bias, stride=stride, padding=pad, dilation=dil, groups=groups)


def _maxpool(node, args, names, g, rem=None):
    (x,) = args
    k = _attr_ints(node, "ksize")[1:3]
    s = _attr_ints(node, "strides")[1:3]
    if _attr_str(node, "padding") == "SAME":
        x = F.pad(x, (0, 0, 0, 0), value=0)
        h, w = x.shape[2], x.shape[3]
        ph = max((-(-h // s[0]) - 1) * s[0] + k[0] - h, 0)
        pw = max((-(-w // s[1]) - 1) * s[1] + k[1] - w, 0)
        x = F.pad(x, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2), value=float("-inf"))
    return F.max_pool2d(x, tuple(k), tuple(s))


def _mean(node, args, names, g, rem=None):
    x, axes = args
    axes = [int(a) for a in axes.reshape(-1).tolist()]
    keep = _attr_bool(node, "keep_dims")
    if x.dim() == 4:
        nchw = {0: 0, 1: 2, 2: 3, 3: 1, -1: 1, -2: 3, -3: 2}
        m = x.mean(dim=[nchw[a] for a in axes], keepdim=keep)
        return m
    return x.mean(dim=axes, keepdim=keep)


def _fused_matmul(node, args, names, g, rem=None):
    a, b = args[0], args[1]
    if a.dim() == 4:  # NCHW with 1x1 spatial -> [N, C]
        a = a.reshape(a.shape[0], -1)
    if _attr_bool(node, "transpose_a"):
        a = a.t()
    if _attr_bool(node, "transpose_b"):
        b = b.t()
    y = a @ b
    ops = [base64.b64decode(s).decode() for s in node.get("attr", {}).get("fused_ops", {}).get("list", {}).get("s", [])]
    for i, op in enumerate(ops):
        if op == "BiasAdd":
            y = y + args[2 + i]
        elif op == "Relu":
            y = F.relu(y)
        elif op == "Relu6":
            y = y.clamp(0, 6)
        else:
            raise NotImplementedError(f"_FusedMatMul fused op {op}")
    return y


def _relu6(x: torch.Tensor, name: str, remaining, requested) -> torch.Tensor:
    # in place when this Relu6 is the activation's only remaining user, the activation is not a
    # requested output, and no gradient is needed
    if remaining is not None and remaining.get(name) == 1 and name not in requested and not torch.is_grad_enabled():
        return F.hardtanh_(x, 0.0, 6.0)
    return x.clamp(0, 6)


_OPS = {
    "Identity": lambda node, args, names, g, rem=None: args[0],
    "AddV2": _add,
    "Add": _add,
    "AddN": lambda node, args, names, g, rem=None: torch.stack(list(args)).sum(0),
    "Relu6": lambda node, args, names, g, rem=None: _relu6(args[0], names[0], rem, g.requested),
    "Relu": lambda node, args, names, g, rem=None: F.relu(args[0]),
    "Sigmoid": lambda node, args, names, g, rem=None: torch.sigmoid(args[0]),
    "Conv2D": _conv,
    "DepthwiseConv2dNative": _conv,
    "MaxPool": _maxpool,
    "Mean": _mean,
    "_FusedMatMul": _fused_matmul,
}
