"""Fast checks of the synthetic pedestrian data (run from native-models/):

    /usr/bin/python3 -m unittest discover -s synth/tests -t .
"""
import colorsys
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import cv2
import numpy as np

from synth import captions as C
from synth.attributes import COLOURS, COLOUR_WORDS, GARMENT_COLOURS, VIEWS, make_identity, \
    sample_identity
from synth.generate import generate, split_identities
from synth.render import render_person

COLOUR_TO_NAME = {w: name for name in COLOURS for w in COLOUR_WORDS.get(name, [name])}
COLOUR_TO_NAME["blonde"] = "blonde"


def noun_tables(a):
    """noun phrase -> (attribute holding its colour, set of true type values)."""
    t = {}
    for typ, nouns in C.UPPER_NOUNS.items():
        for n in nouns:
            t.setdefault(n, ("upper_colour", set()))[1].add(typ)
    for typ, nouns in C.LOWER_NOUNS.items():
        for n in nouns:
            t.setdefault(n, ("lower_colour", set()))[1].add(typ)
    for typ, nouns in C.BAG_NOUNS.items():
        for n in nouns:
            t.setdefault(n, ("bag_colour", set()))[1].add(typ)
    t["bag"] = ("bag_colour", set(C.BAG_NOUNS))
    for typ, nouns in C.HAT_NOUNS.items():
        for n in nouns:
            t.setdefault(n, ("hat_colour", set()))[1].add(typ)
    t["hat"] = ("hat_colour", set(C.HAT_NOUNS))
    for n in C.SHOE_NOUNS:
        t[n] = ("shoes_colour", None)
    for n in ("umbrella", "suitcase", "rolling suitcase", "wheeled suitcase"):
        t[n] = ("carrying_colour", {"umbrella"} if n == "umbrella" else {"suitcase"})
    return t


class CaptionTruth(unittest.TestCase):
    def test_colour_noun_pairs_match_attributes(self):
        rng = np.random.default_rng(0)
        colour_re = "|".join(sorted(COLOUR_TO_NAME, key=len, reverse=True))
        table = noun_tables(None)
        noun_re = "|".join(sorted((re.escape(n) for n in table), key=len, reverse=True))
        pat = re.compile(rf"\b({colour_re})(?: and (?:{colour_re}))?(?: (?:striped|plaid))? "
                         rf"({noun_re})\b")
        checked = 0
        for _ in range(400):
            a = sample_identity(rng)
            view = VIEWS[int(rng.integers(3))]
            for cap in C.captions_for(a, view, rng, 2):
                low = cap.lower()
                for m in pat.finditer(low):
                    col, noun = COLOUR_TO_NAME[m.group(1)], m.group(2)
                    key, types = table[noun]
                    self.assertEqual(col, a[key], f"{cap!r}: {noun} colour, attrs {a}")
                    kind = {"upper_colour": "upper_type", "lower_colour": "lower_type",
                            "bag_colour": "bag_type", "hat_colour": "hat",
                            "carrying_colour": "carrying"}.get(key)
                    if kind and types is not None:
                        self.assertIn(a[kind], types, f"{cap!r}: {noun}")
                    checked += 1
                # gender words
                words = set(re.findall(r"[a-z]+", low))
                other = "female" if a["gender"] == "male" else "male"
                for w in ("man", "guy", "gentleman", "he", "his") if other == "male" else \
                        ("woman", "lady", "she", "her", "female"):
                    self.assertNotIn(w, words, cap)
                if view == "back":
                    self.assertNotIn("glasses", low)
                if a["bag_type"] == "none":
                    self.assertNotRegex(low, r"\b(bag|backpack|rucksack|handbag|purse)\b")
                if a["hat"] == "none":
                    self.assertNotRegex(low, r"\b(cap|beanie|hat)\b")
        self.assertGreater(checked, 1000)

    def test_investigator_style_and_punctuation(self):
        rng = np.random.default_rng(1)
        caps = [c for _ in range(200) for c in C.captions_for(sample_identity(rng), "front", rng)]
        self.assertTrue(any(c.count(",") >= 2 and "." not in c for c in caps))
        self.assertTrue(any(c.count(".") >= 2 for c in caps))
        self.assertGreater(len(set(caps)), 0.95 * len(caps))


