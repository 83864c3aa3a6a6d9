"""Regenerate the committed test fixtures (from anywhere: native-models/py native-models/ivt/tests/make_fixtures.py):

  test/fixtures/ivt/{cuhk-pedes,icfg-pedes,rstpreid}/  tiny datasets, one per format
  test/fixtures/ivt/vocab-mini.txt                      BERT-style vocab with ## pieces
  test/fixtures/tokenizer-cases.json                    Python tokenizer output for the TS twin
"""
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))

from ivt.standin import write_standin
from ivt.tokenizer import SPECIALS, WordPieceTokenizer, load_vocab

FIXTURES = os.path.join(REPO, "test", "fixtures", "ivt")

# Words plus '##' continuations, like bert-base-uncased, so greedy longest-match is exercised.
MINI_VOCAB = SPECIALS + """a an the in with and of on , . - ' ! ? $ ( ) : / 1 2 5 0
woman man person red black blue white dark jacket back pack backpack bag hand shoe
wear wearing carry carrying long short hair sleeve sleeves jean jeans t shirt cafe
naive 東 京 ##s ##ing ##ed ##er ##pack ##bag ##y ##ly ##i ##e ##a ##k ##c ##t ##h ##o""".split()

SENTENCES = [
    "woman in a red jacket with a black backpack",
    "A Man wearing BLUE jeans, carrying a handbag.",
    "The woman's hair is long; she wears a dark-blue t-shirt!",
    "Café  naïve\tperson   with\nshoes",
    "person in 東京 with a bag (red)",
    "unknownword zebra xylophone backpacks",
    "",
    "   ",
    "red" + " red" * 80,
    "a" * 120 + " jacket",
    "price $5/2 and 10:00 o'clock",
    "he is wearing a shirt\u00a0and\u200bshorts",
    "ÉLÉPHANT Ñandú ŒUVRE",
    "emoji 😀 backpack",
    "carry carrying carried carrier",
]


def write_datasets():
    for fmt in ("cuhk-pedes", "icfg-pedes", "rstpreid"):
        root = os.path.join(FIXTURES, fmt)
        shutil.rmtree(root, ignore_errors=True)
        write_standin(root, fmt, ids=(3, 1, 2), images_per_id=2, seed=7, height=32, width=16)


def write_tokenizer_cases():
    vocab_path = os.path.join(FIXTURES, "vocab-mini.txt")
    with open(vocab_path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(MINI_VOCAB) + "\n")
    tok = WordPieceTokenizer(load_vocab(vocab_path))
    cases = []
    for text in SENTENCES:
        for max_tokens in (16, 64):
            ids, mask, unknown = tok.encode(text, max_tokens)
            cases.append({"text": text, "maxTokens": max_tokens, "ids": ids, "mask": mask,
                          "unknownWords": unknown})
    out = os.path.join(REPO, "test", "fixtures", "tokenizer-cases.json")
    with open(out, "w", encoding="utf-8") as fh:
        # One case per line keeps diffs readable.
        fh.write('{"vocab": "test/fixtures/ivt/vocab-mini.txt", "cases": [\n')
        fh.write(",\n".join(json.dumps(c, ensure_ascii=False) for c in cases))
        fh.write("\n]}\n")


if __name__ == "__main__":
    os.makedirs(FIXTURES, exist_ok=True)
    write_datasets()
    write_tokenizer_cases()
    print("fixtures written under", FIXTURES)
