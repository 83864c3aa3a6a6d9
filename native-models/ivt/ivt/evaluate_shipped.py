"""Text -> image evaluation of SHIPPED model folders (manifest + ONNX encoders + vocab), run in
onnxruntime-node as the engine runs them, so an old and a new model are compared on the same
path whatever their architecture.

    native-models/py -m ivt.evaluate_shipped --model native-models/ivt-small-synth-v1 \\
        native-models/ivt-osnet-v2 --data synth/work/vtest-eval:test [--json out.json]
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

from tfjs2onnx.ort_bridge import run_onnx

from .data import encode_texts, load_images, load_records
from .evaluate import format_metrics
from .metrics import rank_metrics
from .tokenizer import WordPieceTokenizer, basic_tokenize

CHUNK = 256


def _normalised(images_uint8, mean, std):
    x = images_uint8.float() / 255.0
    return ((x - torch.tensor(mean).view(1, 3, 1, 1)) / torch.tensor(std).view(1, 3, 1, 1)).numpy()


def evaluate_folder(folder, records):
    with open(os.path.join(folder, "manifest.json")) as f:
        man = json.load(f)
    img, txt = man["image"], man["text"]
    tok = WordPieceTokenizer.from_file(os.path.join(folder, man["tokenizer"]["vocab"]))
    image_emb = []
    for s in range(0, len(records), CHUNK):
        pixels = _normalised(load_images(records[s:s + CHUNK], img["height"], img["width"]), img["mean"], img["std"])
        out, _ = run_onnx(os.path.join(folder, img["file"]), {img["input"]: pixels})
        image_emb.append(out[img["output"]])
    queries = [(r.pid, c) for r in records for c in r.captions]
    text_emb = []
    for s in range(0, len(queries), CHUNK):
        ids, mask = encode_texts(tok, [c for _, c in queries[s:s + CHUNK]], txt["maxTokens"])
        out, _ = run_onnx(os.path.join(folder, txt["file"]),
                          {txt["inputs"]["ids"]: ids.numpy(), txt["inputs"]["mask"]: mask.numpy()})
        text_emb.append(out[txt["output"]])
    image_emb = torch.from_numpy(np.concatenate(image_emb))
    text_emb = torch.from_numpy(np.concatenate(text_emb))
    m = rank_metrics(text_emb @ image_emb.t(), torch.tensor([p for p, _ in queries]),
                     torch.tensor([r.pid for r in records]))
    words = sum(len(basic_tokenize(c)) for _, c in queries)
    unknown = sum(len(tok.tokenize(c)[1]) for _, c in queries)
    m.update(queries=len(queries), gallery=len(records), identities=len({r.pid for r in records}),
             unknown_word_pct=100.0 * unknown / max(words, 1), model=f"{man['id']}@{man['version']}")
    return m


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--model", nargs="+", required=True, help="shipped model folders")
    ap.add_argument("--data", nargs="+", required=True, help="FOLDER[:SPLIT] (split default test)")
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    results = {}
    for spec in a.data:
        root, _, split = spec.partition(":")
        records = load_records(root, split or "test")
        for folder in a.model:
            m = evaluate_folder(folder, records)
            results[f"{m['model']} {root}:{split or 'test'}"] = m
            print(format_metrics(f"{m['model']} on {root} [{split or 'test'}]", m), flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    sys.exit(main())
