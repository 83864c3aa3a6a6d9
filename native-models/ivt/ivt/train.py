"""Training: CMPM on sentence pairs, + MLA (phrase/word levels) and BMM (masked pairs).

Each level pairs its text with a differently augmented view of the same image.
The learning-rate schedule follows progress = max(step/steps, elapsed/time budget), so
a time-capped run still anneals fully.
"""
import json
import math
import os
import random
import shutil
import time

import torch

from . import checkpoint
from .batches import ConfusableIdentities, identity_batches, random_batches
from .bmm import mask_patches, mask_tokens
from synth import lexicon

from .data import augment, encode_texts, load_images, load_records, load_training_records
from .evaluate import evaluate, format_metrics
from .features import FeatureViews, PixelViews, features_for
from .losses import IdentityClassifier, cmpm_loss
from .mla import sample_phrase, sample_words
from .model import IVT, config_for
from .tokenizer import WordPieceTokenizer, build_vocab
from .warmstart import warm_start


def _lr(base, progress, warmup=0.05):
    if progress < warmup:
        return base * progress / warmup
    return base * 0.5 * (1 + math.cos(math.pi * min(1.0, (progress - warmup) / (1 - warmup))))


def main(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)

    train = load_training_records(args.data, "train")
    vocab_path = os.path.join(args.out, "vocab.txt")
    if args.vocab:
        shutil.copyfile(args.vocab, vocab_path)
    else:
        # --lexicon-vocab: also every word of the engine's open-vocabulary table (investigator words)
        extra = lexicon.words() if args.lexicon_vocab else []
        build_vocab([c for r in train for c in r.captions] + extra, vocab_path)
    tokenizer = WordPieceTokenizer.from_file(vocab_path)
    cfg = config_for(args.size, vocab_size=len(tokenizer), max_tokens=args.max_tokens,
                     embed_dim=args.embed_dim, depth=args.depth, dim=args.dim,
                     dropout=args.dropout, stem=args.stem,
                     embed_norm=args.embed_norm)
    model = IVT(cfg)
    if args.init:
        # Continue from a trained model (same config and vocab): more training on a later, quieter run.
        blob = torch.load(args.init, map_location="cpu")
        if blob["config"] != cfg.to_dict():
            raise SystemExit(f"--init {args.init}: its config {blob['config']} differs from {cfg.to_dict()}")
        model.load_state_dict(blob["state_dict"])
    if args.warm_start:
        # Start from a shipped model (same transformer size): only the new image stem starts cold.
        print(f"warm start from {args.warm_start}: {warm_start(model, vocab_path, args.warm_start)}", flush=True)
    print(f"config {cfg.to_dict()}  params {sum(p.numel() for p in model.parameters())/1e6:.2f}M",
          flush=True)

    t0 = time.time()
    val = load_records(args.data[0], "val") if args.eval_every else []
    val_features = None
    if args.frozen_backbone:
        # Frozen real-image stem: its feature maps are computed once (cached) and only the
        # projection, transformer and text side train.
        if cfg.stem != "reid" or args.hard_share > 0:
            raise SystemExit("--frozen-backbone needs --size hybrid (stem reid) and no --hard-share")
        model.patch_embed.freeze_backbone()
        cache = args.feature_cache or os.path.join(args.out, "features")
        views = FeatureViews(features_for(model, args.data, "train", cache))
        val_features = features_for(model, args.data[:1], "val", cache) if val else None
        images = None
    else:
        images = load_images(train, cfg.image_height, cfg.image_width)
        views = PixelViews(images, augment)
    n_captions = sum(len(r.captions) for r in train)
    labels = {pid: k for k, pid in enumerate(sorted({r.pid for r in train}))}
    print(f"train: {len(train)} images, {n_captions} captions, {len(labels)} identities "
          f"(loaded in {time.time()-t0:.0f}s)", flush=True)

    params = [p for p in model.parameters() if p.requires_grad]
    id_head = None
    if args.id_loss > 0:
        id_head = IdentityClassifier(cfg.embed_dim, len(labels))
        params += list(id_head.parameters())
    decay = [p for p in params if p.ndim >= 2]
    no_decay = [p for p in params if p.ndim < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=args.lr)
    specials = [tokenizer.cls_id, tokenizer.sep_id, tokenizer.pad_id]

    log = open(os.path.join(args.out, "train_log.jsonl"), "a")
    confusable = ConfusableIdentities(args.hard_k) if args.hard_share > 0 else None
    batches = (identity_batches(train, args.batch, args.per_id, rng, confusable, args.hard_share,
                                args.hard_group) if args.per_id > 1
               else random_batches(train, args.batch, rng))
    step, best = 0, -1.0
    start = time.time()
    budget = args.minutes * 60 if args.minutes else float("inf")
    while True:
        elapsed = time.time() - start
        progress = max(step / args.steps, elapsed / budget)
        if progress >= 1.0:
            break
        lr = _lr(args.lr, progress)
        for g in opt.param_groups:
            g["lr"] = lr
        # A random model confuses everyone alike: mine only once it has learnt something.
        if confusable is not None and step % args.mine_every == 0 and (step or args.init):
            t_mine = time.time()
            confusable.refresh(model, tokenizer, train, images, rng)
            print(f"step {step}: confusable identities refreshed in {time.time()-t_mine:.1f}s",
                  flush=True)
        batch = next(batches)
        idx = torch.tensor([i for i, _ in batch])
        captions = [c for _, c in batch]
        pids = torch.tensor([train[i].pid for i in idx.tolist()])

        model.train()
        ids, mask = encode_texts(tokenizer, captions, cfg.max_tokens)
        img_emb = views.encode(model, views.view(idx, gen))
        # Real queries contain words our vocabulary lacks ([UNK]); the caption vocab never
        # produces [UNK], so teach the model to ignore it by swapping in a few at random.
        unk_ids, _ = mask_tokens(ids, mask, args.unk_rate, tokenizer.unk_id, specials, gen)
        txt_emb = model.encode_text(unk_ids, mask)
        parts = {"sentence": cmpm_loss(img_emb, txt_emb, pids, args.cmpm_scale)}
        if id_head is not None:
            y = torch.tensor([labels[p] for p in pids.tolist()])
            parts["id"] = args.id_loss * id_head(img_emb, txt_emb, y)
        # "all": every auxiliary pair each step (as in the paper). "cycle": one auxiliary
        # pair per step, in turn, which halves the cost per step on a CPU budget.
        aux = [a for a in (("phrase", "word") if args.mla else ()) + (("bmm",) if args.bmm else ())]
        if args.aux_schedule == "cycle" and aux:
            aux = [aux[step % len(aux)]]
        if args.mla:
            for level, pick in (("phrase", sample_phrase), ("word", sample_words)):
                if level not in aux:
                    continue
                texts = [pick(c, rng) for c in captions]
                t_ids, t_mask = encode_texts(tokenizer, texts, cfg.max_tokens)
                parts[level] = args.mla_weight * cmpm_loss(
                    views.encode(model, views.view(idx, gen)), model.encode_text(t_ids, t_mask), pids,
                    args.cmpm_scale)
        if "bmm" in aux:
            patch_mask = mask_patches(len(batch), model.num_patches, args.image_mask_rate, gen)
            m_ids, _ = mask_tokens(ids, mask, args.text_mask_rate, tokenizer.mask_id, specials, gen)
            parts["bmm"] = args.bmm_weight * cmpm_loss(
                views.encode(model, views.view(idx, gen), patch_mask), model.encode_text(m_ids, mask),
                pids, args.cmpm_scale)
        loss = sum(parts.values())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 5.0)
        opt.step()
        step += 1

        if step % args.log_every == 0:
            entry = {"step": step, "elapsed_s": round(time.time() - start, 1), "lr": lr,
                     "loss": round(loss.item(), 4),
                     **{k: round(v.item(), 4) for k, v in parts.items()}}
            print(json.dumps(entry), flush=True)
            log.write(json.dumps(entry) + "\n")
            log.flush()
        if args.eval_every and val and step % args.eval_every == 0:
            m = evaluate(model, tokenizer, val, val_features)
            print(format_metrics(f"step {step} val", m), flush=True)
            log.write(json.dumps({"step": step, "val": m}) + "\n")
            if m["R@1"] > best:
                best = m["R@1"]
                checkpoint.save(os.path.join(args.out, "best.pt"), model, {"step": step, "val": m})

    train_s = time.time() - start
    extra = {"steps": step, "train_seconds": round(train_s, 1), "args": vars(args)}
    checkpoint.save(os.path.join(args.out, "last.pt"), model, extra)
    if val:
        m = evaluate(model, tokenizer, val, val_features)
        print(format_metrics("final val", m), flush=True)
        if m["R@1"] >= best:
            checkpoint.save(os.path.join(args.out, "best.pt"), model, {**extra, "val": m})
    else:
        checkpoint.save(os.path.join(args.out, "best.pt"), model, extra)
    print(f"done: {step} steps in {train_s/60:.1f} min -> {args.out}", flush=True)
