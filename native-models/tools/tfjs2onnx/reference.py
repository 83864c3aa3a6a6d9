"""Independent NumPy interpreter of a TF.js graph model (TF semantics, NHWC where TF uses it).

It shares nothing with the ONNX emitter except the loader, so it serves as the numeric
reference for the conversion (there is no TensorFlow on the build machine).
"""
from __future__ import annotations

from typing import Callable, Dict, List

import numpy as np

from .tfjs_graph import GraphModel, Node


def tensor_key(ref: str) -> str:
    """'node' and 'node:0' are the same tensor; 'node:1' is the second output."""
    return ref[:-2] if ref.endswith(":0") else ref


def _same_pads(size: int, k: int, s: int, d: int):
    eff = (k - 1) * d + 1
    out = -(-size // s)
    total = max((out - 1) * s + eff - size, 0)
    return total // 2, total - total // 2


def _spatial_pads(node: Node, x: np.ndarray, kh: int, kw: int, sh: int, sw: int, dh: int, dw: int):
    pad = node.attrs.get("padding", "VALID")
    if pad == "VALID":
        return (0, 0), (0, 0)
    if pad == "SAME":
        return _same_pads(x.shape[1], kh, sh, dh), _same_pads(x.shape[2], kw, sw, dw)
    if pad == "EXPLICIT":
        p = node.attrs["explicit_paddings"]  # NHWC order, pairs
        return (p[2], p[3]), (p[4], p[5])
    raise NotImplementedError(f"padding {pad}")


def _nhwc_check(node: Node):
    fmt = node.attrs.get("data_format", "NHWC")
    if fmt != "NHWC":
        raise NotImplementedError(f"{node.name}: data_format {fmt}")


def conv2d(node: Node, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    _nhwc_check(node)
    _, sh, sw, _ = node.attrs.get("strides", [1, 1, 1, 1])
    _, dh, dw, _ = node.attrs.get("dilations", [1, 1, 1, 1])
    kh, kw, cin_g, cout = w.shape
    (pt, pb), (pl, pr) = _spatial_pads(node, x, kh, kw, sh, sw, dh, dw)
    x = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    n, h, wd, cin = x.shape
    groups = cin // cin_g
    oh = (h - (kh - 1) * dh - 1) // sh + 1
    ow = (wd - (kw - 1) * dw - 1) // sw + 1
    out = np.zeros((n, oh, ow, cout), np.float64)
    cout_g = cout // groups
    for g in range(groups):
        xg = x[..., g * cin_g:(g + 1) * cin_g].astype(np.float64)
        wg = w[..., g * cout_g:(g + 1) * cout_g].astype(np.float64)
        for i in range(kh):
            for j in range(kw):
                patch = xg[:, i * dh:i * dh + (oh - 1) * sh + 1:sh, j * dw:j * dw + (ow - 1) * sw + 1:sw, :]
                out[..., g * cout_g:(g + 1) * cout_g] += patch @ wg[i, j]
    return out.astype(np.float32)


def max_pool(node: Node, x: np.ndarray) -> np.ndarray:
    _nhwc_check(node)
    _, kh, kw, _ = node.attrs["ksize"]
    _, sh, sw, _ = node.attrs["strides"]
    (pt, pb), (pl, pr) = _spatial_pads(node, x, kh, kw, sh, sw, 1, 1)
    x = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)), constant_values=-np.inf)
    oh = (x.shape[1] - kh) // sh + 1
    ow = (x.shape[2] - kw) // sw + 1
    out = np.full((x.shape[0], oh, ow, x.shape[3]), -np.inf, np.float32)
    for i in range(kh):
        for j in range(kw):
            out = np.maximum(out, x[:, i:i + (oh - 1) * sh + 1:sh, j:j + (ow - 1) * sw + 1:sw, :])
    return out


def _resize_axis(in_size: int, out_size: int, align_corners: bool, half_pixel: bool):
    """Source indices and weights along one axis, as tf.image.resize_bilinear computes them."""
    if align_corners and out_size > 1:
        scale = (in_size - 1) / (out_size - 1)
    else:
        scale = in_size / out_size
    o = np.arange(out_size, dtype=np.float64)
    src = (o + 0.5) * scale - 0.5 if half_pixel else o * scale
    lo_f = np.floor(src)
    lerp = src - lo_f
    lo = np.clip(lo_f.astype(np.int64), 0, in_size - 1)
    hi = np.clip(np.ceil(src).astype(np.int64), 0, in_size - 1)
    return lo, hi, lerp


