"""Annotation loaders (CUHK-PEDES, ICFG-PEDES, RSTPReid), image cache and augmentation.

All three formats become a list of Record(pid, image, captions, split). Images are read
once, resized (stretch) to the model input and kept as uint8 in memory.
"""
import json
import math
import os
from dataclasses import dataclass

import cv2
import numpy as np
import torch
import torch.nn.functional as F

MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)

# annotation file -> (format name, key of the image path)
FORMATS = {
    "reid_raw.json": ("cuhk-pedes", "file_path"),
    "ICFG-PEDES.json": ("icfg-pedes", "file_path"),
    "data_captions.json": ("rstpreid", "img_path"),
}


@dataclass
class Record:
    pid: int
    image: str  # absolute path
    captions: list
    split: str


def find_annotation(root):
    for name in FORMATS:
        path = os.path.join(root, name)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f"no reid_raw.json / ICFG-PEDES.json / data_captions.json in {root}")


def _resolve_image(root, rel):
    # The official releases keep images under imgs/; accept paths relative to root too.
    for base in (os.path.join(root, "imgs"), root):
        path = os.path.join(base, rel)
        if os.path.exists(path):
            return path
    return os.path.join(root, "imgs", rel)


def load_records(root, split=None):
    """Records of a dataset folder in any of the three formats, optionally one split."""
    path = find_annotation(root)
    _, path_key = FORMATS[os.path.basename(path)]
    with open(path, encoding="utf-8") as fh:
        items = json.load(fh)
    records = []
    for item in items:
        if split is not None and item.get("split") != split:
            continue
        captions = item["captions"]
        if isinstance(captions, str):
            captions = [captions]
        records.append(Record(int(item["id"]), _resolve_image(root, item[path_key]),
                              [c for c in captions if c.strip()], item.get("split", "")))
    return records


def load_training_records(roots, split):
    """Records of one split from several dataset folders. Identity numbers restart in each
    dataset, so each folder's pids are offset to keep its people apart from the others'."""
    records, offset = [], 0
    for root in roots:
        part = load_records(root, split)
        for r in part:
            r.pid += offset
        if part:
            offset = max(r.pid for r in part) + 1
        records.extend(part)
    return records


def read_image(path, height, width):
    """RGB uint8 [3, H, W], stretched to the model input with bilinear resampling, as the
    engine's crop code (electron/engine/vision/crop.ts) does: a twin kept equal by a shared
    fixture (docs/twins.md)."""
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    if bgr is None:
        raise FileNotFoundError(path)
    rgb = cv2.cvtColor(cv2.resize(bgr, (width, height), interpolation=cv2.INTER_LINEAR),
                       cv2.COLOR_BGR2RGB)
    return torch.from_numpy(np.ascontiguousarray(rgb.transpose(2, 0, 1)))


def load_images(records, height, width):
    return torch.stack([read_image(r.image, height, width) for r in records])


def normalise(images_uint8):
    x = images_uint8.float() / 255.0
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    return (x - mean) / std


def augment(images_uint8, generator=None, scale=(0.8, 1.0), jitter=0.2):
    """Differently augmented view per call: horizontal flip, random scaled crop (via an
    affine grid), brightness/contrast jitter. No hue change: colour words must stay true."""
    n = images_uint8.shape[0]
    x = images_uint8.float() / 255.0

    def rand(*shape):
        return torch.rand(*shape, generator=generator)

    s = scale[0] + (scale[1] - scale[0]) * rand(n)
    flip = torch.where(rand(n) < 0.5, -1.0, 1.0)
    tx = (1 - s) * (2 * rand(n) - 1)
    ty = (1 - s) * (2 * rand(n) - 1)
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0] = s * flip
    theta[:, 1, 1] = s
    theta[:, 0, 2] = tx
    theta[:, 1, 2] = ty
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    brightness = 1 + jitter * (2 * rand(n, 1, 1, 1) - 1)
    contrast = 1 + jitter * (2 * rand(n, 1, 1, 1) - 1)
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    x = ((x - mean) * contrast + mean) * brightness
    x = x.clamp(0, 1)
    m = torch.tensor(MEAN).view(1, 3, 1, 1)
    sd = torch.tensor(STD).view(1, 3, 1, 1)
    return (x - m) / sd


def encode_texts(tokenizer, texts, max_tokens):
    """Batch of texts -> (ids, mask) int64 [N, T], T = longest in batch (<= max_tokens)."""
    rows = [tokenizer.encode(t, max_tokens)[:2] for t in texts]
    t = max(sum(m) for _, m in rows)
    ids = torch.tensor([r[0][:t] for r in rows], dtype=torch.long)
    mask = torch.tensor([r[1][:t] for r in rows], dtype=torch.long)
    return ids, mask
