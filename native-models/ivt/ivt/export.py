"""Export a checkpoint to the shipped folder: two ONNX encoders, vocab, manifest, LICENSE."""
import json
import os
import shutil

import onnx
import torch

from . import checkpoint
from .files import sha256
from .data import MEAN, STD
from .model import ImageEncoder, TextEncoder

OPSET = 17
HERE = os.path.dirname(os.path.abspath(__file__))




def export_onnx(model, out_dir):
    """Write image_encoder.onnx and text_encoder.onnx (dynamic batch, checked)."""
    model.eval()
    cfg = model.cfg
    os.makedirs(out_dir, exist_ok=True)
    image_path = os.path.join(out_dir, "image_encoder.onnx")
    text_path = os.path.join(out_dir, "text_encoder.onnx")
    pixels = torch.randn(2, 3, cfg.image_height, cfg.image_width)
    torch.onnx.export(ImageEncoder(model).eval(), (pixels,), image_path, opset_version=OPSET,
                      input_names=["pixel_values"], output_names=["embedding"],
                      dynamic_axes={"pixel_values": {0: "batch"}, "embedding": {0: "batch"}},
                      do_constant_folding=True)
    ids = torch.randint(5, cfg.vocab_size, (2, cfg.max_tokens))
    mask = torch.ones(2, cfg.max_tokens, dtype=torch.long)
    mask[1, cfg.max_tokens // 2:] = 0
    torch.onnx.export(TextEncoder(model).eval(), (ids, mask), text_path, opset_version=OPSET,
                      input_names=["input_ids", "attention_mask"], output_names=["embedding"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                    "attention_mask": {0: "batch", 1: "tokens"},
                                    "embedding": {0: "batch"}},
                      do_constant_folding=True)
    # export restores the wrappers' train flag afterwards; keep the model in eval mode
    # (BatchNorm would otherwise use batch statistics).
    model.eval()
    for path in (image_path, text_path):
        onnx.checker.check_model(onnx.load(path))
    return image_path, text_path


def write_manifest(out_dir, cfg, model_id, version, description):
    files = {name: sha256(os.path.join(out_dir, name))
             for name in ("image_encoder.onnx", "text_encoder.onnx", "vocab.txt")}
    manifest = {
        "kind": "ivt", "id": model_id, "version": version, "description": description,
        "license": "Apache-2.0", "embeddingDim": cfg.embed_dim,
        "image": {"file": "image_encoder.onnx", "input": "pixel_values", "output": "embedding",
                  "height": cfg.image_height, "width": cfg.image_width,
                  "mean": list(MEAN), "std": list(STD)},
        "text": {"file": "text_encoder.onnx",
                 "inputs": {"ids": "input_ids", "mask": "attention_mask"},
                 "output": "embedding", "maxTokens": cfg.max_tokens},
        "tokenizer": {"type": "wordpiece", "vocab": "vocab.txt", "lowercase": True,
                      "cls": "[CLS]", "sep": "[SEP]", "pad": "[PAD]", "unk": "[UNK]",
                      "mask": "[MASK]"},
        "files": files,
    }
    with open(os.path.join(out_dir, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=2)
        fh.write("\n")
    return manifest


def main(args):
    model, _, _ = checkpoint.load(args.checkpoint)
    export_onnx(model, args.out)
    shutil.copyfile(os.path.join(os.path.dirname(args.checkpoint), "vocab.txt"),
                    os.path.join(args.out, "vocab.txt"))
    shutil.copyfile(os.path.join(HERE, "..", args.license), os.path.join(args.out, "LICENSE"))
    manifest = write_manifest(args.out, model.cfg, args.id, args.version, args.description)
    print(json.dumps(manifest, indent=2))
