"""OpenVINO IR (v10/v11) -> a PyTorch module that runs the same graph with trainable weights.

The IR is read by `ir_graph` (the converter's reader); each layer becomes a torch operation with
OpenVINO semantics, and every floating-point Const becomes an `nn.Parameter` (convolution
weights, the folded BatchNorm scales/shifts, SE gates), so the network can be frozen, partially
frozen or fine-tuned as the image stem of another model. `tap` names a layer whose output is
returned instead of the IR's Result (e.g. the feature map before global pooling); only the layers
it depends on are kept. Shape subgraphs (ShapeOf/Gather/Concat) run on tensors, and a Reshape
whose target is a Const with zeros (special_zero) keeps the input's dims there, so any batch works.

Checked by `tests/test_ir2torch.py`: the module reproduces the vendored ONNX (onnxruntime-node)
and the NumPy reference interpreter on fixed inputs.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from .ir_graph import IrError, IrModel, Layer, load


def _pads(layer: Layer) -> Tuple[List[int], List[int]]:
    auto = layer.data.get("auto_pad", "explicit")
    if auto == "valid":
        return [0, 0], [0, 0]
    if auto not in ("explicit", "notset"):
        raise IrError(f"layer {layer.name}: auto_pad {auto} not supported (only explicit/valid)")
    return layer.ints("pads_begin"), layer.ints("pads_end")


def _pad(x: torch.Tensor, layer: Layer, fill: float = 0.0) -> torch.Tensor:
    pb, pe = _pads(layer)
    if any(pb) or any(pe):
        x = F.pad(x, (pb[1], pe[1], pb[0], pe[0]), value=fill)
    return x


def _axes(a, rank: int) -> List[int]:
    return sorted(int(v) % rank for v in np.atleast_1d(np.asarray(a)))


class IrModule(nn.Module):
    """Runs an IrModel in torch. Input: the IR's Parameter (e.g. BGR 0-255 NCHW for OMZ nets)."""

    def __init__(self, model: IrModel, tap: Optional[str] = None) -> None:
        super().__init__()
        self.ir = model
        by_name = {model.layers[i].name: i for i in model.order}
        if tap is not None and tap not in by_name:
            raise IrError(f"tap layer {tap!r} is not in the IR {model.name}")
        if tap is None:
            results = model.results
            if len(results) != 1:
                raise IrError(f"IR {model.name} has {len(results)} results; name a tap layer")
            self.out_src = results[0].sources[0]
        else:
            lid = by_name[tap]
            self.out_src = (lid, model.layers[lid].outputs[0].id)
        # Keep only the layers the output depends on, in the reader's topological order.
        need, stack = set(), [self.out_src[0]]
        while stack:
            i = stack.pop()
            if i in need:
                continue
            need.add(i)
            stack.extend(s for s, _ in model.layers[i].sources)
        self.steps = [i for i in model.order if i in need]
        params = model.parameters
        if len(params) != 1:
            raise IrError(f"IR {model.name}: {len(params)} inputs, only one is supported")
        self.input_id = params[0].id
        self.weights = nn.ParameterDict()
        self.consts: Dict[int, object] = {}
        for i in self.steps:
            L = model.layers[i]
            if L.type != "Const":
                continue
            if L.value.dtype.kind == "f":
                w = torch.from_numpy(L.value.astype(np.float32))
                if any(model.layers[u].type == "GroupConvolution" and model.layers[u].sources[1][0] == i
                       for u in self.steps):
                    w = w.reshape((w.shape[0] * w.shape[1],) + tuple(w.shape[2:]))  # torch's [O, I/G, kh, kw]
                self.weights[str(i)] = nn.Parameter(w)
            else:
                self.consts[i] = L.value
        out_layer = model.layers[self.out_src[0]]
        dims = next(p.dims for p in out_layer.outputs if p.id == self.out_src[1])
        self.out_dims = tuple(dims)

    def _value(self, values, src):
        if src[0] in self.consts:
            return self.consts[src[0]]
        key = str(src[0])
        if key in self.weights:
            return self.weights[key]
        return values[src]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        values: Dict[Tuple[int, int], object] = {}
        m = self.ir
        for lid in self.steps:
            L = m.layers[lid]
            if L.type == "Const":
                continue
            if L.type == "Parameter":
                values[(lid, L.outputs[0].id)] = x
                continue
            args = [self._value(values, s) for s in L.sources]
            values[(lid, L.outputs[0].id)] = self._op(L, args)
        return values[self.out_src]

    def _op(self, L: Layer, a: list):
        t = L.type
        if t == "Add":
            return a[0] + a[1]
        if t == "Subtract":
            return a[0] - a[1]
        if t == "Multiply":
            return a[0] * a[1]
        if t == "Divide":
            return a[0] / a[1]
        if t == "ReLU":
            return F.relu(a[0])
        if t == "Sigmoid":
            return torch.sigmoid(a[0])
        if t == "Clamp":
            return a[0].clamp(float(L.data["min"]), float(L.data["max"]))
        if t == "PReLU":
            x, s = a
            if s.ndim == 1 and x.ndim >= 2 and s.shape[0] == x.shape[1] and s.shape[0] != 1:
                s = s.reshape((1, -1) + (1,) * (x.ndim - 2))  # OpenVINO: a 1-D slope is per channel
            return torch.where(x < 0, x * s, x)
        if t in ("Convolution", "GroupConvolution"):
            w = a[1]
            groups = 1 if t == "Convolution" else w.shape[0] // L.inputs[1].dims[1]
            dil = L.ints("dilations") if "dilations" in L.data else [1, 1]
            return F.conv2d(_pad(a[0], L), w, stride=L.ints("strides"), dilation=dil, groups=groups)
        if t == "MaxPool":
            if L.data.get("rounding_type", "floor") != "floor":
                raise IrError(f"layer {L.name}: rounding_type {L.data['rounding_type']} not supported")
            dil = L.ints("dilations") if "dilations" in L.data else [1, 1]
            return F.max_pool2d(_pad(a[0], L, float("-inf")), L.ints("kernel"), L.ints("strides"), dilation=dil)
        if t == "AvgPool":
            if L.data.get("rounding_type", "floor") != "floor":
                raise IrError(f"layer {L.name}: rounding_type {L.data['rounding_type']} not supported")
            k, s = L.ints("kernel"), L.ints("strides")
            total = F.avg_pool2d(_pad(a[0], L), k, s) * (k[0] * k[1])
            if L.data.get("exclude-pad", "false") == "true":
                ones = _pad(torch.ones((1, 1) + tuple(a[0].shape[2:]), dtype=a[0].dtype), L)
                return total / (F.avg_pool2d(ones, k, s) * (k[0] * k[1]))
            return total / (k[0] * k[1])
        if t in ("ReduceMean", "ReduceMax"):
            axes = _axes(a[1], a[0].ndim)
            keep = L.data.get("keep_dims") == "true"
            if t == "ReduceMean":
                return a[0].mean(dim=axes, keepdim=keep)
            return a[0].amax(dim=axes, keepdim=keep)
        if t == "MVN":
            x = a[0]
            axes = _axes(a[1], x.ndim)
            eps = float(L.data["eps"])
            y = x - x.mean(dim=axes, keepdim=True)
            if L.data.get("normalize_variance", "true") == "true":
                var = (y * y).mean(dim=axes, keepdim=True)
                inside = L.data.get("eps_mode", "INSIDE_SQRT").upper() == "INSIDE_SQRT"
                y = y / (torch.sqrt(var + eps) if inside else torch.sqrt(var) + eps)
            return y
        if t == "MatMul":
            x, w = a
            if L.data.get("transpose_a", "false") == "true":
                x = x.transpose(-1, -2)
            if L.data.get("transpose_b", "false") == "true":
                w = w.transpose(-1, -2)
            return x @ w
        if t == "Reshape":
            x, shape = a
            if torch.is_tensor(shape):
                # A computed target (ShapeOf/Gather/Concat): its entries as 0-dim tensors, so a traced
                # ONNX export keeps them dynamic. A shape computed from a tensor never holds a 0.
                return x.reshape([shape[i] for i in range(shape.shape[0])])
            target = [int(v) for v in np.asarray(shape).tolist()]
            if L.data.get("special_zero", "false") == "true":
                target = [x.shape[i] if v == 0 else v for i, v in enumerate(target)]
            return x.reshape(target)
        if t == "ShapeOf":
            return torch._shape_as_tensor(a[0])  # a Shape node when traced, not a constant
        if t == "Gather":
            if int(L.data.get("batch_dims", "0")) != 0:
                raise IrError(f"layer {L.name}: Gather batch_dims != 0 not supported")
            src = a[0] if torch.is_tensor(a[0]) else torch.as_tensor(a[0])
            idx = a[1] if torch.is_tensor(a[1]) else torch.as_tensor(np.array(a[1], dtype=np.int64))
            axis = int(np.asarray(a[2])) % src.ndim
            picked = torch.index_select(src, axis, idx.reshape(-1).long())
            return picked.reshape(tuple(src.shape[:axis]) + tuple(idx.shape) + tuple(src.shape[axis + 1:]))
        if t == "Concat":
            parts = [p if torch.is_tensor(p) else torch.as_tensor(p) for p in a]
            return torch.cat(parts, dim=int(L.data["axis"]))
        raise IrError(f"layer {L.name}: IR operator {t} not supported by ir2torch")


def from_ir(xml_path: str, tap: Optional[str] = None) -> IrModule:
    return IrModule(load(xml_path), tap)
