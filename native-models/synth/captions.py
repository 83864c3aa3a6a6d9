"""CUHK-PEDES-style captions generated from an identity's attributes.

Every phrase is built from the attribute dict, so captions are true by construction; the
variety comes from templates, word order, synonyms, partial descriptions (2-4 attributes)
and an "investigator" style (terse, comma-separated keywords).
Per-image visibility matters: no glasses/phone mention for a back view.
"""
from .attributes import COLOUR_WORDS

# Garment/bag nouns per attribute value. Tests reuse these tables to check truthfulness.
UPPER_NOUNS = {
    "t-shirt": ["t-shirt", "tee", "short-sleeved top", "t shirt"],
    "shirt": ["shirt", "long-sleeved shirt", "button-up shirt"],
    "jacket": ["jacket", "zip-up jacket"],
    "coat": ["coat", "long coat", "overcoat", "long jacket"],
    "hoodie": ["hoodie", "hooded sweatshirt", "hooded top"],
    "sweater": ["sweater", "jumper", "pullover"],
    "dress": ["dress"],
}
LOWER_NOUNS = {
    "trousers": ["trousers", "pants", "slacks"],
    "jeans": ["jeans", "jeans", "denim jeans"],
    "shorts": ["shorts"],
    "skirt": ["skirt"],
}
BAG_NOUNS = {
    "backpack": ["backpack", "rucksack"],
    "shoulder bag": ["shoulder bag", "messenger bag", "crossbody bag"],
    "handbag": ["handbag", "purse", "hand bag"],
}
HAT_NOUNS = {"cap": ["cap", "baseball cap"], "beanie": ["beanie", "woolly hat", "knit hat"]}
SHOE_NOUNS = ["shoes", "sneakers", "footwear"]
GLASSES_NOUNS = ["glasses", "spectacles", "eyeglasses"]
SUITCASE_NOUNS = ["suitcase", "rolling suitcase", "wheeled suitcase"]
SUBJECTS = {"male": ["man", "male", "guy", "gentleman", "young man"],
            "female": ["woman", "female", "lady", "young woman"]}
PRON = {"male": ("he", "his", "him"), "female": ("she", "her", "her")}


def cword(name, rng):
    opts = COLOUR_WORDS.get(name, [name])
    return opts[int(rng.integers(len(opts)))] if rng.random() < 0.5 else opts[0]


def _ch(rng, xs):
    return xs[int(rng.integers(len(xs)))]


def _art(phrase):
    return ("an " if phrase[0] in "aeiou" else "a ") + phrase


