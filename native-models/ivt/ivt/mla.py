"""Multi-level alignment texts: sentence, phrases and words.

Phrases: the caption split at commas / periods / semicolons. Words: nouns and adjectives;
with no POS tagger offline we keep words found in a domain lexicon of colours, garments,
accessories, body and appearance words (order preserved).
"""
import random
import re

COLOURS = """red orange yellow green blue purple pink brown black white gray grey beige
khaki navy maroon tan cream gold golden silver dark light bright pale violet teal olive
turquoise burgundy""".split()
GARMENTS = """shirt t-shirt tshirt blouse top tank jacket coat parka hoodie sweater cardigan vest
sweatshirt jumper suit blazer uniform dress skirt pants trousers jeans shorts leggings
tights capris shoes shoe sneakers boots boot sandals heels slippers socks clothes clothing
outfit sleeves sleeve collar hood stripes footwear denim slacks tee pullover overcoat
jacket zip button beanie""".split()
ACCESSORIES = """backpack bag handbag purse satchel briefcase suitcase luggage umbrella hat cap
helmet scarf glasses sunglasses mask belt watch gloves phone bottle cup box stroller
bicycle bike cart book paper folder headphones earphones necklace rucksack messenger
crossbody baseball spectacles eyeglasses mobile""".split()
BODY = """man woman boy girl child kid person lady gentleman guy male female hair ponytail bun beard
mustache head arm arms hand hands leg legs face skin shoulder shoulders""".split()
ADJECTIVES = """long short tall thin slim heavy young old elderly striped plaid checked
patterned plain floral dotted sleeveless hooded loose tight bald curly straight
blond blonde sleeved woolly knit wheeled rolling padded flared""".split()

LEXICON = frozenset(COLOURS + GARMENTS + ACCESSORIES + BODY + ADJECTIVES)

_PHRASE_SPLIT = re.compile(r"[,.;]")
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)?")


def split_phrases(caption):
    return [p.strip() for p in _PHRASE_SPLIT.split(caption) if p.strip()]


def extract_words(caption):
    return [w for w in _WORD.findall(caption.lower()) if w in LEXICON]


def sample_phrase(caption, rng=random):
    phrases = split_phrases(caption)
    return rng.choice(phrases) if phrases else caption


def sample_words(caption, rng=random, keep=0.7):
    """Random subset (order kept) of the caption's lexicon words; never empty."""
    words = extract_words(caption)
    if not words:
        return sample_phrase(caption, rng)
    kept = [w for w in words if rng.random() < keep] or [rng.choice(words)]
    return " ".join(kept)
