"""Run an ONNX model through onnxruntime-node (Node.js) from Python."""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
from typing import Dict, Tuple

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def run_onnx(model_path: str, feeds: Dict[str, np.ndarray], node: str = "node") -> Tuple[Dict[str, np.ndarray], float]:
    with tempfile.TemporaryDirectory() as d:
        spec = {"inputs": {}, "int64": []}
        for name, arr in feeds.items():
            if np.asarray(arr).dtype == np.int64:  # token ids / masks stay int64
                arr = np.ascontiguousarray(arr, np.int64)
                spec["int64"].append(name)
            else:
                arr = np.ascontiguousarray(arr, np.float32)
            arr.tofile(os.path.join(d, f"{name}.f32"))
            spec["inputs"][name] = list(arr.shape)
        with open(os.path.join(d, "spec.json"), "w") as f:
            json.dump(spec, f)
        subprocess.run([node, os.path.join(HERE, "ort_run.js"), os.path.abspath(model_path), d], check=True)
        with open(os.path.join(d, "out_spec.json")) as f:
            out_spec = json.load(f)
        outs = {name: np.fromfile(os.path.join(d, f"out_{name}.f32"), np.float32).reshape(shape)
                for name, shape in out_spec["shapes"].items()}
        return outs, out_spec["ms"]
