"""Writes test/fixtures/openvino/: hand-picked person crops from vtest.avi (OpenCV sample) and the
NumPy reference's outputs for them, for test/integration/openvino-models.test.ts.

    cd native-models/tools && /usr/bin/python3 -m ir2onnx.make_fixture [--video /usr/share/doc/opencv-doc/examples/data/vtest.avi]

Crops (boxes picked by hand and looked at): A = man in a red-and-navy padded jacket and jeans,
B = woman with fair hair in a long black coat and jeans (walking beside A), C = bald man in a dark
jacket and jeans, D = man all in black. A and B are seen at 2 s and 6 s.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import tempfile

import cv2
import numpy as np

from . import convert, ir_graph, reference
from .models import MODELS

REPO = os.path.dirname(convert.NATIVE)
OUT = os.path.join(REPO, "test", "fixtures", "openvino")
VTEST = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"

# name: (seek seconds, x, y, w, h) in vtest.avi's 768x576 frame
CROPS = {
    "A2": (2, 684, 268, 40, 112), "A6": (6, 465, 200, 38, 94),
    "B2": (2, 726, 266, 32, 102), "B6": (6, 502, 198, 32, 88),
    "C6": (6, 613, 230, 40, 113), "D2": (2, 436, 230, 48, 92),
}
PERSON = {"A": "man, red-and-navy padded jacket, jeans", "B": "woman, fair hair, long black coat, jeans",
          "C": "bald man, dark jacket, jeans", "D": "man, all in black"}
# Parity inputs: one crop resized (cv2 INTER_AREA) to each network's exact input size, so the
# app's crop sampler passes it through unchanged and the comparison is network-only.
PARITY = {"person-reidentification-retail-0287": "A2", "person-reidentification-retail-0288": "A2",
          "person-attributes-recognition-crossroad-0230": "B6"}


def frame_at(video: str, seconds: int) -> np.ndarray:
    with tempfile.TemporaryDirectory() as d:
        png = os.path.join(d, "f.png")
        subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-ss", str(seconds), "-i", video, "-frames:v", "1", png], check=True)
        return cv2.imread(png)


def write_rgb(name: str, bgr: np.ndarray) -> None:
    with gzip.GzipFile(os.path.join(OUT, name), "wb", mtime=0) as f:
        f.write(np.ascontiguousarray(bgr[:, :, ::-1]).tobytes())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--video", default=VTEST)
    args = ap.parse_args(argv)
    os.makedirs(OUT, exist_ok=True)
    frames = {t: frame_at(args.video, t) for t in sorted({c[0] for c in CROPS.values()})}
    meta = {"source": "vtest.avi (OpenCV sample data, /usr/share/doc/opencv-doc/examples/data/), frame = ffmpeg -ss <t> first frame",
            "people": PERSON, "crops": {}, "parity": {}}
    crops = {}
    for name, (t, x, y, w, h) in CROPS.items():
        crops[name] = frames[t][y:y + h, x:x + w]
        write_rgb(f"{name}.rgb.gz", crops[name])
        meta["crops"][name] = {"file": f"{name}.rgb.gz", "width": w, "height": h, "t": t, "box": [x, y, w, h]}
    for model_id, crop in PARITY.items():
        spec = MODELS[model_id]
        W, H = spec["input"]["width"], spec["input"]["height"]
        img = cv2.resize(crops[crop], (W, H), interpolation=cv2.INTER_AREA)
        file = f"{crop}-{W}x{H}.rgb.gz"
        write_rgb(file, img)
        ir = ir_graph.load(*convert.source_paths(model_id))
        outs = reference.run(ir, {spec["input"]["name"]: img.transpose(2, 0, 1)[None].astype(np.float32)})
        meta["parity"][model_id] = {"file": file, "width": W, "height": H,
                                    "outputs": {k: [round(float(v), 7) for v in outs[k].ravel()] for k in sorted(outs)}}
    with open(os.path.join(OUT, "crops.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    sheet = np.hstack([cv2.resize(c, (64, 128)) for c in crops.values()])
    cv2.imwrite(os.path.join(tempfile.gettempdir(), "openvino-fixture-crops.png"), sheet)
    print(f"wrote {OUT}; contact sheet {tempfile.gettempdir()}/openvino-fixture-crops.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
