"""NumPy NanoDet (GFL) decoding + NMS, used by the quality check scripts. Twin of the app's
decoder, electron/engine/vision/detector-decode.ts: docs/twins.md, kept equal by a shared fixture."""
from __future__ import annotations

import numpy as np


def decode(cls_by_stride, reg_by_stride, strides, reg_max, input_size, cls_id=0, thr=0.35, center_offset=0.5):
    """Returns boxes [K,4] x1,y1,x2,y2 in input pixels and scores [K]."""
    boxes, scores = [], []
    bins = np.arange(reg_max + 1, dtype=np.float32)
    for cls, reg, s in zip(cls_by_stride, reg_by_stride, strides):
        side = -(-input_size // s)  # ceil, as the network pads: the grid detector-decode.ts uses
        sc = cls[:, cls_id]
        keep = np.nonzero(sc > thr)[0]
        if keep.size == 0:
            continue
        r = reg[keep].reshape(-1, 4, reg_max + 1).astype(np.float64)
        r = np.exp(r - r.max(axis=2, keepdims=True))
        r /= r.sum(axis=2, keepdims=True)
        dist = (r * bins).sum(axis=2) * s  # l, t, r, b
        cx = (keep % side + center_offset) * s
        cy = (keep // side + center_offset) * s
        boxes.append(np.stack([cx - dist[:, 0], cy - dist[:, 1], cx + dist[:, 2], cy + dist[:, 3]], 1))
        scores.append(sc[keep])
    if not boxes:
        return np.zeros((0, 4)), np.zeros((0,))
    return np.concatenate(boxes), np.concatenate(scores)


def nms(boxes, scores, iou=0.5):
    order = np.argsort(-scores, kind="stable")
    keep = []
    while order.size:
        i = order[0]
        keep.append(i)
        xx1 = np.maximum(boxes[i, 0], boxes[order[1:], 0])
        yy1 = np.maximum(boxes[i, 1], boxes[order[1:], 1])
        xx2 = np.minimum(boxes[i, 2], boxes[order[1:], 2])
        yy2 = np.minimum(boxes[i, 3], boxes[order[1:], 3])
        inter = np.clip(xx2 - xx1, 0, None) * np.clip(yy2 - yy1, 0, None)
        area = lambda b: (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])
        ov = inter / (area(boxes[i]) + area(boxes[order[1:]]) - inter + 1e-9)
        order = order[1:][ov <= iou]
    return np.array(keep, dtype=np.int64)