class Phrases:
    """Noun phrases for each attribute present, with per-call random synonyms."""

    def __init__(self, a, view, rng):
        self.a, self.view, self.rng = a, view, rng

    def hair(self):
        a, r = self.a, self.rng
        col = "blonde" if a["hair_colour"] == "blonde" else cword(a["hair_colour"], r)
        if a["hat"] != "none" and a["hair_length"] == "short":
            return None  # mostly hidden under the hat
        return f"{a['hair_length']} {col} hair" if r.random() < 0.7 else f"{col} {a['hair_length']} hair"

    def upper(self, colour=True):
        a, r = self.a, self.rng
        noun = _ch(r, UPPER_NOUNS[a["upper_type"]])
        pat = a["upper_pattern"]
        if pat != "plain":
            pc = cword(a["upper_pattern_colour"], r)
            if r.random() < 0.5:
                return f"{cword(a['upper_colour'], r)} and {pc} {pat} {noun}"
            return f"{cword(a['upper_colour'], r)} {pat} {noun}"
        return f"{cword(a['upper_colour'], r)} {noun}" if colour else noun

    def lower(self, colour=True, article=True):
        a, r = self.a, self.rng
        if a["lower_type"] == "none":
            return None
        noun = _ch(r, LOWER_NOUNS[a["lower_type"]])
        ph = f"{cword(a['lower_colour'], r)} {noun}" if colour else noun
        # count noun: "a black skirt"; trousers/jeans/shorts take no article
        return _art(ph) if article and a["lower_type"] == "skirt" else ph

    def shoes(self):
        return f"{cword(self.a['shoes_colour'], self.rng)} {_ch(self.rng, SHOE_NOUNS)}"

    def bag(self, colour=True):
        a, r = self.a, self.rng
        if a["bag_type"] == "none":
            return None
        # "bag" alone is true of every bag type (investigators often say just "bag")
        noun = "bag" if r.random() < 0.15 else _ch(r, BAG_NOUNS[a["bag_type"]])
        return f"{cword(a['bag_colour'], r)} {noun}" if colour else noun

    def hat(self):
        a, r = self.a, self.rng
        if a["hat"] == "none":
            return None
        noun = "hat" if r.random() < 0.2 else _ch(r, HAT_NOUNS[a["hat"]])
        return f"{cword(a['hat_colour'], r)} {noun}"

    def glasses(self):
        if not self.a["glasses"] or self.view == "back":
            return None
        return _ch(self.rng, GLASSES_NOUNS)

    def carrying(self, verb=True):
        a, r = self.a, self.rng
        c = a["carrying"]
        if c == "none" or (c == "phone" and self.view == "back"):
            return None
        if c == "umbrella":
            obj = f"{cword(a['carrying_colour'], r)} umbrella"
            return (_ch(r, ["carrying ", "holding "]) + _art(obj)) if verb else obj
        if c == "suitcase":
            obj = f"{cword(a['carrying_colour'], r)} " + _ch(r, SUITCASE_NOUNS)
            return (_ch(r, ["pulling ", "wheeling ", "dragging "]) + _art(obj)) if verb else obj
        return _ch(r, ["holding a phone", "looking at a phone", "using a mobile phone"]) \
            if verb else "phone"


def _join(items):
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def full_sentence(a, view, rng):
    P = Phrases(a, view, rng)
    he, his, _ = PRON[a["gender"]]
    subj = _ch(rng, SUBJECTS[a["gender"]])
    wear = [_art(P.upper()), P.lower(), P.shoes() if rng.random() < 0.7 else None]
    wear = [w if (i == 0 or not w) else w for i, w in enumerate(wear)]
    s1_opts = []
    hair = P.hair()
    if hair:
        s1_opts.append(f"{_art(subj).capitalize()} with {hair} is wearing {_join(wear)}.")
        s1_opts.append(f"The {subj} has {hair} and wears {_join(wear)}.")
    s1_opts.append(f"{_art(subj).capitalize()} wearing {_join(wear)}.")
    s1_opts.append(f"This {subj} is dressed in {_join(wear)}.")
    sent = [_ch(rng, s1_opts)]
    extra = []
    if P.bag():
        b = P.bag()
        extra.append(_ch(rng, [f"{he.capitalize()} is carrying {_art(b)}.",
                               f"{he.capitalize()} has {_art(b)}.",
                               f"{his.capitalize()} {b} is visible."]))
    hat = P.hat()
    if hat:
        extra.append(_ch(rng, [f"{he.capitalize()} wears {_art(hat)}.",
                               f"On {his} head is {_art(hat)}."]))
    g = P.glasses()
    if g:
        extra.append(f"{he.capitalize()} is wearing {g}.")
    c = P.carrying()
    if c:
        extra.append(f"{he.capitalize()} is {c}.")
    rng.shuffle(extra)
    return " ".join(sent + extra)


