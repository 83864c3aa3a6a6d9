"""Where does a trained IVT go wrong on a synthetic split? For every query whose top-ranked
image shows someone else, list which of the caption's stated attributes that person lacks
(read back with synth.ceiling). Tells whether errors are colour, garment type, gender, ...

    ./py -m synth.confusions --checkpoint ivt/work/RUN/best.pt synth/work/synth-v1:test
"""
import argparse
import collections
import json
import os

import torch

from .ceiling import constraints, satisfies

from ivt import checkpoint
from ivt.data import load_records
from ivt.evaluate import embed_split


def confusions(model, tokenizer, folder, split):
    records = load_records(folder, split)
    with open(os.path.join(folder, "reid_raw.json"), encoding="utf-8") as fh:
        by_path = {os.path.normpath(os.path.join(folder, r["file_path"])): r["attributes"]
                   for r in json.load(fh) if r.get("split") == split}
    attrs = [by_path[os.path.normpath(r.image)] for r in records]
    image_emb, gallery_pids, text_emb, query_pids = embed_split(model, tokenizer, records)
    top = (text_emb @ image_emb.t()).argmax(dim=1).tolist()
    captions = [c for r in records for c in r.captions]
    wrong, errors = collections.Counter(), 0
    for q, caption in enumerate(captions):
        if gallery_pids[top[q]] != query_pids[q]:
            errors += 1
            wrong.update(c[:2] for c in constraints(caption) if not satisfies(attrs[top[q]], c))
    return errors, len(captions), wrong


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("data", nargs="+", help="FOLDER[:SPLIT] with reid_raw.json (split default test)")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    model, tokenizer, _ = checkpoint.load(args.checkpoint)
    for spec in args.data:
        folder, _, split = spec.partition(":")
        errors, n, wrong = confusions(model, tokenizer, folder, split or "test")
        print(f"{spec}: {errors} of {n} queries rank someone else first")
        print("| stated attribute | errors where the top person lacks it | share of errors |")
        print("| --- | --- | --- |")
        for (slot, field), k in wrong.most_common():
            name = slot if slot == field else f"{slot} {field.replace('_', ' ')}"
            print(f"| {name} | {k} | {100 * k / max(errors, 1):.1f} % |")


if __name__ == "__main__":
    main()
