"""Builds small TF.js graph models on disk for the tests."""
from __future__ import annotations

import base64
import json
import os
from typing import Dict, List, Optional

import numpy as np

_TF = {np.dtype(np.float32): "DT_FLOAT", np.dtype(np.int32): "DT_INT32", np.dtype(np.int64): "DT_INT64"}


class GraphBuilder:
    def __init__(self) -> None:
        self.nodes: List[dict] = []
        self.weights: List[dict] = []
        self.blobs: List[bytes] = []
        self.inputs: Dict[str, list] = {}
        self.outputs: Dict[str, list] = {}

    def const(self, name: str, value, quantize: Optional[str] = None) -> str:
        arr = np.asarray(value)
        if arr.dtype == np.float64:
            arr = arr.astype(np.float32)
        tf_dtype = _TF[arr.dtype]
        self.nodes.append({"name": name, "op": "Const", "attr": {
            "dtype": {"type": tf_dtype}, "value": {"tensor": {"dtype": tf_dtype, "tensorShape": {}}}}})
        spec = {"name": name, "shape": list(arr.shape), "dtype": "int32" if arr.dtype != np.float32 else "float32"}
        if quantize == "float16":
            spec["quantization"] = {"dtype": "float16", "original_dtype": "float32"}
            blob = arr.astype("<f2").tobytes()
        elif quantize in ("uint8", "uint16"):
            lo, hi = float(arr.min()), float(arr.max())
            levels = 255 if quantize == "uint8" else 65535
            scale = (hi - lo) / levels or 1.0
            q = np.round((arr - lo) / scale).astype("<u1" if quantize == "uint8" else "<u2")
            spec["quantization"] = {"dtype": quantize, "min": lo, "scale": scale, "original_dtype": "float32"}
            blob = q.tobytes()
        else:
            blob = arr.astype("<f4" if arr.dtype == np.float32 else "<i4").tobytes()
        self.weights.append(spec)
        self.blobs.append(blob)
        return name

    def placeholder(self, name: str, shape) -> str:
        self.nodes.append({"name": name, "op": "Placeholder", "attr": {
            "dtype": {"type": "DT_FLOAT"}, "shape": {"shape": {"dim": [{"size": str(s)} for s in shape]}}}})
        self.inputs[name + ":0"] = list(shape)
        return name

    def op(self, name: str, op: str, inputs: List[str], **attrs) -> str:
        enc = {}
        for k, v in attrs.items():
            if isinstance(v, bool):
                enc[k] = {"b": v}
            elif isinstance(v, str):
                enc[k] = {"s": base64.b64encode(v.encode()).decode()}
            elif isinstance(v, float):
                enc[k] = {"f": v}
            elif isinstance(v, int):
                enc[k] = {"i": str(v)}
            elif isinstance(v, list):
                enc[k] = {"list": {"i": [str(i) for i in v]}}
        self.nodes.append({"name": name, "op": op, "input": inputs, "attr": enc})
        return name

    def output(self, name: str, source: str, shape) -> str:
        self.op(name, "Identity", [source])
        self.outputs[name + ":0"] = list(shape)
        return name

    def save(self, folder: str) -> str:
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "group1-shard1of1.bin"), "wb") as f:
            f.write(b"".join(self.blobs))
        sig = lambda d: {k: {"name": k, "dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": str(s)} for s in v]}} for k, v in d.items()}
        model = {"format": "graph-model", "generatedBy": "test", "convertedBy": "test",
                 "signature": {"inputs": sig(self.inputs), "outputs": sig(self.outputs)},
                 "modelTopology": {"node": self.nodes, "library": {}, "versions": {}},
                 "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": self.weights}]}
        path = os.path.join(folder, "model.json")
        with open(path, "w") as f:
            json.dump(model, f)
        return path