def resize_bilinear(node: Node, x: np.ndarray, size: np.ndarray) -> np.ndarray:
    ac = bool(node.attrs.get("align_corners", False))
    hp = bool(node.attrs.get("half_pixel_centers", False))
    oh, ow = int(size[0]), int(size[1])
    y0, y1, ly = _resize_axis(x.shape[1], oh, ac, hp)
    x0, x1, lx = _resize_axis(x.shape[2], ow, ac, hp)
    xd = x.astype(np.float64)
    top = xd[:, y0] * (1 - ly)[None, :, None, None] + xd[:, y1] * ly[None, :, None, None]
    out = top[:, :, x0] * (1 - lx)[None, None, :, None] + top[:, :, x1] * lx[None, None, :, None]
    return out.astype(np.float32)


def sparse_to_dense(indices, output_shape, values, default):
    out = np.full(tuple(int(s) for s in np.atleast_1d(output_shape)), default, dtype=np.asarray(values).dtype)
    idx = np.asarray(indices).reshape(-1, out.ndim) if out.ndim else np.asarray(indices)
    vals = np.broadcast_to(values, (idx.shape[0],))
    for k, i in enumerate(idx):
        out[tuple(i)] = vals[k]
    return out


def pad(x, paddings, value=0):
    return np.pad(x, [tuple(int(v) for v in p) for p in paddings], constant_values=value)


def reshape(x, shape):
    return x.reshape([int(s) for s in shape])


def split_v(x, sizes, axis):
    sizes = [int(s) for s in sizes]
    axis = int(axis)
    if -1 in sizes:
        known = sum(s for s in sizes if s != -1)
        sizes[sizes.index(-1)] = x.shape[axis] - known
    cuts = np.cumsum(sizes)[:-1]
    return np.split(x, cuts, axis=axis)


def sigmoid(x):
    return (1.0 / (1.0 + np.exp(-x.astype(np.float64)))).astype(x.dtype)


# op -> f(node, *inputs) returning one array or a list of arrays
OPS: Dict[str, Callable] = {
    "Identity": lambda n, x: x,
    "Add": lambda n, a, b: a + b,
    "AddV2": lambda n, a, b: a + b,
    "Sub": lambda n, a, b: a - b,
    "Mul": lambda n, a, b: a * b,
    "Transpose": lambda n, x, perm: np.transpose(x, [int(p) for p in perm]),
    "Pad": lambda n, x, p: pad(x, p),
    "PadV2": lambda n, x, p, v: pad(x, p, v),
    "Conv2D": conv2d,
    "LeakyRelu": lambda n, x: np.where(x >= 0, x, x * np.float32(n.attrs.get("alpha", 0.2))).astype(x.dtype),
    "Relu": lambda n, x: np.maximum(x, 0),
    "MaxPool": max_pool,
    "ConcatV2": lambda n, *xs: np.concatenate(xs[:-1], axis=int(xs[-1])),
    "ResizeBilinear": resize_bilinear,
    "SplitV": lambda n, x, sizes, axis: split_v(x, sizes, axis),
    "Sigmoid": lambda n, x: sigmoid(x),
    "Reshape": lambda n, x, s: reshape(x, s),
    "SparseToDense": lambda n, i, s, v, d: sparse_to_dense(i, s, v, d),
}


def run(model: GraphModel, feeds: Dict[str, np.ndarray], keep_all: bool = False) -> Dict[str, np.ndarray]:
    """Evaluate the graph; returns the signature outputs (or every tensor if keep_all)."""
    values: Dict[str, np.ndarray] = dict(model.weights)
    for k, v in feeds.items():
        values[k] = v
    pending: List[Node] = [n for n in model.nodes if n.op not in ("Const", "Placeholder")]
    for n in model.nodes:
        if n.op == "Placeholder" and n.name not in values:
            raise KeyError(f"missing feed {n.name}")
    while pending:
        progressed = False
        rest = []
        for node in pending:
            refs = [tensor_key(i) for i in node.inputs]
            if not all(r in values for r in refs):
                rest.append(node)
                continue
            fn = OPS.get(node.op)
            if fn is None:
                raise NotImplementedError(f"op {node.op} ({node.name})")
            out = fn(node, *[values[r] for r in refs])
            if isinstance(out, (list, tuple)):
                values[node.name] = out[0]
                for k, o in enumerate(out):
                    values[f"{node.name}:{k}"] = o
            else:
                values[node.name] = out
            progressed = True
        if not progressed:
            raise ValueError(f"graph has unresolved inputs: {[n.name for n in rest][:5]}")
        pending = rest
    if keep_all:
        return values
    return {k: values[k] for k in model.outputs}
