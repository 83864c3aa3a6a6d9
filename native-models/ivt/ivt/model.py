"""IVT: one transformer for both modalities.

Every block shares its LayerNorms and multi-head self-attention between image and
text; only the feed-forward layer is modality-specific (ffn["image"] / ffn["text"]).
[CLS] outputs are projected into the joint embedding space.
"""
import math
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn
import torch.nn.functional as F

MODALITIES = ("image", "text")


@dataclass
class IVTConfig:
    dim: int = 192
    depth: int = 4
    heads: int = 4
    mlp_ratio: float = 4.0
    image_height: int = 128
    image_width: int = 64
    patch: int = 16
    vocab_size: int = 1000
    max_tokens: int = 64
    embed_dim: int = 256
    dropout: float = 0.0
    stem: str = "patch"  # "patch": ViT linear patch embedding; "conv": small conv stem;
    # "reid": a vendored real-image network read from its OpenVINO IR (backbone.py)
    embed_norm: str = "none"  # "bn": BatchNorm on each modality's projected embedding


    def to_dict(self):
        return asdict(self)


SIZES = {
    # ViT-Base-like, as in the paper (384x128 input).
    "paper": dict(dim=768, depth=12, heads=12, image_height=384, image_width=128, patch=16),
    # Shipped default: trains on 2 shared CPU cores in < 40 min (dim 192 measured 2x slower).
    "small": dict(dim=128, depth=4, heads=4, image_height=128, image_width=64, patch=16,
                  stem="conv", embed_norm="bn"),
    # IVT 2.0: the 0288 ReID network's 16x8 feature map, pooled to 8x4, as the 32 patch tokens
    # of the small transformer (256x128 input, as the backbone was trained on).
    "hybrid": dict(dim=128, depth=4, heads=4, image_height=256, image_width=128, patch=32,
                   stem="reid", embed_norm="bn"),
    # For export-parity and unit tests.
    "tiny": dict(dim=32, depth=2, heads=2, image_height=32, image_width=16, patch=8,
                 embed_dim=16, max_tokens=16, stem="conv", embed_norm="bn"),
}


def config_for(size, **overrides):
    values = dict(SIZES[size])
    values.update({k: v for k, v in overrides.items() if v is not None})
    return IVTConfig(**values)


