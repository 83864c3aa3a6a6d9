#!/usr/bin/env python3
"""End-to-end look at the app's detector on real footage (default: OpenCV's vtest.avi).

Extracts frames with cv2, runs the compiled TypeScript detector through Node
(detect_frames.js; run `npx tsc -p tsconfig.json` first), draws the boxes into a PNG
contact sheet and prints timings. Frames and sheets stay outside the repository.

    native-models/py -m tfjs2onnx.check_detector --every 40 --out /tmp/vtest_sheet.png
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
VTEST = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--video", default=VTEST)
    ap.add_argument("--every", type=int, default=40, help="take every Nth frame")
    ap.add_argument("--max", type=int, default=16)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--out", default="/tmp/detector_sheet.png")
    ap.add_argument("--cols", type=int, default=2)
    ap.add_argument("--aspect", type=float, help="centre-crop frames to this width/height ratio (e.g. 1.778 for 16:9)")
    args = ap.parse_args()

    cap = cv2.VideoCapture(args.video)
    frames, idx = [], 0
    while len(frames) < args.max:
        ok, bgr = cap.read()
        if not ok:
            break
        if idx % args.every == 0:
            if args.aspect:
                fh, fw = bgr.shape[:2]
                ch = min(fh, int(round(fw / args.aspect)))
                cw = min(fw, int(round(ch * args.aspect)))
                y0, x0 = (fh - ch) // 2, (fw - cw) // 2
                bgr = np.ascontiguousarray(bgr[y0:y0 + ch, x0:x0 + cw])
            frames.append((idx, bgr))
        idx += 1
    h, w = frames[0][1].shape[:2]
    with tempfile.TemporaryDirectory() as d:
        files = []
        for i, bgr in frames:
            name = f"f{i:05d}.rgb"
            np.ascontiguousarray(bgr[:, :, ::-1]).tofile(os.path.join(d, name))
            files.append(name)
        with open(os.path.join(d, "frames.json"), "w") as f:
            json.dump({"width": w, "height": h, "files": files}, f)
        res = json.loads(subprocess.run(["node", os.path.join(HERE, "detect_frames.js"), d, str(args.batch)],
                                        check=True, capture_output=True, text=True).stdout)
    tiles = []
    for (i, bgr), dets in zip(frames, res["results"]):
        im = bgr.copy()
        for det in dets:
            x, y, bw, bh = det["bbox"]
            cv2.rectangle(im, (int(round(x)), int(round(y))), (int(round(x + bw)), int(round(y + bh))), (0, 255, 0), 2)
            cv2.putText(im, f"{det['score']:.2f}", (int(x), max(int(y) - 3, 10)), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 255), 1)
        cv2.putText(im, f"frame {i}: {len(dets)} people", (8, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (255, 0, 0), 2)
        tiles.append(im)
        print(f"frame {i}: {len(dets)} detections, scores {[round(d['score'], 2) for d in dets]}")
    while len(tiles) % args.cols:
        tiles.append(np.zeros_like(tiles[0]))
    sheet = np.concatenate([np.concatenate(tiles[r:r + args.cols], 1) for r in range(0, len(tiles), args.cols)], 0)
    cv2.imwrite(args.out, sheet)
    print(f"provider {res['provider']}, batch {res['batch']}: {res['msPerFrame']:.1f} ms/frame over {res['frames']} frames "
          f"({w}x{h}); sheet {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
