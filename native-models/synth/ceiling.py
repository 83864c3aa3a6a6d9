"""How well can *any* model do on a synthetic split from the captions alone?

Many captions are partial ("a woman in a red jacket"), so several gallery people fit them
equally. This oracle reads each caption back into attribute constraints with the caption
generator's own word tables, ranks the gallery by the number of constraints each person's
true attributes satisfy, and breaks ties at random (expected value). It sees attributes
perfectly, so it estimates the ceiling of text -> person retrieval on the split. It ignores
what a caption leaves out (a full sentence that names no bag hints at "no bag"), so a model
can in principle beat it a little.

    /usr/bin/python3 -m synth.ceiling synth/work/synth-v1:test
"""
import argparse
import json
import os
import re

import numpy as np

from .attributes import COLOUR_WORDS, GARMENT_COLOURS, HAIR_COLOURS
from .captions import (BAG_NOUNS, GLASSES_NOUNS, HAT_NOUNS, LOWER_NOUNS, SHOE_NOUNS, SUBJECTS,
                       SUITCASE_NOUNS, UPPER_NOUNS)

# colour word (incl. synonyms) -> canonical colour
COLOURS = {c: c for c in set(GARMENT_COLOURS) | set(HAIR_COLOURS)}
for canon, words in COLOUR_WORDS.items():
    COLOURS.update({w: canon for w in words})
PATTERNS = ("striped", "plaid")

# noun phrase -> (slot, value or None for "any value of the slot")
NOUNS = {}
for table, slot in ((UPPER_NOUNS, "upper"), (LOWER_NOUNS, "lower"), (BAG_NOUNS, "bag"),
                    (HAT_NOUNS, "hat")):
    for value, words in table.items():
        NOUNS.update({w: (slot, value) for w in words})
NOUNS.update({"bag": ("bag", None), "hat": ("hat", None)})
NOUNS.update({w: ("shoes", None) for w in SHOE_NOUNS})
NOUNS.update({"hair": ("hair", None), "umbrella": ("carrying", "umbrella"),
              "phone": ("carrying", "phone")})
NOUNS.update({w: ("carrying", "suitcase") for w in SUITCASE_NOUNS})
NOUNS.update({w: ("glasses", True) for w in GLASSES_NOUNS})
GENDER = {w: g for g, words in SUBJECTS.items() for w in words}
_PHRASES = sorted(set(NOUNS) | set(COLOURS) | set(GENDER) | {"short", "long", "and", *PATTERNS},
                  key=lambda p: -len(p.split()))


def _tokens(caption):
    """Longest-match phrases of the lexicon, in order; None for each other word."""
    words = re.findall(r"[a-z\-]+", caption.lower())
    out, i = [], 0
    while i < len(words):
        for p in _PHRASES:
            n = len(p.split())
            if words[i:i + n] == p.split():
                out.append(p)
                i += n
                break
        else:
            out.append(None)  # a word outside the lexicon ends a run of modifiers
            i += 1
    return out


def constraints(caption):
    """[(slot, field, value)] that the caption states, e.g. ("upper", "type", "jacket")."""
    out, mods = [], []
    for tok in _tokens(caption):
        if tok is None:
            mods = []  # "a red umbrella" must not colour a later noun
            continue
        if tok == "and":  # "red and white striped shirt": keep the run; else start afresh
            mods = mods + ["and"] if mods else []
            continue
        if tok in GENDER:
            out.append(("gender", "gender", GENDER[tok]))
            mods = []
        elif tok in NOUNS:
            slot, value = NOUNS[tok]
            if value is not None:
                out.append((slot, "type", value))
            elif slot not in ("hair", "shoes"):
                out.append((slot, "type", "any"))
            colours = [COLOURS[m] for m in mods if m in COLOURS]
            pattern = [m for m in mods if m in PATTERNS]
            length = [m for m in mods if m in ("short", "long")]
            if colours:
                out.append((slot, "colour", colours[0]))
            if pattern:
                out.append((slot, "pattern", pattern[0]))
                if len(colours) > 1:
                    out.append((slot, "pattern_colour", colours[1]))
            if length:
                out.append((slot, "length", length[0]))
            mods = []
        else:
            mods.append(tok)
    return out


_FIELDS = {  # (slot, field) -> attribute key
    ("upper", "type"): "upper_type", ("upper", "colour"): "upper_colour",
    ("upper", "pattern"): "upper_pattern", ("upper", "pattern_colour"): "upper_pattern_colour",
    ("lower", "type"): "lower_type", ("lower", "colour"): "lower_colour",
    ("bag", "type"): "bag_type", ("bag", "colour"): "bag_colour",
    ("hat", "type"): "hat", ("hat", "colour"): "hat_colour",
    ("shoes", "colour"): "shoes_colour",
    ("hair", "colour"): "hair_colour", ("hair", "length"): "hair_length",
    ("carrying", "type"): "carrying", ("carrying", "colour"): "carrying_colour",
    ("glasses", "type"): "glasses", ("gender", "gender"): "gender",
}


def satisfies(attributes, constraint):
    slot, field, value = constraint
    actual = attributes[_FIELDS[(slot, field)]]
    if value == "any":
        return actual not in ("none", False)
    return actual == value


def oracle_metrics(records):
    """Expected R@1/R@5 of the attribute oracle (ties broken uniformly at random) and the
    share of captions whose constraints the true person fails (parser check: should be 0)."""
    attrs = [r["attributes"] for r in records]
    pids = np.array([r["id"] for r in records])
    r1, r5, misparsed, n = 0.0, 0.0, 0, 0
    for r in records:
        for caption in r["captions"]:
            cons = constraints(caption)
            score = np.array([sum(satisfies(a, c) for c in cons) for a in attrs])
            truth = pids == r["id"]
            best = score[truth].max()
            if best < len(cons):
                misparsed += 1
            above = int((score > best).sum())
            tied = score == best
            t_true, t_all = int((tied & truth).sum()), int(tied.sum())
            r1 += _hit_probability(above, t_all, t_true, 1)
            r5 += _hit_probability(above, t_all, t_true, 5)
            n += 1
    return {"R@1": 100 * r1 / n, "R@5": 100 * r5 / n, "queries": n,
            "misparsed_%": 100 * misparsed / n}


def _hit_probability(above, tied, tied_true, k):
    """P(at least one true image in the top k) when `above` wrong images outrank the tie
    group and the tie group (tied images, tied_true of them true) is shuffled."""
    slots = k - above
    if slots <= 0:
        return 0.0
    slots = min(slots, tied)
    # P(no true among `slots` draws without replacement from the tie group)
    miss = 1.0
    for i in range(slots):
        miss *= max(0, tied - tied_true - i) / (tied - i)
    return 1.0 - miss


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="+", help="FOLDER[:SPLIT] with reid_raw.json (split default test)")
    for spec in ap.parse_args(argv).data:
        folder, _, split = spec.partition(":")
        with open(os.path.join(folder, "reid_raw.json"), encoding="utf-8") as fh:
            records = [r for r in json.load(fh) if r.get("split") == (split or "test")]
        m = oracle_metrics(records)
        print(json.dumps({"data": spec, **{k: round(v, 2) if isinstance(v, float) else v
                                           for k, v in m.items()}}))


if __name__ == "__main__":
    main()
