"""TF.js graph model -> ONNX (opset 13), written with onnx.helper only.

Strategy: translate op by op with TF (NHWC) semantics, wrapping layout-sensitive ops
(Conv2D, MaxPool, ResizeBilinear) in NHWC<->NCHW transposes, fold the Conv bias Add into
the Conv, then cancel back-to-back transposes. TF.js graphs exported from PyTorch via
onnx-tf are full of NCHW<->NHWC transposes, so the result is a clean NCHW graph.
Everything iterates in a fixed order so that the output bytes are reproducible.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from . import reference
from .reference import tensor_key
from .tfjs_graph import GraphModel, Node

OPSET = 13
IR_VERSION = 8
TO_NCHW = [0, 3, 1, 2]
TO_NHWC = [0, 2, 3, 1]


class _Builder:
    def __init__(self) -> None:
        self.nodes: List[onnx.NodeProto] = []
        self.inits: Dict[str, onnx.TensorProto] = {}
        self._uid = 0

    def fresh(self, hint: str) -> str:
        self._uid += 1
        return f"{hint}__{self._uid}"

    def const(self, name: str, arr: np.ndarray) -> str:
        """Add an initializer. Float tensors that are exactly representable in float16 (the
        TF.js source stored them as float16) are kept as float16 plus a Cast, which halves the
        file; ONNX Runtime folds the Cast at load time."""
        if name in self.inits:
            return name
        arr = np.ascontiguousarray(arr)
        if arr.dtype == np.float32 and arr.size >= 16 and np.all(np.isfinite(arr)) \
                and np.array_equal(arr.astype(np.float16).astype(np.float32), arr):
            half = name + "__f16"
            self.inits[half] = numpy_helper.from_array(arr.astype(np.float16), half)
            self.add("Cast", [half], [name], to=TensorProto.FLOAT)
            self.inits[name] = None  # placeholder: produced by the Cast
            return name
        self.inits[name] = numpy_helper.from_array(arr, name)
        return name

    def add(self, op: str, inputs: Sequence[str], outputs: Sequence[str], **attrs) -> None:
        self.nodes.append(helper.make_node(op, list(inputs), list(outputs), name=outputs[0], **attrs))


def _topo_order(nodes: List[Node]) -> List[Node]:
    """Deterministic topological order (ties broken by position in model.json)."""
    by_name = {n.name: n for n in nodes}
    order, state = [], {}

    def visit(n: Node):
        stack = [(n, iter(n.inputs))]
        state[n.name] = 1
        while stack:
            cur, it = stack[-1]
            for ref in it:
                dep = by_name.get(tensor_key(ref).split(":")[0])
                if dep is not None and dep.name not in state:
                    state[dep.name] = 1
                    stack.append((dep, iter(dep.inputs)))
                    break
            else:
                stack.pop()
                state[cur.name] = 2
                order.append(cur)

    for n in nodes:
        if n.name not in state:
            visit(n)
    return order


def _spatial_pads(node: Node, in_hw: Tuple[int, int], k: Tuple[int, int], s: Tuple[int, int], d: Tuple[int, int]):
    mode = node.attrs.get("padding", "VALID")
    if mode == "VALID":
        return [0, 0, 0, 0]
    if mode == "EXPLICIT":
        p = node.attrs["explicit_paddings"]
        return [p[2], p[4], p[3], p[5]]
    if mode == "SAME":
        res = []
        for size, kk, ss, dd in zip(in_hw, k, s, d):
            eff = (kk - 1) * dd + 1
            out = -(-size // ss)
            total = max((out - 1) * ss + eff - size, 0)
            res.append((total // 2, total - total // 2))
        return [res[0][0], res[1][0], res[0][1], res[1][1]]
    raise NotImplementedError(f"{node.name}: padding {mode}")


def convert(model: GraphModel, input_names: Dict[str, str], output_names: Dict[str, str],
            dynamic_batch: bool = True, doc: str = "") -> onnx.ModelProto:
    """input_names / output_names map TF signature names to ONNX names."""
    # Shapes and folded constants come from one reference run on a zero input.
    feeds = {k: np.zeros(v, np.float32) for k, v in model.inputs.items()}
    values = reference.run(model, feeds, keep_all=True)
    const_names = set(model.weights)
    nodes = _topo_order(model.nodes)
    for n in nodes:  # constant subgraphs (SparseToDense shape arithmetic etc.) fold away
        if n.op not in ("Const", "Placeholder") and all(tensor_key(i) in const_names for i in n.inputs):
            const_names.add(n.name)

    consumers: Dict[str, List[Node]] = {}
    for n in nodes:
        for i in n.inputs:
            consumers.setdefault(tensor_key(i), []).append(n)

    b = _Builder()
    rename: Dict[str, str] = {}  # TF tensor -> ONNX tensor
    fused: Dict[str, str] = {}   # bias Add node name -> conv output it was folded into
    skip = set()

    def src(ref: str) -> str:
        key = tensor_key(ref)
        if key in rename:
            return rename[key]
        if key in const_names:
            return b.const(key, values[key])
        return key

    def cval(ref: str) -> np.ndarray:
        key = tensor_key(ref)
        if key not in const_names:
            raise NotImplementedError(f"{ref} must be constant")
        return values[key]

    def shape(ref: str) -> Tuple[int, ...]:
        return values[tensor_key(ref)].shape

    batch = "batch" if dynamic_batch else None
    graph_inputs, graph_outputs = [], []
    for n in nodes:
        if n.name in const_names or n.name in skip:
            continue
        op, a = n.op, n.attrs
        if op == "Placeholder":
            name = input_names.get(n.name, n.name)
            rename[n.name] = name
            dims = list(model.inputs[n.name])
            graph_inputs.append(helper.make_tensor_value_info(
                name, TensorProto.FLOAT, [batch if (batch and i == 0) else d for i, d in enumerate(dims)]))
        elif op == "Identity":
            out = output_names.get(n.name, n.name) if n.name in model.outputs else n.name
            b.add("Identity", [src(n.inputs[0])], [out])
            rename[n.name] = out
        elif op in ("Add", "AddV2", "Sub", "Mul"):
            b.add({"Add": "Add", "AddV2": "Add", "Sub": "Sub", "Mul": "Mul"}[op],
                  [src(n.inputs[0]), src(n.inputs[1])], [n.name])
        elif op in ("Sigmoid", "Relu"):
            b.add(op, [src(n.inputs[0])], [n.name])
        elif op == "LeakyRelu":
            b.add("LeakyRelu", [src(n.inputs[0])], [n.name], alpha=float(a.get("alpha", 0.2)))
        elif op == "Transpose":
            b.add("Transpose", [src(n.inputs[0])], [n.name], perm=[int(p) for p in cval(n.inputs[1])])
        elif op in ("Pad", "PadV2"):
            p = cval(n.inputs[1]).astype(np.int64)
            pads = np.concatenate([p[:, 0], p[:, 1]])
            ins = [src(n.inputs[0]), b.const(n.name + "/pads", pads)]
            if op == "PadV2":
                ins.append(b.const(n.name + "/value", np.asarray(cval(n.inputs[2]), np.float32).reshape(())))
            b.add("Pad", ins, [n.name], mode="constant")
        elif op == "Conv2D":
            if a.get("data_format", "NHWC") != "NHWC":
                raise NotImplementedError(f"{n.name}: data_format {a['data_format']}")
            w = cval(n.inputs[1])  # HWIO
            kh, kw, cin_g, cout = w.shape
            x_shape = shape(n.inputs[0])
            groups = x_shape[3] // cin_g
            _, sh, sw, _ = a.get("strides", [1, 1, 1, 1])
            _, dh, dw, _ = a.get("dilations", [1, 1, 1, 1])
            pads = _spatial_pads(n, (x_shape[1], x_shape[2]), (kh, kw), (sh, sw), (dh, dw))
            ins = [b.const(n.name + "/W", np.transpose(w, (3, 2, 0, 1)))]
            out_name = n.name
            users = consumers.get(n.name, [])
            if len(users) == 1 and users[0].op in ("Add", "AddV2", "BiasAdd"):
                add = users[0]
                other = [i for i in add.inputs if tensor_key(i) != n.name]
                if len(other) == 1 and tensor_key(other[0]) in const_names and cval(other[0]).shape == (cout,):
                    ins.append(b.const(n.name + "/B", cval(other[0]).astype(np.float32)))
                    skip.add(add.name)
                    out_name = add.name
            x_nchw = b.fresh(n.name + "/nchw_in")
            b.add("Transpose", [src(n.inputs[0])], [x_nchw], perm=TO_NCHW)
            y_nchw = b.fresh(n.name + "/nchw_out")
            b.add("Conv", [x_nchw] + ins, [y_nchw], kernel_shape=[kh, kw], strides=[sh, sw],
                  dilations=[dh, dw], pads=pads, group=groups)
            b.add("Transpose", [y_nchw], [out_name], perm=TO_NHWC)
        elif op == "MaxPool":
            if a.get("data_format", "NHWC") != "NHWC":
                raise NotImplementedError(f"{n.name}: data_format {a['data_format']}")
            _, kh, kw, _ = a["ksize"]
            _, sh, sw, _ = a["strides"]
            x_shape = shape(n.inputs[0])
            pads = _spatial_pads(n, (x_shape[1], x_shape[2]), (kh, kw), (sh, sw), (1, 1))
            x_nchw = b.fresh(n.name + "/nchw_in")
            b.add("Transpose", [src(n.inputs[0])], [x_nchw], perm=TO_NCHW)
            y_nchw = b.fresh(n.name + "/nchw_out")
            b.add("MaxPool", [x_nchw], [y_nchw], kernel_shape=[kh, kw], strides=[sh, sw], pads=pads)
            b.add("Transpose", [y_nchw], [n.name], perm=TO_NHWC)
        elif op == "ResizeBilinear":
            x_shape = shape(n.inputs[0])
            size = cval(n.inputs[1])
            if a.get("align_corners"):
                mode = "align_corners"
            elif a.get("half_pixel_centers"):
                mode = "half_pixel"
            else:
                mode = "asymmetric"
            scales = np.array([1, 1, size[0] / x_shape[1], size[1] / x_shape[2]], np.float32)
            if not np.array_equal(np.floor(np.array(x_shape[1:3]) * scales[2:]), size.astype(np.float32)):
                raise NotImplementedError(f"{n.name}: non-integral resize {x_shape} -> {size}")
            x_nchw = b.fresh(n.name + "/nchw_in")
            b.add("Transpose", [src(n.inputs[0])], [x_nchw], perm=TO_NCHW)
            y_nchw = b.fresh(n.name + "/nchw_out")
            b.add("Resize", [x_nchw, "", b.const(n.name + "/scales", scales)], [y_nchw],
                  mode="linear", coordinate_transformation_mode=mode)
            b.add("Transpose", [y_nchw], [n.name], perm=TO_NHWC)
        elif op == "ConcatV2":
            axis = int(cval(n.inputs[-1]))
            axis = axis + len(shape(n.inputs[0])) if axis < 0 else axis
            b.add("Concat", [src(i) for i in n.inputs[:-1]], [n.name], axis=axis)
        elif op == "SplitV":
            sizes = [int(s) for s in cval(n.inputs[1])]
            axis = int(cval(n.inputs[2]))
            x_shape = shape(n.inputs[0])
            axis = axis + len(x_shape) if axis < 0 else axis
            if -1 in sizes:
                sizes[sizes.index(-1)] = x_shape[axis] - sum(s for s in sizes if s != -1)
            outs = [n.name] + [f"{n.name}:{k}" for k in range(1, len(sizes))]
            b.add("Split", [src(n.inputs[0]), b.const(n.name + "/split", np.array(sizes, np.int64))], outs, axis=axis)
        elif op == "Reshape":
            target = cval(n.inputs[1]).astype(np.int64).copy()
            in_shape = shape(n.inputs[0])
            # keep the batch axis symbolic: 0 copies the input's first dimension
            if batch and len(target) and target[0] == in_shape[0] == 1:
                target[0] = 0
            b.add("Reshape", [src(n.inputs[0]), b.const(n.name + "/shape", target)], [n.name])
        else:
            raise NotImplementedError(f"op {op} ({n.name})")

    for tf_name in model.outputs:
        out = output_names.get(tf_name, tf_name)
        dims = list(values[tf_name].shape)
        graph_outputs.append(helper.make_tensor_value_info(
            out, TensorProto.FLOAT, [batch if (batch and i == 0) else d for i, d in enumerate(dims)]))

    nodes_out = _simplify(b.nodes, {o.name for o in graph_outputs})
    used = {i for nd in nodes_out for i in nd.input}
    inits = [t for k, t in sorted(b.inits.items()) if t is not None and k in used]
    graph = helper.make_graph(nodes_out, "tfjs2onnx", graph_inputs, graph_outputs, inits)
    m = helper.make_model(graph, producer_name="sightline-tfjs2onnx", producer_version="1",
                          opset_imports=[helper.make_opsetid("", OPSET)], doc_string=doc)
    m.ir_version = IR_VERSION
    onnx.checker.check_model(m)
    return m


def _simplify(nodes: List[onnx.NodeProto], keep: set) -> List[onnx.NodeProto]:
    """Compose chains of Transposes, drop identity ones, remove dead nodes."""
    producer: Dict[str, onnx.NodeProto] = {}
    alias: Dict[str, str] = {}

    def resolve(t: str) -> str:
        while t in alias:
            t = alias[t]
        return t

    out: List[onnx.NodeProto] = []
    for nd in nodes:
        del_inputs = [resolve(i) if i else i for i in nd.input]
        del nd.input[:]
        nd.input.extend(del_inputs)
        if nd.op_type == "Transpose":
            perm = list(nd.attribute[0].ints)
            inner = producer.get(nd.input[0])
            if inner is not None and inner.op_type == "Transpose":
                inner_perm = list(inner.attribute[0].ints)
                perm = [inner_perm[p] for p in perm]
                nd = helper.make_node("Transpose", [inner.input[0]], list(nd.output), name=nd.name, perm=perm)
            if perm == list(range(len(perm))) and nd.output[0] not in keep:
                alias[nd.output[0]] = nd.input[0]
                continue
        for o in nd.output:
            producer[o] = nd
        out.append(nd)
    # dead-code elimination, backwards from the graph outputs
    live = set(keep)
    kept: List[onnx.NodeProto] = []
    for nd in reversed(out):
        if any(o in live for o in nd.output):
            kept.append(nd)
            live.update(i for i in nd.input if i)
    kept.reverse()
    return kept
