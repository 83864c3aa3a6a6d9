"""Load a TF.js graph model (model.json + binary weight shards) into plain Python/NumPy.

Only what the converter and the reference interpreter need: the node list with decoded
attributes, and the weights de-quantised to their original dtype.
"""
from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List

import numpy as np

_DTYPES = {
    "float32": np.float32,
    "int32": np.int32,
    "bool": np.bool_,
    "uint8": np.uint8,
    "uint16": np.uint16,
    "float16": np.float16,
}
_TF_DTYPES = {"DT_FLOAT": np.float32, "DT_INT32": np.int32, "DT_INT64": np.int64, "DT_BOOL": np.bool_}


@dataclass
class Node:
    name: str
    op: str
    inputs: List[str]
    attrs: Dict[str, Any] = field(default_factory=dict)


@dataclass
class GraphModel:
    nodes: List[Node]
    weights: Dict[str, np.ndarray]
    inputs: Dict[str, List[int]]   # signature input name (no ":0") -> shape
    outputs: List[str]             # signature output names (no ":0"), sorted
    meta: Dict[str, Any]


def _decode_attr(value: Dict[str, Any]) -> Any:
    """TF AttrValue (JSON form) -> Python value."""
    if "s" in value:
        return base64.b64decode(value["s"]).decode("utf-8")
    if "b" in value:
        return bool(value["b"])
    if "i" in value:
        return int(value["i"])
    if "f" in value:
        return float(value["f"])
    if "type" in value:
        return value["type"]
    if "list" in value:
        lst = value["list"]
        if "i" in lst:
            return [int(v) for v in lst["i"]]
        if "f" in lst:
            return [float(v) for v in lst["f"]]
        if "s" in lst:
            return [base64.b64decode(v).decode("utf-8") for v in lst["s"]]
        return []
    if "shape" in value:
        return [int(d.get("size", -1)) for d in value["shape"].get("dim", [])]
    if "tensor" in value:
        return value["tensor"]
    return value


def _dequantize(raw: bytes, offset: int, spec: Dict[str, Any]) -> (np.ndarray, int):
    shape = [int(s) for s in spec["shape"]]
    count = int(np.prod(shape)) if shape else 1
    quant = spec.get("quantization")
    if quant:
        qtype = quant["dtype"]
        qdt = np.dtype(_DTYPES[qtype]).newbyteorder("<")
        q = np.frombuffer(raw, dtype=qdt, count=count, offset=offset)
        offset += q.nbytes
        target = _DTYPES[quant.get("original_dtype", spec["dtype"])]
        if qtype == "float16":
            arr = q.astype(np.float32)
        else:  # affine uint8/uint16: value = q * scale + min
            arr = q.astype(np.float32) * np.float32(quant["scale"]) + np.float32(quant["min"])
        arr = arr.astype(target)
    else:
        if spec["dtype"] == "string":
            raise NotImplementedError("string weights are not supported")
        dt = np.dtype(_DTYPES[spec["dtype"]]).newbyteorder("<")
        arr = np.frombuffer(raw, dtype=dt, count=count, offset=offset).astype(_DTYPES[spec["dtype"]])
        offset += arr.nbytes
    return arr.reshape(shape), offset


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def strip_port(name: str) -> str:
    return name[:-2] if name.endswith(":0") else name


def load(model_json: str) -> GraphModel:
    with open(model_json, "r", encoding="utf-8") as f:
        model = json.load(f)
    if model.get("format") != "graph-model":
        raise ValueError(f"{model_json}: not a TF.js graph model (format={model.get('format')!r})")
    base = os.path.dirname(os.path.abspath(model_json))

    weights: Dict[str, np.ndarray] = {}
    for group in model["weightsManifest"]:
        raw = b"".join(_read(os.path.join(base, p)) for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            weights[spec["name"]], offset = _dequantize(raw, offset, spec)
        if offset != len(raw):
            raise ValueError(f"weight group {group['paths']}: read {offset} of {len(raw)} bytes")

    nodes = []
    for n in model["modelTopology"]["node"]:
        attrs = {k: _decode_attr(v) for k, v in n.get("attr", {}).items()}
        node = Node(n["name"], n["op"], [i for i in n.get("input", []) if not i.startswith("^")], attrs)
        if node.op == "Const":
            if node.name not in weights:
                raise ValueError(f"Const {node.name} has no weight")
            # int64 constants are stored as int32 by the TF.js converter
            want = _TF_DTYPES.get(attrs.get("dtype"), None)
            if want is not None and weights[node.name].dtype != want:
                weights[node.name] = weights[node.name].astype(want)
        nodes.append(node)

    sig = model.get("signature", {})
    inputs = {}
    for k, v in sig.get("inputs", {}).items():
        inputs[strip_port(k)] = [int(d.get("size", -1)) for d in v["tensorShape"]["dim"]]
    outputs = sorted(strip_port(k) for k in sig.get("outputs", {}))
    meta = {k: model[k] for k in ("generatedBy", "convertedBy") if k in model}
    return GraphModel(nodes, weights, inputs, outputs, meta)