class RenderedColour(unittest.TestCase):
    def test_upper_garment_pixels_are_the_named_colour(self):
        rng = np.random.default_rng(2)
        centres = {}
        for name in GARMENT_COLOURS:
            h, (s0, s1), (v0, v1) = COLOURS[name]
            centres[name] = (h, (s0 + s1) / 2, (v0 + v1) / 2)

        def nearest(bgr):
            b, g, r = [x / 255 for x in bgr]
            h, s, v = colorsys.rgb_to_hsv(r, g, b)

            def d(c):
                dh = min(abs(h - c[0]), 1 - abs(h - c[0])) * 4 * min(s, c[1])
                return dh ** 2 + (s - c[1]) ** 2 + (v - c[2]) ** 2
            return min(centres, key=lambda n: d(centres[n]))

        for name in GARMENT_COLOURS:
            a = make_identity(upper_type="sweater", upper_colour=name, lower_colour="black"
                              if name != "black" else "white")
            img, alpha = render_person(a, "front", 0.0, rng, hp=200)
            h, w = alpha.shape
            patch = img[int(h * 0.26):int(h * 0.36), int(w * 0.5 + w * 0.06):int(w * 0.5 + w * 0.14)]
            self.assertEqual(nearest(np.median(patch.reshape(-1, 3), axis=0)), name)


class DatasetFormat(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.a = os.path.join(cls.tmp, "a")
        cls.recs = generate(cls.a, identities=40, per_id=2, seed=5, workers=1, log=False)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_format_loads(self):
        with open(os.path.join(self.a, "reid_raw.json")) as f:
            recs = json.load(f)
        self.assertEqual(len(recs), 80)
        for r in recs:
            self.assertTrue(set(r) >= {"id", "file_path", "captions", "split", "attributes"})
            self.assertEqual(len(r["captions"]), 2)
            img = cv2.imread(os.path.join(self.a, r["file_path"]))
            self.assertEqual(img.shape, (128, 64, 3))

    def test_splits_are_identity_disjoint(self):
        by = {}
        for r in self.recs:
            by.setdefault(r["split"], set()).add(r["id"])
        self.assertEqual(set(by), {"train", "val", "test"})
        self.assertFalse(by["train"] & by["val"] or by["train"] & by["test"] or
                         by["val"] & by["test"])
        s = split_identities(3000, 1)
        self.assertEqual(sum(v == "test" for v in s.values()), 300)

    def test_deterministic_by_seed(self):
        b = os.path.join(self.tmp, "b")
        recs_b = generate(b, identities=40, per_id=2, seed=5, workers=2, log=False)
        self.assertEqual(self.recs, recs_b)
        for r in self.recs[:10]:
            with open(os.path.join(self.a, r["file_path"]), "rb") as f1, \
                    open(os.path.join(b, r["file_path"]), "rb") as f2:
                self.assertEqual(f1.read(), f2.read())
        c = os.path.join(self.tmp, "c")
        recs_c = generate(c, identities=40, per_id=2, seed=6, workers=1, log=False)
        self.assertNotEqual([r["captions"] for r in self.recs], [r["captions"] for r in recs_c])


class SceneAndAnnotations(unittest.TestCase):
    def test_render_clip_truth(self):
        from synth.scene import Walker, render_clip
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "c.mp4")
            w = Walker("p", make_identity(upper_colour="red"), [(0, 100, 400), (2, 400, 400)])
            truth = render_clip([w], out, seconds=2, fps=10, size=(480, 270))
            self.assertTrue(os.path.getsize(out) > 1000)
            p = truth["people"][0]
            self.assertEqual(p["intervals"], [[0.0, 2.0]])
            self.assertEqual(len(p["boxes"]), 2)
            x, y, bw, bh = p["boxes"][1]["bbox"]
            self.assertGreater(bh, 40)
            n = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams",
                                "v:0", "-show_entries", "stream=nb_read_frames", "-of",
                                "csv=p=0", out], capture_output=True, text=True).stdout.strip()
            self.assertEqual(int(n), 20)

    def test_vtest_annotations_valid(self):
        from synth.real_eval import load_annotations
        ann = load_annotations()
        ids = {p["id"] for p in ann["persons"]}
        self.assertGreaterEqual(len(ann["crops"]), 30)
        for c in ann["crops"]:
            self.assertIn(c["person"], ids)
            x, y, w, h = c["bbox"]
            self.assertTrue(0 <= x and 0 <= y and x + w <= 768 and y + h <= 576 and h > w)
            self.assertTrue(0 <= c["frame"] < 795)
        for p in ann["persons"]:
            self.assertGreaterEqual(len(p["captions"]), 2)

    def test_sample_truth_matches_video(self):
        root = os.path.join(os.path.dirname(__file__), "..", "..", "..", "resources",
                            "sample-case")
        with open(os.path.join(root, "truth.json")) as f:
            t = json.load(f)
        self.assertTrue(any("red jacket" in p["description"] and "black backpack" in
                            p["description"] for p in t["people"]))
        self.assertLess(os.path.getsize(os.path.join(root, "sample-street.mp4")), 5e6)
        for p in t["people"]:
            for b in p["boxes"]:
                if b["fully_visible"]:
                    self.assertTrue(85 <= b["bbox"][3] <= 210, (p["name"], b))


