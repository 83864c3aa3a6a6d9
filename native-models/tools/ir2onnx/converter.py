"""OpenVINO IR -> ONNX (opset 13, IR 8), written with onnx.helper only.

Each IR layer becomes one ONNX node (MVN over all spatial axes becomes InstanceNormalization;
other MVNs a small ReduceMean/Sqrt chain). Const inputs that ONNX wants as attributes (axes,
Gather axis) are folded; convolution weights are reshaped to ONNX's [O, I/G, kh, kw]; the
batch axis of the input is made dynamic (the IR's shape-computing subgraphs are kept as they
are, so reshapes follow the batch). `taps` name inner layers whose outputs become extra graph
outputs after the IR's Results (e.g. a feature map that another model reads). Layers are visited in a fixed topological order and only
referenced constants become initializers, so the output bytes are reproducible.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from .ir_graph import IrError, IrModel, Layer, result_name

OPSET = 13
IR_VERSION = 8
BATCH = "batch"

_ELTWISE = {"Add": "Add", "Subtract": "Sub", "Multiply": "Mul", "Divide": "Div"}
_UNARY = {"ReLU": "Relu", "Sigmoid": "Sigmoid"}


class _Builder:
    def __init__(self, model: IrModel) -> None:
        self.model = model
        self.nodes: List[onnx.NodeProto] = []
        self.inits: Dict[str, onnx.TensorProto] = {}
        self.names: Dict[Tuple[int, int], str] = {}
        self.used: set = set()

    def name_of(self, src: Tuple[int, int]) -> str:
        """The ONNX tensor name of IR output port `src`; Const ports become initializers on first use."""
        if src in self.names:
            return self.names[src]
        layer = self.model.layers[src[0]]
        port = next(p for p in layer.outputs if p.id == src[1])
        name = self._unique(port.names[0] if port.names else f"{layer.name}:{port.id}")
        self.names[src] = name
        if layer.type == "Const":
            value = layer.value
            if value.dtype == np.float16:
                value = value.astype(np.float32)
            self.inits[name] = numpy_helper.from_array(np.ascontiguousarray(value), name)
        return name

    def _unique(self, base: str) -> str:
        """`base`, or `base__2`, `base__3` ... : the first name no tensor has yet (taken now)."""
        name = base
        k = 1
        while name in self.used:
            k += 1
            name = f"{base}__{k}"
        self.used.add(name)
        return name

    def const(self, hint: str, value: np.ndarray) -> str:
        name = self._unique(hint)
        self.inits[name] = numpy_helper.from_array(np.ascontiguousarray(value), name)
        return name

    def fresh(self, hint: str) -> str:
        name, k = hint, 1
        while name in self.used:
            k += 1
            name = f"{hint}__{k}"
        self.used.add(name)
        return name

    def add(self, op: str, inputs: Sequence[str], outputs: Sequence[str], **attrs) -> None:
        self.nodes.append(helper.make_node(op, list(inputs), list(outputs), name=outputs[0], **attrs))


def _const_input(model: IrModel, layer: Layer, i: int, what: str) -> np.ndarray:
    src = model.layers[layer.sources[i][0]]
    if src.type != "Const":
        raise IrError(f"layer {layer.name} ({layer.type}): {what} must be a constant, got {src.type} {src.name}")
    return src.value


def _spatial(layer: Layer):
    auto = layer.data.get("auto_pad", "explicit")
    if auto not in ("explicit", "notset", "valid"):
        raise IrError(f"layer {layer.name}: auto_pad {auto} not supported (only explicit/valid)")
    pb = layer.ints("pads_begin") if auto != "valid" else [0, 0]
    pe = layer.ints("pads_end") if auto != "valid" else [0, 0]
    dil = layer.ints("dilations") if "dilations" in layer.data else [1, 1]
    return dict(strides=layer.ints("strides"), pads=pb + pe, dilations=dil)


def convert(model: IrModel, doc: str = "", taps: Sequence[str] = ()) -> onnx.ModelProto:
    b = _Builder(model)
    inputs: List[onnx.ValueInfoProto] = []
    outputs: List[onnx.ValueInfoProto] = []
    for lid in model.order:
        L = model.layers[lid]
        t = L.type
        if t == "Const":
            continue  # materialised when a consumer asks for it
        if t == "Parameter":
            name = b.fresh(L.name)
            b.names[(lid, L.outputs[0].id)] = name
            dims = [BATCH] + list(L.outputs[0].dims[1:])
            inputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, dims))
            continue
        if t == "Result":
            src = b.name_of(L.sources[0])
            out = result_name(L)
            if src != out:
                b.used.add(out)
                b.add("Identity", [src], [out])
            dims = [BATCH] + list(L.inputs[0].dims[1:])
            outputs.append(helper.make_tensor_value_info(out, TensorProto.FLOAT, dims))
            continue
        for p in L.outputs[1:]:
            if any(s == (lid, p.id) for other in model.layers.values() for s in other.sources):
                raise IrError(f"layer {L.name} ({t}): output port {p.id} is used, only the first output is supported")
        out = b.name_of((lid, L.outputs[0].id))
        x = lambda i: b.name_of(L.sources[i])  # noqa: E731

        if t in _ELTWISE:
            if L.data.get("auto_broadcast", "numpy") != "numpy":
                raise IrError(f"layer {L.name}: auto_broadcast {L.data['auto_broadcast']} not supported")
            b.add(_ELTWISE[t], [x(0), x(1)], [out])
        elif t in _UNARY:
            b.add(_UNARY[t], [x(0)], [out])
        elif t == "Clamp":
            lo = b.const(f"{L.name}/min", np.array(float(L.data["min"]), np.float32))
            hi = b.const(f"{L.name}/max", np.array(float(L.data["max"]), np.float32))
            b.add("Clip", [x(0), lo, hi], [out])
        elif t == "PReLU":
            slope = _const_input(model, L, 1, "slope").astype(np.float32)
            rank = len(L.inputs[0].dims)
            if slope.ndim == 1 and rank >= 2 and slope.shape[0] == L.inputs[0].dims[1] and slope.shape[0] != 1:
                slope = slope.reshape((-1,) + (1,) * (rank - 2))  # OpenVINO: a 1-D slope is per channel
            b.add("PRelu", [x(0), b.const(f"{L.name}/slope", slope)], [out])
        elif t in ("Convolution", "GroupConvolution"):
            w = _const_input(model, L, 1, "weights").astype(np.float32)
            group = 1
            if t == "GroupConvolution":
                group = w.shape[0]
                w = w.reshape((w.shape[0] * w.shape[1],) + w.shape[2:])
            b.add("Conv", [x(0), b.const(f"{L.name}/weights", w)], [out],
                  kernel_shape=list(w.shape[2:]), group=group, **_spatial(L))
        elif t in ("MaxPool", "AvgPool"):
            if L.data.get("rounding_type", "floor") != "floor":
                raise IrError(f"layer {L.name}: rounding_type {L.data['rounding_type']} not supported")
            sp = _spatial(L)
            if t == "MaxPool":
                b.add("MaxPool", [x(0)], [out], kernel_shape=L.ints("kernel"), ceil_mode=0, **sp)
            else:
                if sp.pop("dilations") != [1, 1]:
                    raise IrError(f"layer {L.name}: dilated AvgPool not supported")
                b.add("AveragePool", [x(0)], [out], kernel_shape=L.ints("kernel"), ceil_mode=0,
                      count_include_pad=0 if L.data.get("exclude-pad", "false") == "true" else 1, **sp)
        elif t in ("ReduceMean", "ReduceMax"):
            rank = len(L.inputs[0].dims)
            axes = sorted(int(a) % rank for a in np.atleast_1d(_const_input(model, L, 1, "axes")))
            b.add(t, [x(0)], [out], axes=axes, keepdims=1 if L.data.get("keep_dims") == "true" else 0)
        elif t == "MVN":
            _mvn(b, model, L, x(0), out)
        elif t == "MatMul":
            a, bb = x(0), None
            if L.data.get("transpose_a", "false") == "true":
                raise IrError(f"layer {L.name}: MatMul transpose_a not supported")
            src = model.layers[L.sources[1][0]]
            if L.data.get("transpose_b", "false") == "true":
                if src.type == "Const":
                    bb = b.const(f"{L.name}/weights_t", np.ascontiguousarray(np.swapaxes(src.value.astype(np.float32), -1, -2)))
                else:
                    bb = b.fresh(f"{L.name}/b_t")
                    perm = list(range(len(L.inputs[1].dims)))
                    perm[-1], perm[-2] = perm[-2], perm[-1]
                    b.add("Transpose", [x(1)], [bb], perm=perm)
            b.add("MatMul", [a, bb or x(1)], [out])
        elif t == "Reshape":
            if L.data.get("special_zero", "false") != "true":
                src = model.layers[L.sources[1][0]]
                if src.type != "Const" or np.any(src.value == 0):
                    raise IrError(f"layer {L.name}: Reshape with special_zero=false and a zero/unknown target not supported")
            b.add("Reshape", [x(0), x(1)], [out])
        elif t == "ShapeOf":
            b.add("Shape", [x(0)], [out])
        elif t == "Gather":
            if int(L.data.get("batch_dims", "0")) != 0:
                raise IrError(f"layer {L.name}: Gather batch_dims != 0 not supported")
            axis = int(_const_input(model, L, 2, "axis"))
            b.add("Gather", [x(0), x(1)], [out], axis=axis)
        elif t == "Concat":
            b.add("Concat", [x(i) for i in range(len(L.sources))], [out], axis=int(L.data["axis"]))
        else:
            raise IrError(f"layer {L.name}: IR operator {t} not supported by the converter")

    by_name = {L.name: L for L in model.layers.values()}
    for tap in taps:
        L = by_name.get(tap)
        if L is None or L.type in ("Const", "Parameter", "Result"):
            raise IrError(f"tap layer {tap!r} is not an inner layer of the IR {model.name}")
        name = b.names[(L.id, L.outputs[0].id)]
        outputs.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, [BATCH] + list(L.outputs[0].dims[1:])))

    graph = helper.make_graph(b.nodes, model.name or "ir", inputs, outputs,
                              initializer=[b.inits[k] for k in sorted(b.inits)])
    m = helper.make_model(graph, producer_name="sightline-ir2onnx", producer_version="1.0",
                          opset_imports=[helper.make_opsetid("", OPSET)], doc_string=doc)
    m.ir_version = IR_VERSION
    onnx.checker.check_model(m)
    return m


def _mvn(b: _Builder, model: IrModel, L: Layer, x: str, out: str) -> None:
    rank = len(L.inputs[0].dims)
    axes = sorted(int(a) % rank for a in np.atleast_1d(_const_input(model, L, 1, "axes")))
    eps = float(L.data["eps"])
    inside = L.data.get("eps_mode", "INSIDE_SQRT").upper() == "INSIDE_SQRT"
    normalise = L.data.get("normalize_variance", "true") == "true"
    if normalise and inside and rank >= 3 and axes == list(range(2, rank)):
        c = L.inputs[0].dims[1]
        b.add("InstanceNormalization", [x, b.const(f"{L.name}/scale", np.ones(c, np.float32)),
                                        b.const(f"{L.name}/bias", np.zeros(c, np.float32))], [out], epsilon=eps)
        return
    mean = b.fresh(f"{L.name}/mean")
    b.add("ReduceMean", [x], [mean], axes=axes, keepdims=1)
    centred = out if not normalise else b.fresh(f"{L.name}/centred")
    b.add("Sub", [x, mean], [centred])
    if not normalise:
        return
    sq, var, den = b.fresh(f"{L.name}/sq"), b.fresh(f"{L.name}/var"), b.fresh(f"{L.name}/den")
    b.add("Mul", [centred, centred], [sq])
    b.add("ReduceMean", [sq], [var], axes=axes, keepdims=1)
    e = b.const(f"{L.name}/eps", np.array(eps, np.float32))
    if inside:
        shifted = b.fresh(f"{L.name}/var_eps")
        b.add("Add", [var, e], [shifted])
        b.add("Sqrt", [shifted], [den])
    else:
        root = b.fresh(f"{L.name}/std")
        b.add("Sqrt", [var], [root])
        b.add("Add", [root, e], [den])
    b.add("Div", [centred, den], [out])
