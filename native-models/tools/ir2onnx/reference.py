"""Independent NumPy interpreter of an OpenVINO IR graph (OpenVINO operator semantics).

It is the numeric reference the converted ONNX model is checked against: it never looks at
the ONNX graph, and it implements each IR operator from its OpenVINO specification
(float64 accumulation, so it is the more precise of the two).
"""
from __future__ import annotations

from typing import Callable, Dict, List

import numpy as np

from .ir_graph import IrError, IrModel, Layer, result_name


def _windows(x: np.ndarray, kernel, strides, dilations, pads_begin, pads_end, fill: float) -> np.ndarray:
    """[N, C, H, W] -> [N, C, Ho, Wo, kh, kw] sliding windows over the padded input (a view)."""
    x = np.pad(x, ((0, 0), (0, 0), (pads_begin[0], pads_end[0]), (pads_begin[1], pads_end[1])), constant_values=fill)
    n, c, h, w = x.shape
    kh, kw = kernel
    eh, ew = (kh - 1) * dilations[0] + 1, (kw - 1) * dilations[1] + 1
    ho, wo = (h - eh) // strides[0] + 1, (w - ew) // strides[1] + 1
    sn, sc, sh, sw = x.strides
    return np.lib.stride_tricks.as_strided(
        x, (n, c, ho, wo, kh, kw), (sn, sc, sh * strides[0], sw * strides[1], sh * dilations[0], sw * dilations[1]), writeable=False)


