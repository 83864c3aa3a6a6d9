"""Real-footage eval set: person crops from OpenCV's vtest.avi with hand-written captions.

    cd native-models
    /usr/bin/python3 -m synth.real_eval --out synth/work/vtest-eval [--sheet sheet.png]

Only the annotations (frame index, bbox, person id, captions) are committed, in
real_eval/vtest_annotations.json; the crops are cut from the Debian opencv-doc copy of
vtest.avi at eval time. Output is CUHK-PEDES format (reid_raw.json + imgs/), split "test".
"""
import argparse
import json
import os

import cv2
import numpy as np

from .backgrounds import VTEST

HERE = os.path.dirname(os.path.abspath(__file__))
ANNOTATIONS = os.path.join(HERE, "real_eval", "vtest_annotations.json")


def load_annotations(path=ANNOTATIONS):
    with open(path) as f:
        return json.load(f)


def extract(out, video=VTEST, annotations=ANNOTATIONS, sheet=None):
    ann = load_annotations(annotations)
    persons = {p["id"]: p for p in ann["persons"]}
    want = {}
    for i, c in enumerate(ann["crops"]):
        want.setdefault(c["frame"], []).append((i, c))
    os.makedirs(os.path.join(out, "imgs"), exist_ok=True)
    cap = cv2.VideoCapture(video)
    if not cap.isOpened():
        raise SystemExit(f"cannot open {video} (Debian package opencv-doc)")
    # decode sequentially: frame-accurate, unlike seeking in this AVI
    records, tiles, idx = [], [], 0
    last = max(want)
    while idx <= last:
        ok, frame = cap.read()
        if not ok:
            break
        for i, c in want.get(idx, []):
            x, y, w, h = c["bbox"]
            crop = frame[max(0, y):y + h, max(0, x):x + w]
            rel = f"imgs/p{c['person']:03d}_f{idx:04d}.png"
            cv2.imwrite(os.path.join(out, rel), crop)
            p = persons[c["person"]]
            records.append({"id": c["person"], "file_path": rel, "captions": p["captions"],
                            "split": "test", "attributes": p.get("attributes", {}),
                            "frame": idx, "bbox": c["bbox"]})
            if sheet:
                t = cv2.resize(crop, (96, 192), interpolation=cv2.INTER_CUBIC)
                cv2.putText(t, f"p{c['person']} f{idx}", (2, 12), 0, 0.4, (0, 255, 255), 1)
                tiles.append((c["person"], idx, t))
        idx += 1
    missing = len(ann["crops"]) - len(records)
    if missing:
        raise SystemExit(f"{missing} annotated crops not found in {video}")
    records.sort(key=lambda r: (r["id"], r["frame"]))
    with open(os.path.join(out, "reid_raw.json"), "w") as f:
        json.dump(records, f, indent=1)
    if sheet:
        tiles = [t for _, _, t in sorted(tiles, key=lambda x: x[:2])]
        while len(tiles) % 12:
            tiles.append(np.zeros_like(tiles[0]))
        cv2.imwrite(sheet, np.vstack([np.hstack(tiles[i:i + 12])
                                      for i in range(0, len(tiles), 12)]))
    return records


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--out", default=os.path.join(HERE, "work", "vtest-eval"))
    ap.add_argument("--video", default=VTEST)
    ap.add_argument("--sheet", help="also write a PNG contact sheet of the crops")
    a = ap.parse_args(argv)
    recs = extract(a.out, a.video, sheet=a.sheet)
    print(f"{len(recs)} crops of {len({r['id'] for r in recs})} people -> {a.out}")


if __name__ == "__main__":
    main()
