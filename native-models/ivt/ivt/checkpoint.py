"""Save / load a trained IVT (config + weights + vocab path)."""
import os

import torch

from .model import IVT, IVTConfig
from .tokenizer import WordPieceTokenizer


def save(path, model, extra=None):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    torch.save({"config": model.cfg.to_dict(), "state_dict": model.state_dict(),
                "extra": extra or {}}, path)


def load(path):
    """Returns (model in eval mode, tokenizer, extra). vocab.txt sits beside the checkpoint."""
    blob = torch.load(path, map_location="cpu")
    model = IVT(IVTConfig(**blob["config"]))
    model.load_state_dict(blob["state_dict"])
    model.eval()
    tokenizer = WordPieceTokenizer.from_file(os.path.join(os.path.dirname(path), "vocab.txt"))
    return model, tokenizer, blob.get("extra", {})
