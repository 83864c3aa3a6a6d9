"""Run the shipped NanoDet person detector on frames from Python, without onnxruntime.

OpenCV 4.6's ONNX importer rejects the FLOAT16 weight initialisers of
native-models/nanodet-m-coco/model.onnx, so we fold each `Cast(fp16 initialiser -> fp32)`
into a float32 initialiser in memory (needs the `onnx` package) and run with cv2.dnn.
Pre-processing and decoding follow the manifest (the engine's source of truth).

    /usr/bin/python3 -m synth.detect_check resources/sample-case/sample-street.mp4
"""
import json
import os
import sys

import cv2
import numpy as np

MODEL_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                         "nanodet-m-coco")


class NanoDet:
    def __init__(self, model_dir=MODEL_DIR):
        import onnx
        from onnx import numpy_helper
        with open(os.path.join(model_dir, "manifest.json")) as f:
            self.m = json.load(f)
        model = onnx.load(os.path.join(model_dir, self.m["file"]))
        g = model.graph
        inits = {i.name: i for i in g.initializer}
        drop = []
        for n in g.node:
            if n.op_type == "Cast" and n.input[0] in inits and \
                    inits[n.input[0]].data_type == onnx.TensorProto.FLOAT16:
                arr = numpy_helper.to_array(inits[n.input[0]]).astype(np.float32)
                g.initializer.append(numpy_helper.from_array(arr, n.output[0]))
                drop.append(n)
        for n in drop:
            g.node.remove(n)
        for name in {n.input[0] for n in drop}:
            g.initializer.remove(inits[name])
        # OpenCV 4.6 mis-reads the head's Split(sizes as input) and Reshape([0, C, -1]):
        # cut the graph at the raw head convolutions (80 cls + 44 reg channels per stride)
        # and do split / sigmoid / flatten in NumPy.
        self.heads = [n.input[0] for n in g.node if n.op_type == "Split"]
        model = onnx.utils.Extractor(model).extract_model([g.input[0].name], self.heads)
        g = model.graph
        for vi in list(g.input):
            d0 = vi.type.tensor_type.shape.dim[0]
            d0.ClearField("dim_param")
            d0.dim_value = 1
        self.net = cv2.dnn.readNetFromONNX(model.SerializeToString())
        self.outs = [o for pair in self.m["nanodet"]["outputs"] for o in pair]

    def detect(self, bgr, thr=None):
        """Person boxes [(x, y, w, h, score)] in frame pixels."""
        inp = self.m["input"]
        W, H = inp["width"], inp["height"]
        h, w = bgr.shape[:2]
        if inp.get("resize") == "letterbox":
            s = min(W / w, H / h)
            nw, nh = int(round(w * s)), int(round(h * s))
            canvas = np.zeros((H, W, 3), np.uint8)
            dx, dy = (W - nw) // 2, (H - nh) // 2
            canvas[dy:dy + nh, dx:dx + nw] = cv2.resize(bgr, (nw, nh))
            sx = sy = s
        else:
            canvas = cv2.resize(bgr, (W, H))
            sx, sy, dx, dy = W / w, H / h, 0, 0
        x = (canvas.astype(np.float32) - np.array(inp["mean"], np.float32)) / \
            np.array(inp["std"], np.float32)
        self.net.setInput(x.transpose(2, 0, 1)[None], inp["name"])
        raw = self.net.forward(self.net.getUnconnectedOutLayersNames())
        res = {}
        nc = self.m["numClasses"]
        for (cn, rn), s in zip(self.m["nanodet"]["outputs"], self.m["nanodet"]["strides"]):
            side = W // s
            o = [r for r in raw if r.shape[-1] == side][0][0]         # [80+44, side, side]
            o = o.reshape(o.shape[0], -1).T                           # [cells, 124]
            res[cn] = (1 / (1 + np.exp(-o[:, :nc])))[None]
            res[rn] = o[:, nc:][None]
        nd = self.m["nanodet"]
        thr = self.m["scoreThreshold"] if thr is None else thr
        bins = np.arange(nd["regMax"] + 1, dtype=np.float32)
        boxes, scores = [], []
        for (cn, rn), s in zip(nd["outputs"], nd["strides"]):
            cls, reg = res[cn][0], res[rn][0]
            side = W // s
            sc = cls[:, self.m["personClass"]]
            keep = np.nonzero(sc > thr)[0]
            if not keep.size:
                continue
            r = reg[keep].reshape(-1, 4, nd["regMax"] + 1)
            r = np.exp(r - r.max(axis=2, keepdims=True))
            d = (r / r.sum(axis=2, keepdims=True) * bins).sum(axis=2) * s
            off = nd.get("centerOffset", 0.5)
            cx, cy = (keep % side + off) * s, (keep // side + off) * s
            boxes += list(np.stack([cx - d[:, 0], cy - d[:, 1], cx + d[:, 2], cy + d[:, 3]], 1))
            scores += list(sc[keep])
        if not boxes:
            return []
        b = np.array(boxes)
        xywh = [[(x0 - dx) / sx, (y0 - dy) / sy, (x1 - x0) / sx, (y1 - y0) / sy]
                for x0, y0, x1, y1 in b]
        idx = cv2.dnn.NMSBoxes(xywh, [float(s) for s in scores], thr, self.m["nmsIoU"])
        return [tuple(xywh[i]) + (float(scores[i]),) for i in np.array(idx).reshape(-1)]


def iou(a, b):
    ax, ay, aw, ah = a[:4]
    bx, by, bw, bh = b[:4]
    ix = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0, min(ay + ah, by + bh) - max(ay, by))
    i = ix * iy
    return i / (aw * ah + bw * bh - i + 1e-9)


