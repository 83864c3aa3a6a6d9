"""Export-parity fixture: a seeded random-init tiny IVT exported to ONNX, plus fixed inputs
and the PyTorch embeddings for them, written to one folder for the Node parity test
(test/integration/ivt-export-parity.test.ts runs onnxruntime-node on the same inputs).

  native-models/py -m ivt.parity OUT_DIR [tiny|hybrid]

"hybrid" is the IVT 2.0 layout (the ReID backbone read from its IR as the image stem, 256x128
input) with a small vocabulary: it checks that the backbone's graph exports with a dynamic batch.
"""
import json
import os
import sys

import torch

from .export import export_onnx
from .model import IVT, ImageEncoder, TextEncoder, config_for


def write_parity_fixture(out_dir, seed=0, size="tiny"):
    torch.manual_seed(seed)
    model = IVT(config_for(size, vocab_size=64, max_tokens=16))
    cfg = model.cfg
    # A few train-mode passes give the BatchNorm layers non-trivial running statistics,
    # so the exported graph's normalisation is really exercised.
    with torch.no_grad():
        for _ in range(3):
            model.encode_image(torch.randn(8, 3, cfg.image_height, cfg.image_width) * 2 + 0.5)
            model.encode_text(torch.randint(5, cfg.vocab_size, (8, 10)), torch.ones(8, 10, dtype=torch.long))
    model.eval()
    export_onnx(model, out_dir)
    pixels = torch.randn(3, 3, cfg.image_height, cfg.image_width)
    ids = torch.randint(5, cfg.vocab_size, (3, cfg.max_tokens))
    mask = torch.ones_like(ids)
    for row, length in enumerate((cfg.max_tokens, 7, 3)):  # full, half-padded, short
        ids[row, 0], ids[row, length - 1] = 2, 3
        ids[row, length:], mask[row, length:] = 0, 0
    with torch.no_grad():
        image_emb = ImageEncoder(model)(pixels)
        text_emb = TextEncoder(model)(ids, mask)
    fixture = {
        "config": cfg.to_dict(),
        "pixel_values": {"shape": list(pixels.shape), "data": pixels.flatten().tolist()},
        "input_ids": {"shape": list(ids.shape), "data": ids.flatten().tolist()},
        "attention_mask": {"shape": list(mask.shape), "data": mask.flatten().tolist()},
        "image_embedding": image_emb.tolist(),
        "text_embedding": text_emb.tolist(),
    }
    with open(os.path.join(out_dir, "parity.json"), "w") as fh:
        json.dump(fixture, fh)
    return fixture


if __name__ == "__main__":
    write_parity_fixture(sys.argv[1], size=sys.argv[2] if len(sys.argv) > 2 else "tiny")
    print("parity fixture written to", sys.argv[1])
