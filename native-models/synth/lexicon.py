"""Investigator words for captions: the engine's open-vocabulary table
(electron/engine/query/lexicon.json: WordNet garment/accessory nouns -> our categories, and
color-name colours -> our base colours) read as the one source of those words.

`vary(caption, rng, share)` swaps a caption's category nouns and base colour words for lexicon
words of the same meaning ("jacket" -> "anorak", "red" -> "crimson") with probability `share`
each, so the text encoder and the vocabulary see the words investigators type, not only ours.
"""
import json
import os
import re
from functools import lru_cache

HERE = os.path.dirname(os.path.abspath(__file__))
LEXICON = os.path.abspath(os.path.join(HERE, "..", "..", "electron", "engine", "query", "lexicon.json"))

# Categories our captions use as nouns; only these are swapped (the lexicon also maps e.g.
# "bicycle" and "pram", which no caption mentions).
CAPTION_NOUNS = ("jacket", "coat", "sweater", "hoodie", "top", "shirt", "t-shirt", "dress",
                 "trousers", "jeans", "shorts", "skirt", "bag", "backpack", "handbag", "hat",
                 "cap", "beanie", "shoes", "boots", "suitcase", "umbrella", "phone", "vest")
BASE_COLOURS = ("black", "white", "grey", "red", "orange", "yellow", "green", "blue", "navy",
                "purple", "pink", "brown", "beige")


@lru_cache(maxsize=1)
def load(path=LEXICON):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=1)
def synonyms():
    """{caption word: [lexicon words meaning the same]}, for nouns and base colours."""
    lex = load()
    out = {}
    for word, category in lex["nouns"].items():
        if category in CAPTION_NOUNS and word != category and re.fullmatch(r"[a-z][a-z -]*", word):
            out.setdefault(category, []).append(word)
    for name, c in lex["colours"].items():
        base = c["base"]
        # Plain short single names only: "crimson", "charcoal"; not "cornflowerblue" or
        # "papayawhip" (no one types those) nor names with a modifier or a second base, which say something else.
        if (base in BASE_COLOURS and name != base and "modifier" not in c and "also" not in c
                and name.isalpha() and len(name) <= 8 and not any(name.endswith(b) or name.startswith(b)
                                               for b in BASE_COLOURS + ("gray", "dark", "light"))):
            out.setdefault(base, []).append(name)
    return {k: sorted(v) for k, v in out.items()}


def words():
    """Every lexicon word (nouns split at spaces, colour names): vocabulary material."""
    lex = load()
    found = set()
    for phrase in list(lex["nouns"]) + list(lex["colours"]):
        found.update(w for w in re.split(r"[^a-z]+", phrase.lower()) if w)
    return sorted(found)


_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")


def vary(caption, rng, share):
    """`caption` with each known noun/colour word swapped for a lexicon synonym with
    probability `share` (rng: numpy Generator). Case of the first letter is kept."""
    if share <= 0:
        return caption
    table = synonyms()

    def swap(m):
        word = m.group(0)
        options = table.get(word.lower())
        if not options or rng.random() >= share:
            return word
        new = options[int(rng.integers(len(options)))]
        return new.capitalize() if word[0].isupper() else new

    return _WORD.sub(swap, caption)
