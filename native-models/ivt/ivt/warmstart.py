"""Warm start from a shipped IVT folder (its two ONNX encoders + vocab.txt), e.g. 1.2.0.

A hybrid model keeps the shipped transformer's size (dim, depth, heads, 32 image tokens, 256-d
embedding), so everything but the image tokeniser carries over: shared norms/attention, both
FFNs, final norm, projections (+ BatchNorm statistics), [CLS]/positions, and the token
embedding of every word both vocabularies have. A word only the new vocabulary has starts from
the embedding of the caption word the lexicon says it means ("anorak" -> "jacket", "crimson" ->
"red"), else stays random. Trained weights of our own (Apache-2.0), so nothing third-party.

The ONNX exports keep named initializers for norms, biases, positions and projections; each
Linear inside a block is a MatMul with an unnamed, transposed weight, and they come in graph
order (qkv, out, ffn.0, ffn.3 per block) — checked by shape.
"""
import os

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from synth import lexicon

from .tokenizer import load_vocab


def _initializers(path):
    graph = onnx.load(path).graph
    named = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    # MatMul weights in the order the nodes use them
    matmuls = []
    for node in graph.node:
        if node.op_type == "MatMul" and node.input[1] in named and node.input[1].startswith("onnx::"):
            matmuls.append(named[node.input[1]])
    return named, matmuls


def _block_linears(matmuls, depth, dim, hidden, path):
    want = [(dim, 3 * dim), (dim, dim), (dim, hidden), (hidden, dim)] * depth
    got = [m.shape for m in matmuls]
    if got != want:
        raise ValueError(f"{path}: block MatMul weights {got} are not the expected {want}")
    return [torch.from_numpy(m.T.copy()) for m in matmuls]


def warm_start(model, vocab_path, shipped_dir):
    """Copy the shipped model's weights into `model` (a hybrid IVT). Returns counts."""
    cfg = model.cfg
    hidden = int(cfg.dim * cfg.mlp_ratio)
    state = model.state_dict()
    copied = 0

    def put(key, value):
        nonlocal copied
        value = torch.as_tensor(np.array(value))
        if state[key].shape != value.shape:
            raise ValueError(f"{shipped_dir}: {key} has shape {tuple(value.shape)}, the model {tuple(state[key].shape)}")
        state[key] = value.clone()
        copied += 1

    for modality, fname in (("image", "image_encoder.onnx"), ("text", "text_encoder.onnx")):
        path = os.path.join(shipped_dir, fname)
        named, matmuls = _initializers(path)
        linears = _block_linears(matmuls, cfg.depth, cfg.dim, hidden, path)
        for b in range(cfg.depth):
            q, o, f0, f3 = linears[4 * b:4 * b + 4]
            put(f"blocks.{b}.attn.qkv.weight", q)
            put(f"blocks.{b}.attn.out.weight", o)
            put(f"blocks.{b}.ffn.{modality}.0.weight", f0)
            put(f"blocks.{b}.ffn.{modality}.3.weight", f3)
        for name, value in named.items():
            key = name[len("model."):] if name.startswith("model.") else None
            if key is None or key == "token_embed.weight" or key.startswith("patch_embed"):
                continue
            if key in state:
                put(key, value)
        if modality == "text":
            old_embed = named["model.token_embed.weight"]
    # Token embeddings by word.
    old_vocab = load_vocab(os.path.join(shipped_dir, "vocab.txt"))
    new_vocab = load_vocab(vocab_path)
    embed = state["token_embed.weight"].clone()
    meaning = {w: base for base, words in lexicon.synonyms().items() for w in words}
    same = by_meaning = 0
    for word, i in new_vocab.items():
        if word in old_vocab:
            embed[i] = torch.from_numpy(old_embed[old_vocab[word]])
            same += 1
        elif meaning.get(word) in old_vocab:
            embed[i] = torch.from_numpy(old_embed[old_vocab[meaning[word]]])
            by_meaning += 1
    state["token_embed.weight"] = embed
    model.load_state_dict(state)
    return {"tensors": copied, "words_same": same, "words_by_meaning": by_meaning,
            "words_new": len(new_vocab) - same - by_meaning}
