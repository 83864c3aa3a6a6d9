#!/usr/bin/env python3
"""Builds test/fixtures/detector/: a synthetic street scene with pedestrians drawn by the
procedural renderer in native-models/synth (no real footage is committed), plus the truth
boxes taken from the renderer's alpha masks.

    native-models/py -m tfjs2onnx.make_detector_fixture [--seed 0] [--preview /tmp/x.png]

Writes street.rgb.gz (raw RGB24, gzip) and street.json ({width, height, people: [[x,y,w,h],…],
reference: detections of the independent NumPy pipeline, see reference_detections}).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))

from synth.attributes import sample_identity
from synth.backgrounds import pavement
from synth.render import render_person

from . import check_parity, convert_nanodet, nanodet_decode, reference, tfjs_graph

WIDTH, HEIGHT = 640, 360
IDENTITY_SEED = 1000
# (identity id, view, walk phase, height px, body-axis x, feet y). These identities/poses were
# picked from a batch of random renders as ones NanoDet scores >= 0.6 on their own: most
# procedural pedestrians score far lower, and the test is about our pipeline, not the renderer.
PEOPLE = [
    (59, "back", 1.64, 116, 70, 300),
    (7, "back", 5.52, 106, 175, 250),
    (50, "front", 4.56, 120, 285, 330),
    (44, "front", 1.28, 102, 395, 230),
    (48, "front", 4.44, 112, 495, 310),
    (33, "side", 5.39, 94, 590, 200),
]


def compose(seed: int):
    bg = pavement(HEIGHT, WIDTH, np.random.default_rng([2000, seed]), tile=40).astype(np.float32)
    truth = []
    for pid, view, phase, hp, cx, feet in PEOPLE:
        attrs = sample_identity(np.random.default_rng([IDENTITY_SEED, pid]))
        img, alpha = render_person(attrs, view, phase, np.random.default_rng([IDENTITY_SEED, pid, 1]), hp=hp)
        h, w = alpha.shape
        x0, y0 = int(cx - w / 2), feet - h
        a = alpha[..., None].astype(np.float32)
        bg[y0:y0 + h, x0:x0 + w] = bg[y0:y0 + h, x0:x0 + w] * (1 - a) + img.astype(np.float32) * a
        ys, xs = np.nonzero(alpha > 0.5)
        truth.append([int(x0 + xs.min()), int(y0 + ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)])
    scene = cv2.GaussianBlur(np.clip(bg, 0, 255).astype(np.uint8), (0, 0), 0.8)  # camera softness
    return scene, truth


def reference_detections(bgr, model_json: str, model_dir: str):
    """Person detections by the independent Python path: OpenCV pre-processing, the NumPy
    interpreter of the TF.js graph (no ONNX Runtime), NumPy GFL decoding + NMS. The TypeScript
    test compares its own pipeline's output to these."""
    with open(os.path.join(model_dir, "manifest.json")) as f:
        man = json.load(f)
    model = tfjs_graph.load(model_json)
    names, strides = convert_nanodet.output_names(model, man["numClasses"], man["input"]["width"])
    x, (sx, sy, px, py) = check_parity.preprocess(bgr, man)
    (tf_in,) = model.inputs
    out = reference.run(model, {tf_in: x})
    by_name = {onnx: out[tf][0] for tf, onnx in names.items()}
    nd = man["nanodet"]
    boxes, scores = nanodet_decode.decode([by_name[c] for c, _ in nd["outputs"]], [by_name[r] for _, r in nd["outputs"]],
                                          nd["strides"], nd["regMax"], man["input"]["width"], cls_id=man["personClass"],
                                          thr=man["scoreThreshold"], center_offset=nd["centerOffset"])
    keep = nanodet_decode.nms(boxes, scores, man["nmsIoU"]) if len(scores) else []
    h, w = bgr.shape[:2]
    dets = []
    for i in keep:
        x1, y1, x2, y2 = boxes[i]
        x1, x2 = [min(max((v - px) / sx, 0), w) for v in (x1, x2)]
        y1, y2 = [min(max((v - py) / sy, 0), h) for v in (y1, y2)]
        dets.append({"bbox": [round(float(v), 3) for v in (x1, y1, x2 - x1, y2 - y1)], "score": round(float(scores[i]), 5)})
    return dets


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=os.path.join(REPO, "test", "fixtures", "detector"))
    ap.add_argument("--preview")
    ap.add_argument("--model-json", default=convert_nanodet.DEFAULT_MODEL)
    ap.add_argument("--model-dir", default=convert_nanodet.DEFAULT_OUT)
    args = ap.parse_args()
    bgr, truth = compose(args.seed)
    os.makedirs(args.out, exist_ok=True)
    rgb = np.ascontiguousarray(bgr[:, :, ::-1])
    with open(os.path.join(args.out, "street.rgb.gz"), "wb") as f:
        # mtime=0: byte-identical output for the same seed
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as gz:
            gz.write(rgb.tobytes())
    with open(os.path.join(args.out, "street.json"), "w") as f:
        f.write(convert_nanodet.format_json({"width": WIDTH, "height": HEIGHT, "format": "rgb24", "seed": args.seed,
                   "source": "native-models/tools/tfjs2onnx/make_detector_fixture.py (synthetic, native-models/synth renderer)",
                   "people": truth,
                   "reference": reference_detections(bgr, args.model_json, args.model_dir)}))
    if args.preview:
        vis = bgr.copy()
        for x, y, w, h in truth:
            cv2.rectangle(vis, (x, y), (x + w, y + h), (0, 255, 255), 1)
        cv2.imwrite(args.preview, vis)
    print(f"wrote {args.out}: {len(truth)} people {truth}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
