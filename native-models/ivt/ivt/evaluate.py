"""Text -> image evaluation of a checkpoint on one split of a dataset folder."""
import json

import torch
import torch.nn.functional as F

from . import checkpoint
from .data import encode_texts, load_images, load_records, normalise
from .metrics import rank_metrics
from .tokenizer import basic_tokenize


@torch.no_grad()
def embed_split(model, tokenizer, records, batch=128, features=None):
    """features: the records' cached backbone feature maps (frozen hybrid), instead of pixels."""
    cfg = model.cfg
    if features is not None:
        image_emb = torch.cat([F.normalize(model.encode_image_features(features[i:i + batch].float()), dim=1)
                               for i in range(0, len(features), batch)])
    else:
        images = load_images(records, cfg.image_height, cfg.image_width)
        image_emb = torch.cat([F.normalize(model.encode_image(normalise(images[i:i + batch])), dim=1)
                               for i in range(0, len(images), batch)])
    queries = [(r.pid, c) for r in records for c in r.captions]
    text_emb = []
    for i in range(0, len(queries), batch):
        ids, mask = encode_texts(tokenizer, [c for _, c in queries[i:i + batch]], cfg.max_tokens)
        text_emb.append(F.normalize(model.encode_text(ids, mask), dim=1))
    return (image_emb, torch.tensor([r.pid for r in records]),
            torch.cat(text_emb), torch.tensor([p for p, _ in queries]))


def evaluate(model, tokenizer, records, features=None):
    model.eval()
    image_emb, gallery_pids, text_emb, query_pids = embed_split(model, tokenizer, records, features=features)
    metrics = rank_metrics(text_emb @ image_emb.t(), query_pids, gallery_pids)
    metrics.update(queries=len(query_pids), gallery=len(gallery_pids),
                   identities=len(set(gallery_pids.tolist())))
    # Share of query words the vocabulary cannot spell (they become [UNK] and carry nothing).
    words = unknown = 0
    for r in records:
        for c in r.captions:
            n_unknown = len(tokenizer.tokenize(c)[1])
            unknown += n_unknown
            words += len(basic_tokenize(c))
    metrics["unknown_word_pct"] = 100.0 * unknown / max(words, 1)
    return metrics


def format_metrics(name, m):
    return (f"{name}: R@1 {m['R@1']:.2f}  R@5 {m['R@5']:.2f}  R@10 {m['R@10']:.2f}  "
            f"mAP {m['mAP']:.2f}  ({m['queries']} queries, {m['gallery']} images, "
            f"{m['identities']} identities, {m['unknown_word_pct']:.1f}% unknown words)")


def main(args):
    torch.set_num_threads(args.threads)
    model, tokenizer, _ = checkpoint.load(args.checkpoint)
    results = {}
    for spec in args.data:
        root, _, split = spec.partition(":")
        split = split or "test"
        records = load_records(root, split)
        m = evaluate(model, tokenizer, records)
        results[f"{root}:{split}"] = m
        print(format_metrics(f"{root} [{split}]", m), flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=2)
