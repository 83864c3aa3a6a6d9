#!/usr/bin/env python3
"""Numeric parity: NumPy reference interpreter of the TF.js graph vs the converted ONNX
model run by onnxruntime-node, on a real image (batch of 2: the image and its mirror, which
also exercises the dynamic batch axis).

    native-models/py -m tfjs2onnx.check_parity [--image IMG | --video V --frame K]
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import numpy as np

from . import convert_nanodet, ort_bridge, reference, tfjs_graph

HERE = os.path.dirname(os.path.abspath(__file__))

VTEST = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"


def load_bgr(args) -> np.ndarray:
    import cv2
    if args.image:
        img = cv2.imread(args.image, cv2.IMREAD_COLOR)
        if img is None:
            raise SystemExit(f"cannot read {args.image}")
        return img
    cap = cv2.VideoCapture(args.video)
    cap.set(cv2.CAP_PROP_POS_FRAMES, args.frame)
    ok, img = cap.read()
    if not ok:
        raise SystemExit(f"cannot read frame {args.frame} of {args.video}")
    return img


LETTERBOX_FILL = 114.0  # same as electron/engine/vision/detector.ts


def preprocess(bgr: np.ndarray, manifest: dict):
    """The manifest's pre-processing in NumPy/OpenCV (independent of the TypeScript one).
    Returns the [1,3,H,W] input and (scale_x, scale_y, pad_x, pad_y): input = src * scale + pad."""
    import cv2
    inp = manifest["input"]
    W, H = inp["width"], inp["height"]
    sh, sw = bgr.shape[:2]
    src = bgr.astype(np.float32)  # resize in float: no uint8 rounding
    if inp["resize"] == "letterbox":
        s = min(W / sw, H / sh)
        dw, dh = max(1, min(W, round(sw * s))), max(1, min(H, round(sh * s)))
        px, py = (W - dw) // 2, (H - dh) // 2
        img = np.full((H, W, 3), LETTERBOX_FILL, np.float32)
        img[py:py + dh, px:px + dw] = cv2.resize(src, (dw, dh), interpolation=cv2.INTER_LINEAR)
        geom = (dw / sw, dh / sh, px, py)
    else:
        img = cv2.resize(src, (W, H), interpolation=cv2.INTER_LINEAR)
        geom = (W / sw, H / sh, 0, 0)
    if inp["colorOrder"] == "RGB":
        img = img[:, :, ::-1]
    x = (img - np.array(inp["mean"], np.float32)) / np.array(inp["std"], np.float32)
    return x.transpose(2, 0, 1)[None].astype(np.float32), geom


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-json", default=convert_nanodet.DEFAULT_MODEL)
    ap.add_argument("--model-dir", default=convert_nanodet.DEFAULT_OUT)
    ap.add_argument("--image")
    ap.add_argument("--video", default=VTEST)
    ap.add_argument("--frame", type=int, default=100)
    ap.add_argument("--tol", type=float, default=1e-4)
    args = ap.parse_args(argv)

    with open(os.path.join(args.model_dir, "manifest.json")) as f:
        manifest = json.load(f)
    model = tfjs_graph.load(args.model_json)
    names, _ = convert_nanodet.output_names(model, manifest["numClasses"], manifest["input"]["width"])
    x, _ = preprocess(load_bgr(args), manifest)
    batch = np.concatenate([x, x[:, :, :, ::-1]])
    (tf_in,) = model.inputs
    onnx_out, ms = ort_bridge.run_onnx(os.path.join(args.model_dir, manifest["file"]), {manifest["input"]["name"]: batch})
    worst = 0.0
    for b in range(batch.shape[0]):
        ref = reference.run(model, {tf_in: batch[b:b + 1]})
        for tf_name, onnx_name in sorted(names.items(), key=lambda kv: kv[1]):
            diff = float(np.abs(onnx_out[onnx_name][b] - ref[tf_name][0]).max())
            scale = float(np.abs(ref[tf_name]).max())
            worst = max(worst, diff)
            print(f"batch[{b}] {onnx_name:6s} max|onnx-ref| = {diff:.3g}  (max|ref| = {scale:.3g})")
    print(f"worst max abs diff {worst:.3g}; onnxruntime batch-2 run {ms:.1f} ms")
    return 0 if worst <= args.tol else 1


if __name__ == "__main__":
    sys.exit(main())
