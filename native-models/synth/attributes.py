"""Pedestrian attribute vocabulary and identity sampling.

An identity is a fixed attribute dict; every image of that identity is rendered from it,
and every caption is generated from it, so captions are true by construction.
"""
import colorsys

import numpy as np

# Named colours -> (hue 0..1, saturation range, value range). Rendered colours are jittered
# inside the ranges so "red" is not one RGB value; ranges are kept narrow enough that a
# human would still use the same name.
COLOURS = {
    "black":  (0.00, (0.0, 0.15), (0.08, 0.18)),
    "white":  (0.00, (0.0, 0.06), (0.86, 0.97)),
    "grey":   (0.00, (0.0, 0.08), (0.42, 0.62)),
    "red":    (0.995, (0.75, 0.95), (0.62, 0.85)),
    "blue":   (0.61, (0.65, 0.9), (0.55, 0.8)),
    "navy":   (0.64, (0.6, 0.85), (0.22, 0.35)),
    "green":  (0.36, (0.5, 0.8), (0.38, 0.62)),
    "yellow": (0.145, (0.75, 0.95), (0.85, 0.97)),
    "orange": (0.075, (0.8, 0.95), (0.85, 0.97)),
    "pink":   (0.93, (0.3, 0.5), (0.85, 0.97)),
    "purple": (0.78, (0.5, 0.75), (0.4, 0.6)),
    "brown":  (0.07, (0.55, 0.75), (0.3, 0.45)),
    "beige":  (0.1, (0.2, 0.32), (0.75, 0.86)),
}
# How captions may name a colour (first = canonical).
COLOUR_WORDS = {
    "navy": ["navy", "dark blue", "navy blue"],
    "grey": ["grey", "gray"],
    "beige": ["beige", "khaki", "tan"],
}

GARMENT_COLOURS = ["black", "white", "grey", "red", "blue", "navy", "green", "yellow",
                   "orange", "pink", "purple", "brown", "beige"]
JEANS_COLOURS = ["blue", "navy", "black", "grey"]
SHOE_COLOURS = ["black", "white", "grey", "brown", "red", "blue"]
BAG_COLOURS = ["black", "grey", "brown", "red", "blue", "navy", "green", "pink", "beige"]
HAIR_COLOURS = {"black": (20, 18, 18), "brown": (35, 55, 85), "blonde": (110, 175, 215),
                "grey": (150, 150, 150), "red": (40, 70, 160)}  # BGR
SKIN_TONES = [(170, 195, 235), (140, 170, 215), (105, 140, 190), (75, 105, 150), (50, 70, 105)]

# Street-like colour priors (dark/neutral common) that still keep every colour frequent
# enough to learn; order follows GARMENT_COLOURS.
_U = [14, 10, 10, 8, 8, 8, 6, 5, 5, 5, 5, 6, 10]
_L = [24, 4, 14, 3, 8, 10, 4, 2, 2, 2, 2, 8, 17]
UPPER_PRIOR = [x / sum(_U) for x in _U]
LOWER_PRIOR = [x / sum(_L) for x in _L]

UPPER_TYPES = ["t-shirt", "shirt", "jacket", "coat", "hoodie", "sweater", "dress"]
LOWER_TYPES = ["trousers", "jeans", "shorts", "skirt"]
BAG_TYPES = ["backpack", "shoulder bag", "handbag", "none"]
HAT_TYPES = ["none", "cap", "beanie"]
CARRIED = ["none", "umbrella", "phone", "suitcase"]
PATTERNS = ["plain", "striped", "plaid"]
VIEWS = ["front", "back", "side"]


def colour_bgr(name, rng):
    """A jittered BGR uint8 triple for a named colour."""
    hue, (s0, s1), (v0, v1) = COLOURS[name]
    h = (hue + rng.uniform(-0.02, 0.02)) % 1.0
    r, g, b = colorsys.hsv_to_rgb(h, rng.uniform(s0, s1), rng.uniform(v0, v1))
    return (int(b * 255), int(g * 255), int(r * 255))


def _pick(rng, items, p=None):
    return items[rng.choice(len(items), p=p)]