def check_video(video, truth_path, thr=None, iou_min=0.5):
    """Recall of truth boxes (at whole seconds) by NanoDet; per person."""
    with open(truth_path) as f:
        truth = json.load(f)
    det = NanoDet()
    cap = cv2.VideoCapture(video)
    fps = truth["fps"]
    frames, i = {}, 0
    want = {int(round(t["t"] * fps)) for p in truth["people"] for t in p["boxes"]}
    while True:
        ok, fr = cap.read()
        if not ok:
            break
        if i in want:
            frames[i] = fr
        i += 1
    report = {}
    for p in truth["people"]:
        hits, scores, missed = 0, [], []
        for t in p["boxes"]:
            if not t.get("fully_visible", True):
                continue
            dets = det.detect(frames[int(round(t["t"] * fps))], thr)
            best = max([(iou(d, t["bbox"]), d[4]) for d in dets] or [(0, 0)])
            ok = best[0] >= iou_min
            hits += ok
            scores.append(round(best[1], 2) if ok else 0)
            if not ok:
                missed.append(t["t"])
        n = len(scores)
        report[p["name"]] = {"recall": round(hits / max(1, n), 2), "n": n,
                             "scores": scores,
                             "missed_at_s": missed}
    return report


if __name__ == "__main__":
    v = sys.argv[1]
    t = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(v), "truth.json")
    print(json.dumps(check_video(v, t), indent=1))


def crop_detect_rate(root, n=300, seed=0, thr=None):
    """Share of crops (CUHK-format dataset at root) in which NanoDet finds a person: each
    crop is scaled to 180 px tall and placed on a grey 416x416 canvas. A realism proxy for
    synthetic vs real crops (same protocol for both)."""
    with open(os.path.join(root, "reid_raw.json")) as f:
        recs = json.load(f)
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(recs), size=min(n, len(recs)), replace=False)
    det = NanoDet()
    hits, scores, by_px = 0, [], {}
    for i in pick:
        img = cv2.imread(os.path.join(root, recs[i]["file_path"]))
        c = cv2.resize(img, (90, 180), interpolation=cv2.INTER_LINEAR)
        canvas = np.full((416, 416, 3), 118, np.uint8)
        canvas[118:298, 163:253] = c
        ds = det.detect(canvas, thr)
        best = max([d[4] for d in ds if iou(d, (163, 118, 90, 180)) > 0.3] or [0.0])
        hits += best > 0
        scores.append(best)
        if "person_px" in recs[i]:
            by_px.setdefault(min(recs[i]["person_px"] // 20 * 20, 100), []).append(best > 0)
    return {"n": len(pick), "detected": round(hits / len(pick), 3),
            "mean_score": round(float(np.mean(scores)), 3),
            "detected_by_person_px": {f"{k}-{k + 19}": round(float(np.mean(v)), 2)
                                      for k, v in sorted(by_px.items())}}
