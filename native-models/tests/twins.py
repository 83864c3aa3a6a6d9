"""Fixtures that keep the TypeScript/Python twins equal (docs/twins.md).

Each fixture is computed here by the Python half from seeded inputs and committed under
test/fixtures/twins/; the TypeScript half is checked against it by test/unit/twins.test.ts, and
test_twins.py recomputes it and compares with the committed file. So a change to either half
that alters the result fails a test until both agree again (and the fixture is rewritten):

    native-models/py -m tests.twins --write
"""
import argparse
import json
import os
import tempfile

import cv2
import numpy as np

from ivt.data import MEAN, STD, normalise, read_image
from tfjs2onnx.nanodet_decode import decode

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FIXTURES = os.path.join(REPO, "test", "fixtures", "twins")


def crop_fixture():
    """A noisy RGB image resized to model inputs the way training reads crops
    (ivt.data.read_image: cv2 bilinear, half-pixel centres, BGR file -> RGB), then normalised."""
    rng = np.random.RandomState(14)
    h, w = 41, 23
    rgb = rng.randint(0, 256, size=(h, w, 3), dtype=np.uint8)
    cases = []
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "crop.png")  # lossless: the file holds exactly these bytes
        cv2.imwrite(path, cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
        for out_w, out_h in [(32, 64), (9, 14)]:
            chw = read_image(path, out_h, out_w)  # uint8 [3, H, W], RGB
            tensor = normalise(chw.unsqueeze(0))[0].numpy()
            cases.append({
                "width": out_w, "height": out_h,
                # uint8 before normalisation: what the training pipeline rounds to.
                "rgb": chw.numpy().reshape(-1).tolist(),
                "checksum": float(np.float64(tensor).sum()),
            })
    return {
        "what": "ivt.data.read_image + normalise (Python) vs vision/crop.ts cropToTensor over the whole image (TypeScript)",
        "mean": list(MEAN), "std": list(STD),
        "image": {"width": w, "height": h, "rgb": rgb.reshape(-1).tolist()},
        "cases": cases,
    }


def nanodet_fixture():
    """Random GFL head outputs decoded by tfjs2onnx.nanodet_decode.decode. The input side (100)
    is not a multiple of the largest stride, so the grid size rule (ceil) is exercised."""
    rng = np.random.RandomState(7)
    size, strides, num_classes, reg_max, cls_id, thr = 100, [8, 16, 32], 3, 4, 1, 0.6
    levels, cls_by, reg_by = [], [], []
    for s in strides:
        cells = (-(-size // s)) ** 2
        # Multiples of 1/64: exact in float32 and short in JSON.
        cls = (rng.randint(0, 65, size=(cells, num_classes)) / 64).astype(np.float32)
        reg = (rng.randint(-256, 257, size=(cells, 4 * (reg_max + 1))) / 64).astype(np.float32)
        cls_by.append(cls)
        reg_by.append(reg)
        levels.append({"stride": s, "cls": [float(v) for v in cls.reshape(-1)], "reg": [float(v) for v in reg.reshape(-1)]})
    boxes, scores = decode(cls_by, reg_by, strides, reg_max, size, cls_id=cls_id, thr=thr, center_offset=0.5)
    return {
        "what": "tfjs2onnx/nanodet_decode.py decode (Python) vs vision/detector-decode.ts decodeNanodet (TypeScript)",
        "params": {"inputSize": size, "numClasses": num_classes, "regMax": reg_max, "classId": cls_id,
                   "scoreThreshold": thr, "centerOffset": 0.5, "scoresAreProbabilities": True},
        "levels": levels,
        # x1, y1, x2, y2 in input pixels, in decode order (stride, then cell).
        "boxes": [[float(v) for v in b] for b in boxes],
        "scores": [float(v) for v in scores],
    }


FIXTURES_BY_NAME = {"crop.json": crop_fixture, "nanodet-decode.json": nanodet_fixture}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help="rewrite the committed fixtures")
    args = ap.parse_args()
    if not args.write:
        ap.print_help()
        return
    os.makedirs(FIXTURES, exist_ok=True)
    for name, make in FIXTURES_BY_NAME.items():
        with open(os.path.join(FIXTURES, name), "w") as fh:
            json.dump(make(), fh, separators=(",", ":"))
            fh.write("\n")
        print("wrote", os.path.join(FIXTURES, name))


if __name__ == "__main__":
    main()