if __name__ == "__main__":
    unittest.main()


class Ceiling(unittest.TestCase):
    def test_caption_reads_back_into_constraints(self):
        from synth.ceiling import constraints
        got = set(constraints("A lady with long blonde hair in a red and white striped shirt, "
                              "dark blue jeans, carrying a beige rucksack, holding a phone"))
        self.assertEqual(got, {("gender", "gender", "female"), ("hair", "colour", "blonde"),
                               ("hair", "length", "long"), ("upper", "type", "shirt"),
                               ("upper", "colour", "red"), ("upper", "pattern", "striped"),
                               ("upper", "pattern_colour", "white"), ("lower", "type", "jeans"),
                               ("lower", "colour", "navy"), ("bag", "type", "backpack"),
                               ("bag", "colour", "beige"), ("carrying", "type", "phone")})

    def test_every_generated_caption_is_true_of_its_person(self):
        from synth.ceiling import constraints, satisfies
        rng = np.random.default_rng(3)
        for _ in range(300):
            a = sample_identity(rng)
            view = VIEWS[int(rng.integers(len(VIEWS)))]
            for caption in C.captions_for(a, view, rng):
                cons = constraints(caption)
                self.assertTrue(cons, caption)
                self.assertEqual([c for c in cons if not satisfies(a, c)], [], caption)

    def test_oracle_breaks_ties_at_random(self):
        from synth.ceiling import oracle_metrics
        red = make_identity(upper_type="jacket", upper_colour="red")
        blue = make_identity(upper_type="jacket", upper_colour="blue")
        records = [{"id": 0, "attributes": red, "captions": ["a man in a red jacket"]},
                   {"id": 1, "attributes": red, "captions": ["a man in a red jacket"]},
                   {"id": 2, "attributes": blue, "captions": ["a man in a blue jacket"]}]
        m = oracle_metrics(records)
        # ids 0 and 1 look the same: each red query is a coin flip; the blue one always hits
        self.assertAlmostEqual(m["R@1"], 100 * (0.5 + 0.5 + 1) / 3)
        self.assertAlmostEqual(m["R@5"], 100.0)
        self.assertEqual(m["misparsed_%"], 0.0)
