#!/usr/bin/env python3
"""Builds test/fixtures/detector/yolo-stub/: a tiny ONNX model with the interface of an
Ultralytics YOLOv8/YOLO11 export (input [N,3,H,W], output [N, 4 + C, anchors]) whose output is a
fixed tensor (known boxes), so the detector's YOLO path (output lookup, batch slicing,
letterbox mapping, threshold, NMS) is tested end to end through onnxruntime-node.

    native-models/py -m tfjs2onnx.make_yolo_stub
"""
from __future__ import annotations

import hashlib
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from . import convert_nanodet

HERE = os.path.dirname(os.path.abspath(__file__))

REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
OUT = os.path.join(REPO, "test", "fixtures", "detector", "yolo-stub")
SIZE = 64
NUM_CLASSES = 2  # 0 = person, 1 = something else
# anchors: cx, cy, w, h (input pixels), person score, other score
ANCHORS = [
    [20, 32, 8, 24, 0.90, 0.05],   # person
    [21, 32, 8, 24, 0.80, 0.00],   # same person, lower score: NMS removes it
    [48, 30, 10, 20, 0.60, 0.10],  # second person
    [40, 40, 10, 10, 0.10, 0.95],  # other class only: ignored
    [10, 10, 6, 6, 0.20, 0.00],    # person below threshold
]


def build() -> onnx.ModelProto:
    table = np.array(ANCHORS, np.float32).T[None]  # [1, 4 + C, A]
    nodes = [
        helper.make_node("Shape", ["images"], ["shape"]),
        helper.make_node("Gather", ["shape", "zero"], ["n"], axis=0),
        helper.make_node("Concat", ["n", "rest"], ["out_shape"], axis=0),
        helper.make_node("Expand", ["table", "out_shape"], ["output0"]),
    ]
    inits = [numpy_helper.from_array(table, "table"),
             numpy_helper.from_array(np.array([0], np.int64), "zero"),
             numpy_helper.from_array(np.array(table.shape[1:], np.int64), "rest")]
    graph = helper.make_graph(
        nodes, "yolo-stub",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, ["batch", 3, SIZE, SIZE])],
        [helper.make_tensor_value_info("output0", TensorProto.FLOAT, ["batch", 4 + NUM_CLASSES, len(ANCHORS)])],
        inits)
    m = helper.make_model(graph, producer_name="sightline-test", opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    return m


def main() -> int:
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "model.onnx")
    with open(path, "wb") as f:
        f.write(build().SerializeToString())
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    manifest = {
        "kind": "detector", "id": "yolo-stub", "version": "0.0.0", "license": "Apache-2.0",
        "description": "test stub with the YOLOv8 output layout; output is a fixed table (make_yolo_stub.py)",
        "format": "yolov8", "file": "model.onnx",
        "input": {"name": "images", "width": SIZE, "height": SIZE, "layout": "NCHW", "colorOrder": "RGB",
                  "mean": [0, 0, 0], "std": [255, 255, 255], "resize": "letterbox"},
        "batch": "dynamic", "personClass": 0, "numClasses": NUM_CLASSES,
        "scoreThreshold": 0.25, "nmsIoU": 0.45,
        "files": {"model.onnx": digest},
    }
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        f.write(convert_nanodet.format_json(manifest))
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