def conv_stem(dim, patch):
    """Stride-2 3x3 convs down to the same patch grid as the ViT patch embedding ("early
    convolutions", Xiao et al. 2021): same tokens, much faster training from scratch."""
    steps = int(math.log2(patch))
    assert 2 ** steps == patch
    layers, c_in = [], 3
    for k in range(steps):
        c_out = max(16, dim // 2 ** (steps - 1 - k))
        layers += [nn.Conv2d(c_in, c_out, 3, stride=2, padding=1, bias=False),
                   nn.BatchNorm2d(c_out), nn.ReLU(inplace=True)]
        c_in = c_out
    layers.append(nn.Conv2d(c_in, dim, 1))
    return nn.Sequential(*layers)


class SelfAttention(nn.Module):
    """Plain multi-head attention written out so ONNX export is a simple graph."""

    def __init__(self, dim, heads, dropout=0.0):
        super().__init__()
        assert dim % heads == 0
        self.heads = heads
        self.qkv = nn.Linear(dim, dim * 3)
        self.out = nn.Linear(dim, dim)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, key_bias=None):
        n, t, d = x.shape
        qkv = self.qkv(x).reshape(n, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(d // self.heads))
        if key_bias is not None:  # [N, 1, 1, T]: 0 for real tokens, large negative for padding
            scores = scores + key_bias
        attn = self.drop(scores.softmax(dim=-1))
        return self.out((attn @ v).transpose(1, 2).reshape(n, t, d))


class FeedForward(nn.Sequential):
    def __init__(self, dim, hidden, dropout=0.0):
        super().__init__(nn.Linear(dim, hidden), nn.GELU(), nn.Dropout(dropout),
                         nn.Linear(hidden, dim), nn.Dropout(dropout))


class SharedBlock(nn.Module):
    """Pre-norm block: shared norm1/attn/norm2, per-modality FFN."""

    def __init__(self, dim, heads, mlp_ratio, dropout=0.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = SelfAttention(dim, heads, dropout)
        self.norm2 = nn.LayerNorm(dim)
        hidden = int(dim * mlp_ratio)
        self.ffn = nn.ModuleDict({m: FeedForward(dim, hidden, dropout) for m in MODALITIES})

    def forward(self, x, modality, key_bias=None):
        x = x + self.attn(self.norm1(x), key_bias)
        return x + self.ffn[modality](self.norm2(x))


class IVT(nn.Module):
    def __init__(self, cfg: IVTConfig):
        super().__init__()
        self.cfg = cfg
        d = cfg.dim
        grid = (cfg.image_height // cfg.patch, cfg.image_width // cfg.patch)
        self.num_patches = grid[0] * grid[1]
        # Image embedding: ViT patches + [CLS] + learned positions.
        if cfg.stem == "reid":
            from .backbone import ReidStem  # reads the vendored IR: only hybrid models need it
            self.patch_embed = ReidStem(d, cfg.patch)
        elif cfg.stem == "conv":
            self.patch_embed = conv_stem(d, cfg.patch)
        else:
            self.patch_embed = nn.Conv2d(3, d, kernel_size=cfg.patch, stride=cfg.patch)
        self.image_cls = nn.Parameter(torch.zeros(1, 1, d))
        self.image_pos = nn.Parameter(torch.zeros(1, self.num_patches + 1, d))
        self.image_mask_token = nn.Parameter(torch.zeros(1, 1, d))  # BMM: replaces masked patches
        # Text embedding: WordPiece ids ([CLS] first) + learned positions.
        self.token_embed = nn.Embedding(cfg.vocab_size, d)
        self.text_pos = nn.Parameter(torch.zeros(1, cfg.max_tokens, d))
        self.drop = nn.Dropout(cfg.dropout)
        self.blocks = nn.ModuleList(SharedBlock(d, cfg.heads, cfg.mlp_ratio, cfg.dropout)
                                    for _ in range(cfg.depth))
        self.norm = nn.LayerNorm(d)  # shared final norm
        self.image_proj = nn.Linear(d, cfg.embed_dim)
        self.text_proj = nn.Linear(d, cfg.embed_dim)
        # BN on the embedding removes the component all samples share at initialisation
        # (every [CLS] starts out nearly identical), so CMPM sees informative similarities
        # from the first step instead of sitting on its uniform plateau.
        if cfg.embed_norm == "bn":
            self.image_proj = nn.Sequential(self.image_proj, nn.BatchNorm1d(cfg.embed_dim))
            self.text_proj = nn.Sequential(self.text_proj, nn.BatchNorm1d(cfg.embed_dim))
        self._init_weights()

    def _init_weights(self):
        for p in (self.image_cls, self.image_pos, self.image_mask_token, self.text_pos):
            nn.init.trunc_normal_(p, std=0.02)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Embedding):
                nn.init.trunc_normal_(m.weight, std=0.02)
            elif isinstance(m, nn.LayerNorm):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def _encode(self, x, modality, key_bias=None):
        x = self.drop(x)
        for block in self.blocks:
            x = block(x, modality, key_bias)
        return self.norm(x[:, 0])

    def encode_image(self, pixels, patch_mask=None):
        """pixels [N,3,H,W] normalised; patch_mask [N,P] bool (True = masked). Unnormalised."""
        return self._encode_patches(self.patch_embed(pixels), patch_mask)

    def encode_image_features(self, features, patch_mask=None):
        """Hybrid models with a frozen backbone: its cached, pooled feature maps
        (ReidStem.features) instead of pixels. Same result as encode_image on the pixels."""
        return self._encode_patches(self.patch_embed.project(features), patch_mask)

    def _encode_patches(self, x, patch_mask=None):
        x = x.flatten(2).transpose(1, 2)
        if patch_mask is not None:
            m = patch_mask.unsqueeze(-1).to(x.dtype)
            x = x * (1 - m) + self.image_mask_token * m
        cls = self.image_cls.expand(x.shape[0], -1, -1)
        x = torch.cat([cls, x], dim=1) + self.image_pos
        return self.image_proj(self._encode(x, "image"))

    def encode_text(self, ids, mask):
        """ids/mask [N,T] int64, T <= max_tokens. Returns unnormalised embedding."""
        t = ids.shape[1]
        x = self.token_embed(ids) + self.text_pos[:, :t]
        key_bias = (1.0 - mask.to(x.dtype))[:, None, None, :] * -1e4
        return self.text_proj(self._encode(x, "text", key_bias))


class ImageEncoder(nn.Module):
    """Export wrapper: pixel_values -> L2-normalised embedding."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, pixel_values):
        return F.normalize(self.model.encode_image(pixel_values), dim=-1)


class TextEncoder(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        return F.normalize(self.model.encode_text(input_ids, attention_mask), dim=-1)