def short_sentence(a, view, rng):
    """One sentence, attributes in varied order, a few of them."""
    P = Phrases(a, view, rng)
    subj = _ch(rng, SUBJECTS[a["gender"]])
    parts = []
    if rng.random() < 0.5:
        start = f"{_art(subj).capitalize()} in {_art(P.upper())}"
        lw = P.lower()
        if lw and rng.random() < 0.7:
            start += f" and {lw}"
    else:
        lw = P.lower()
        start = f"{_art(subj).capitalize()} wearing {_art(P.upper())}" + (f", {lw}" if lw else "")
    b = P.bag()
    if b:
        parts.append(_ch(rng, ["with ", "carrying "]) + _art(b))
    c = P.carrying()
    if c:
        parts.append(c)
    hat = P.hat()
    if hat and rng.random() < 0.7:
        parts.append("with " + _art(hat))
    g = P.glasses()
    if g and rng.random() < 0.6:
        parts.append("wearing " + g)
    rng.shuffle(parts)
    walk = _ch(rng, ["", " walking", " is walking"]) if not parts else ""
    s = start + walk
    if parts:
        s += ("," if "," in start else "") + " " + ", ".join(parts[:-1]) + \
            (" and " if len(parts) > 1 else "") + parts[-1]
    return s + _ch(rng, [".", ".", ""])


def partial(a, view, rng):
    """2-4 attributes only, distinguishing ones preferred."""
    P = Phrases(a, view, rng)
    subj = _ch(rng, SUBJECTS[a["gender"]])
    cands = [("carry", P.carrying(), 3), ("bag", P.bag(), 2.5), ("hat", P.hat(), 2.5),
             ("glasses", P.glasses(), 1.5), ("upper", P.upper(), 3),
             ("lower", P.lower(), 2), ("hair", P.hair(), 1), ("shoes", P.shoes(), 0.6)]
    cands = [c for c in cands if c[1]]
    w = [c[2] for c in cands]
    k = min(len(cands), int(rng.integers(2, 5)))
    idx = rng.choice(len(cands), size=k, replace=False, p=[x / sum(w) for x in w])
    chosen = [cands[i] for i in sorted(idx)]
    bits = []
    for kind, ph, _ in chosen:
        if kind == "carry":
            bits.append(ph)
        elif kind in ("hair", "glasses"):
            bits.append("with " + (ph if kind == "glasses" else ph))
        elif kind == "bag":
            bits.append("carrying " + _art(ph))
        elif kind == "hat":
            bits.append("wearing " + _art(ph))
        else:
            bits.append(("in " if rng.random() < 0.5 else "wearing ") +
                        (_art(ph) if kind == "upper" else ph))
    return f"{_art(subj).capitalize()} " + ", ".join(bits) + _ch(rng, [".", ""])


def investigator(a, view, rng):
    """Terse keyword style: 'male, blue hoodie, jeans, black backpack'."""
    P = Phrases(a, view, rng)
    toks = [a["gender"] if rng.random() < 0.6 else _ch(rng, SUBJECTS[a["gender"]])]
    items = [P.upper(colour=rng.random() < 0.9),
             P.lower(colour=rng.random() < 0.7, article=False),
             P.bag(colour=rng.random() < 0.8), P.hat(), P.carrying(verb=False), P.glasses()]
    if rng.random() < 0.3:
        items.append(P.hair())
    if rng.random() < 0.25:
        items.append(P.shoes())
    items = [i for i in items if i]
    keep = max(2, min(len(items), int(rng.integers(2, 6))))
    # keep the upper garment most of the time; drop others at random
    head, rest = items[:1], items[1:]
    rng.shuffle(rest)
    items = head + rest[: keep - 1]
    if rng.random() < 0.3:
        rng.shuffle(items)
    s = ", ".join(toks + items)
    return s.capitalize() if rng.random() < 0.3 else s


STYLES = [(full_sentence, 0.4), (short_sentence, 0.2), (partial, 0.2), (investigator, 0.2)]


def captions_for(a, view, rng, n=2):
    """n captions of different styles for one image."""
    fns, w = zip(*STYLES)
    idx = rng.choice(len(fns), size=n, replace=False, p=[x / sum(w) for x in w])
    return [" ".join(fns[i](a, view, rng).split()) for i in idx]
