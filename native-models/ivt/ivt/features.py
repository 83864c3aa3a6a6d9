"""Frozen-backbone training: the backbone's pooled feature maps, computed once per image and
cached, so each training step runs only the projection, the transformer and the text side.

The frozen part (backbone.FeatureExtractor) is exported to ONNX and run in onnxruntime-node
(this machine has no Python onnxruntime; PyTorch on CPU runs this network ~20x slower), in
chunks; the first chunk is checked against PyTorch. Cache: <dir>/<key>.npy (float16,
[N, 128, 8, 4]) + <key>.json (image paths, backbone), reused while the image list is the same.
"""
import hashlib
import json
import os
import tempfile

import numpy as np
import torch

from tfjs2onnx.ort_bridge import run_onnx

from .backbone import BACKBONE_ID, FeatureExtractor
from .data import load_images, load_records, normalise

CHUNK = 256


def _paths(records):
    return [os.path.abspath(r.image) for r in records]


def _key(records):
    h = hashlib.sha256()
    for p in _paths(records):
        h.update(p.encode() + b"\n")
    return h.hexdigest()[:16]


def export_extractor(stem, path, height, width):
    x = torch.zeros(2, 3, height, width)
    torch.onnx.export(FeatureExtractor(stem).eval(), (x,), path, opset_version=13,
                      input_names=["pixel_values"], output_names=["features"],
                      dynamic_axes={"pixel_values": {0: "batch"}, "features": {0: "batch"}})


def cached_features(model, records, cache_dir, log=print):
    """float16 tensor [N, C, h, w] of model.patch_embed.features for each record's image."""
    cfg = model.cfg
    if not records:
        return None
    os.makedirs(cache_dir, exist_ok=True)
    key = _key(records)
    npy, meta = os.path.join(cache_dir, f"{key}.npy"), os.path.join(cache_dir, f"{key}.json")
    if os.path.exists(npy) and os.path.exists(meta):
        with open(meta) as f:
            m = json.load(f)
        if m["images"] == _paths(records) and m["backbone"] == BACKBONE_ID:
            return torch.from_numpy(np.load(npy))
    stem = model.patch_embed
    out = None
    with tempfile.TemporaryDirectory() as d:
        onnx_path = os.path.join(d, "extractor.onnx")
        export_extractor(stem, onnx_path, cfg.image_height, cfg.image_width)
        for s in range(0, len(records), CHUNK):
            pixels = normalise(load_images(records[s:s + CHUNK], cfg.image_height, cfg.image_width))
            feats = run_onnx(onnx_path, {"pixel_values": pixels.numpy()})[0]["features"]
            if out is None:
                out = np.empty((len(records),) + feats.shape[1:], np.float16)
                with torch.no_grad():
                    ref = stem.eval().features(pixels[:4]).numpy()
                diff = float(np.abs(ref - feats[:4]).max())
                if diff > 1e-3 * max(1.0, float(np.abs(ref).max())):
                    raise RuntimeError(f"feature extractor ONNX differs from PyTorch by {diff}")
            out[s:s + len(feats)] = feats.astype(np.float16)
            log(f"features {min(s + CHUNK, len(records))}/{len(records)}")
    np.save(npy, out)
    with open(meta, "w") as f:
        json.dump({"backbone": BACKBONE_ID, "images": _paths(records)}, f)
    return torch.from_numpy(out)


def features_for(model, roots, split, cache_dir, log=print):
    """Features of one split of several dataset folders, in load_training_records order; cached
    per folder (adding a folder to a run does not recompute the others)."""
    parts = [cached_features(model, load_records(root, split), cache_dir, log) for root in roots]
    parts = [p for p in parts if p is not None and len(p)]
    return torch.cat(parts) if parts else None


class PixelViews:
    """Images as pixels: each view is a fresh augmentation (flip, scaled crop, jitter)."""

    def __init__(self, images, augment):
        self.images, self.augment = images, augment

    def view(self, idx, gen):
        return self.augment(self.images[idx], gen)

    @staticmethod
    def encode(model, view, patch_mask=None):
        return model.encode_image(view, patch_mask)


class FeatureViews:
    """Cached feature maps: a view is a random horizontal flip of the map (a flipped crop's map
    is close to the flipped map) and a little channel dropout; colour stays untouched."""

    def __init__(self, features, drop=0.1):
        self.features, self.drop = features, drop

    def view(self, idx, gen):
        f = self.features[idx].float()
        flip = torch.rand(len(idx), generator=gen) < 0.5
        f = torch.where(flip.view(-1, 1, 1, 1), f.flip(-1), f)
        if self.drop:
            keep = (torch.rand(f.shape[0], f.shape[1], 1, 1, generator=gen) >= self.drop).float()
            f = f * keep / (1 - self.drop)
        return f

    @staticmethod
    def encode(model, view, patch_mask=None):
        return model.encode_image_features(view, patch_mask)
