"""The real-image stem of IVT 2.0: the vendored person ReID network (OmniScaleNet-style,
Open Model Zoo person-reidentification-retail-0288, trained on real pedestrians) read from its
OpenVINO IR by our own reader (ir2onnx.ir2torch), cut before its global pooling.

pixels (RGB, ImageNet-normalised, as every IVT image input) -> BGR 0-255 (what the OpenVINO network
takes) -> [N, 128, 16, 8] feature map -> 2x2 average pool -> [N, 128, 8, 4] ("features", what a
frozen-backbone run caches) -> BatchNorm + 1x1 conv to the transformer width ("project") -> patch
tokens. Pooling before the 1x1 projection equals pooling after it (both linear), so cached pooled
features give exactly the tokens the full model computes from pixels.
"""
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

from ir2onnx.ir2torch import from_ir

from .data import MEAN, STD

NATIVE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BACKBONE_ID = "person-reidentification-retail-0288"
BACKBONE_XML = os.path.join(NATIVE, BACKBONE_ID, "source", f"{BACKBONE_ID}.xml")
# The ReLU after the last 1x1 conv, input of the global depthwise pooling ("GDConv"): 128 x 16 x 8.
FEATURE_LAYER = "1126"
CHANNELS = 128
BACKBONE_STRIDE = 16


class ReidStem(nn.Module):
    def __init__(self, dim, patch):
        super().__init__()
        if patch % BACKBONE_STRIDE:
            raise ValueError(f"patch {patch} must be a multiple of the backbone stride {BACKBONE_STRIDE}")
        self.pool = patch // BACKBONE_STRIDE
        self.backbone = from_ir(BACKBONE_XML, tap=FEATURE_LAYER)
        self.norm = nn.BatchNorm2d(CHANNELS)
        self.proj = nn.Conv2d(CHANNELS, dim, 1)
        self.register_buffer("mean", torch.tensor(MEAN).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(STD).view(1, 3, 1, 1), persistent=False)

    def features(self, pixels):
        """Normalised RGB -> pooled backbone feature map [N, 128, H/patch, W/patch]."""
        bgr = ((pixels * self.std + self.mean) * 255.0).flip(1)
        fmap = self.backbone(bgr)
        return F.avg_pool2d(fmap, self.pool) if self.pool > 1 else fmap

    def project(self, features):
        return self.proj(self.norm(features))

    def forward(self, pixels):
        return self.project(self.features(pixels))

    def freeze_backbone(self, frozen=True):
        for p in self.backbone.parameters():
            p.requires_grad_(not frozen)


class FeatureExtractor(nn.Module):
    """Export wrapper for caching: pixel_values -> pooled feature map (the frozen part)."""

    def __init__(self, stem):
        super().__init__()
        self.stem = stem

    def forward(self, pixel_values):
        return self.stem.features(pixel_values)
