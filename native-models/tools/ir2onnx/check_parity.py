"""Reference interpreter (NumPy, OpenVINO semantics) vs the converted ONNX in onnxruntime-node.

    cd native-models/tools && /usr/bin/python3 -m ir2onnx.check_parity [model ids]

The inputs are fixed pseudo-random smooth 0-255 images (batch 2). Prints the max |ONNX - reference| per output.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

from . import convert
from . import ir_graph
from . import reference
from .models import MODELS
# This machine has no Python onnxruntime: ONNX files run through onnxruntime-node.
from tfjs2onnx.ort_bridge import run_onnx


def fixed_inputs(width: int, height: int, n: int = 2, seed: int = 7) -> np.ndarray:
    """n BGR 0-255 images: smooth random blobs (more like a photo than white noise)."""
    rng = np.random.default_rng(seed)
    low = rng.uniform(0, 255, (n, 3, height // 8 + 1, width // 8 + 1))
    img = np.repeat(np.repeat(low, 8, axis=2), 8, axis=3)[:, :, :height, :width]
    return np.round(np.clip(img + rng.normal(0, 12, img.shape), 0, 255)).astype(np.float32)


def parity(model_id: str, batch: np.ndarray) -> dict[str, float]:
    xml, bin_ = convert.source_paths(model_id)
    ir = ir_graph.load(xml, bin_)
    name = MODELS[model_id]["input"]["name"]
    ref = reference.run(ir, {name: batch})
    out, _ = run_onnx(os.path.join(convert.NATIVE, model_id, "model.onnx"), {name: batch})
    return {k: float(np.max(np.abs(out[k] - ref[k]))) for k in sorted(ref)}, ref


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("model", nargs="*")
    args = ap.parse_args(argv)
    worst = 0.0
    for model_id in args.model or sorted(MODELS):
        spec = MODELS[model_id]["input"]
        diffs, ref = parity(model_id, fixed_inputs(spec["width"], spec["height"]))
        for k, d in diffs.items():
            scale = float(np.max(np.abs(ref[k])))
            print(f"{model_id} {k}: max |onnx - reference| = {d:.2e} (output range ±{scale:.3g})")
            worst = max(worst, d / max(scale, 1e-6))
    return 0 if worst < 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main())