def _pads(layer: Layer, in_hw, kernel, strides, dilations):
    auto = layer.data.get("auto_pad", "explicit")
    if auto in ("explicit", "notset"):
        return layer.ints("pads_begin"), layer.ints("pads_end")
    if auto == "valid":
        return [0, 0], [0, 0]
    begin, end = [], []
    for i in range(2):
        out = -(-in_hw[i] // strides[i])
        total = max(0, (out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - in_hw[i])
        small = total // 2
        if auto == "same_upper":
            begin.append(small); end.append(total - small)
        else:
            begin.append(total - small); end.append(small)
    return begin, end


def _conv(x: np.ndarray, w: np.ndarray, layer: Layer, groups: int) -> np.ndarray:
    """w: [G, O/G, I/G, kh, kw]."""
    strides, dil = layer.ints("strides"), layer.ints("dilations")
    pb, pe = _pads(layer, x.shape[2:], w.shape[3:], strides, dil)
    win = _windows(x, w.shape[3:], strides, dil, pb, pe, 0.0)
    n, c, ho, wo, kh, kw = win.shape
    win = win.reshape(n, groups, c // groups, ho, wo, kh, kw)
    return np.einsum("ngcijkl,gockl->ngoij", win, w, optimize=True).reshape(n, -1, ho, wo)


def _pool(x: np.ndarray, layer: Layer, kind: str) -> np.ndarray:
    kernel, strides = layer.ints("kernel"), layer.ints("strides")
    dil = layer.ints("dilations") if "dilations" in layer.data else [1, 1]
    if layer.data.get("rounding_type", "floor") != "floor":
        raise IrError(f"{layer.name}: rounding_type {layer.data['rounding_type']} not supported")
    pb, pe = _pads(layer, x.shape[2:], kernel, strides, dil)
    if kind == "max":
        return _windows(x, kernel, strides, dil, pb, pe, -np.inf).max(axis=(4, 5))
    total = _windows(x, kernel, strides, dil, pb, pe, 0.0).sum(axis=(4, 5))
    if layer.data.get("exclude-pad", "false") == "true":
        ones = np.ones((1, 1) + x.shape[2:])
        count = _windows(ones, kernel, strides, dil, pb, pe, 0.0).sum(axis=(4, 5))
    else:
        count = kernel[0] * kernel[1]
    return total / count


def _axes(a: np.ndarray, rank: int) -> tuple:
    return tuple(sorted(int(v) % rank for v in np.atleast_1d(a)))


def _reshape(x: np.ndarray, shape: np.ndarray, special_zero: bool) -> np.ndarray:
    shape = [int(v) for v in shape]
    if special_zero:
        shape = [x.shape[i] if v == 0 else v for i, v in enumerate(shape)]
    return x.reshape(shape)


def _mvn(x: np.ndarray, axes: np.ndarray, layer: Layer) -> np.ndarray:
    ax = _axes(axes, x.ndim)
    eps = float(layer.data["eps"])
    y = x - x.mean(axis=ax, keepdims=True)
    if layer.data.get("normalize_variance", "true") == "true":
        var = (y * y).mean(axis=ax, keepdims=True)
        y = y / (np.sqrt(var + eps) if layer.data["eps_mode"].upper() == "INSIDE_SQRT" else np.sqrt(var) + eps)
    return y


def _prelu(x: np.ndarray, slope: np.ndarray) -> np.ndarray:
    if slope.ndim == 1 and x.ndim >= 2 and slope.shape[0] == x.shape[1] and slope.shape[0] != 1:
        slope = slope.reshape((1, -1) + (1,) * (x.ndim - 2))  # per channel (axis 1)
    return np.where(x < 0, x * slope, x)


def _matmul(layer: Layer, a, b):
    if layer.data.get("transpose_a", "false") == "true":
        a = np.swapaxes(a, -1, -2)
    if layer.data.get("transpose_b", "false") == "true":
        b = np.swapaxes(b, -1, -2)
    return a @ b


OPS: Dict[str, Callable[..., np.ndarray]] = {
    "Add": lambda L, a, b: a + b,
    "Subtract": lambda L, a, b: a - b,
    "Multiply": lambda L, a, b: a * b,
    "Divide": lambda L, a, b: a / b,
    "ReLU": lambda L, x: np.maximum(x, 0),
    "Clamp": lambda L, x: np.clip(x, float(L.data["min"]), float(L.data["max"])),
    "Sigmoid": lambda L, x: 1.0 / (1.0 + np.exp(-x)),
    "PReLU": lambda L, x, s: _prelu(x, s),
    "Convolution": lambda L, x, w: _conv(x, w[None], L, 1),
    "GroupConvolution": lambda L, x, w: _conv(x, w, L, w.shape[0]),
    "MaxPool": lambda L, x: _pool(x, L, "max"),
    "AvgPool": lambda L, x: _pool(x, L, "avg"),
    "ReduceMean": lambda L, x, a: x.mean(axis=_axes(a, x.ndim), keepdims=L.data.get("keep_dims") == "true"),
    "ReduceMax": lambda L, x, a: x.max(axis=_axes(a, x.ndim), keepdims=L.data.get("keep_dims") == "true"),
    "MVN": lambda L, x, a: _mvn(x, a, L),
    "MatMul": _matmul,
    "Reshape": lambda L, x, s: _reshape(x, s, L.data.get("special_zero") == "true"),
    "ShapeOf": lambda L, x: np.array(x.shape, np.int64),
    "Gather": lambda L, x, i, a: np.take(x, i.astype(np.int64), axis=int(a)),
    "Concat": lambda L, *xs: np.concatenate(xs, axis=int(L.data["axis"])),
}


def supported_types() -> List[str]:
    return sorted(OPS) + ["Const", "Parameter", "Result"]


def run(model: IrModel, feeds: Dict[str, np.ndarray]) -> Dict[str, np.ndarray]:
    """Runs the IR on float inputs (any batch size) and returns {result name: float32 array}."""
    values: Dict[tuple, np.ndarray] = {}
    outputs: Dict[str, np.ndarray] = {}
    for lid in model.order:
        L = model.layers[lid]
        args = [values[s] for s in L.sources]
        if L.type == "Parameter":
            if L.name not in feeds:
                raise IrError(f"no input fed for parameter {L.name}")
            out = np.asarray(feeds[L.name], np.float64)
        elif L.type == "Const":
            out = L.value.astype(np.float64) if L.value.dtype.kind == "f" else L.value
        elif L.type == "Result":
            outputs[result_name(L)] = args[0].astype(np.float32)
            continue
        elif L.type in OPS:
            if L.type == "MaxPool" and len(L.outputs) > 1:
                pass  # indices output (port 2) is never consumed in these models
            out = OPS[L.type](L, *args)
        else:
            raise IrError(f"layer {L.name}: IR operator {L.type} not supported by the reference")
        values[(lid, L.outputs[0].id)] = out
    return outputs