def sample_identity(rng):
    """One identity's attributes. Probabilities loosely follow street clothing frequencies
    but keep rare classes common enough to learn."""
    a = {}
    a["gender"] = _pick(rng, ["male", "female"])
    female = a["gender"] == "female"
    a["hair_length"] = _pick(rng, ["short", "long"], [0.3, 0.7] if female else [0.93, 0.07])
    a["hair_colour"] = _pick(rng, list(HAIR_COLOURS), [0.45, 0.3, 0.12, 0.08, 0.05])
    ups = UPPER_TYPES if female else UPPER_TYPES[:-1]
    probs = np.array([0.2, 0.14, 0.2, 0.14, 0.13, 0.11, 0.12][: len(ups)])
    a["upper_type"] = _pick(rng, ups, probs / probs.sum())
    a["upper_colour"] = _pick(rng, GARMENT_COLOURS, UPPER_PRIOR)
    a["upper_pattern"] = "plain"
    if a["upper_type"] in ("t-shirt", "shirt", "sweater", "dress") and rng.random() < 0.25:
        a["upper_pattern"] = _pick(rng, ["striped", "plaid"])
    a["upper_pattern_colour"] = "none"
    if a["upper_pattern"] != "plain":
        a["upper_pattern_colour"] = _pick(rng, [c for c in ("white", "black", "navy", "red")
                                               if c != a["upper_colour"]])
    if a["upper_type"] == "dress":
        a["lower_type"] = "none"
        a["lower_colour"] = "none"
    else:
        lows = LOWER_TYPES if female else LOWER_TYPES[:3]
        probs = np.array([0.35, 0.35, 0.15, 0.15][: len(lows)])
        a["lower_type"] = _pick(rng, lows, probs / probs.sum())
        pool = JEANS_COLOURS if a["lower_type"] == "jeans" else GARMENT_COLOURS
        a["lower_colour"] = _pick(rng, pool, None if a["lower_type"] == "jeans" else LOWER_PRIOR)
        # two same-coloured garments make captions ambiguous about which is which; allow
        # it (people do dress all-black) but rarely.
        if a["lower_colour"] == a["upper_colour"] and rng.random() < 0.7:
            a["lower_colour"] = _pick(rng, [c for c in pool if c != a["upper_colour"]])
    a["shoes_colour"] = _pick(rng, SHOE_COLOURS)
    a["bag_type"] = _pick(rng, BAG_TYPES, [0.3, 0.15, 0.15 if female else 0.05,
                                           0.4 if female else 0.5])
    a["bag_colour"] = _pick(rng, BAG_COLOURS) if a["bag_type"] != "none" else "none"
    a["hat"] = _pick(rng, HAT_TYPES, [0.8, 0.12, 0.08])
    a["hat_colour"] = _pick(rng, ["black", "white", "grey", "red", "blue", "navy", "beige"]) \
        if a["hat"] != "none" else "none"
    a["glasses"] = bool(rng.random() < 0.15)
    carried = _pick(rng, CARRIED, [0.75, 0.08, 0.1, 0.07])
    if carried == "suitcase" and a["bag_type"] == "handbag":
        carried = "none"
    a["carrying"] = carried
    a["carrying_colour"] = _pick(rng, ["black", "grey", "blue", "red", "navy"]) \
        if carried in ("umbrella", "suitcase") else "none"
    # appearance-only parameters (not described in captions, but fixed per identity)
    a["skin"] = int(rng.integers(len(SKIN_TONES)))
    a["build"] = float(rng.uniform(0.9, 1.12))
    return a


DEFAULTS = {"gender": "male", "hair_length": "short", "hair_colour": "black",
            "upper_type": "t-shirt", "upper_colour": "grey", "upper_pattern": "plain",
            "upper_pattern_colour": "none", "lower_type": "trousers", "lower_colour": "black",
            "shoes_colour": "black", "bag_type": "none", "bag_colour": "none", "hat": "none",
            "hat_colour": "none", "glasses": False, "carrying": "none", "carrying_colour": "none",
            "skin": 1, "build": 1.0}


def make_identity(**kw):
    """A full attribute dict from a few explicit values (for scenes and test fixtures)."""
    a = dict(DEFAULTS)
    a.update(kw)
    unknown = set(kw) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"unknown attributes {sorted(unknown)}")
    return a
