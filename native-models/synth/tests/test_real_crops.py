"""Investigator words (lexicon), garment recolouring and pseudo-captioned crops from a case
(run from native-models/):  /usr/bin/python3 -m unittest synth.tests.test_real_crops
"""
import json
import os
import shutil
import sqlite3
import tempfile
import unittest

import cv2
import numpy as np

from synth import case_crops, lexicon
from synth.recolour import recolour, target_lab


class LexiconTest(unittest.TestCase):
    def test_synonyms_come_from_the_engine_table_and_keep_the_category(self):
        lex = lexicon.load()
        syn = lexicon.synonyms()
        self.assertIn("anorak", syn["jacket"])
        self.assertIn("crimson", syn["red"])
        for noun in syn["jacket"]:
            self.assertEqual(lex["nouns"][noun], "jacket")
        for name in syn["red"]:
            self.assertEqual(lex["colours"][name]["base"], "red")

    def test_vary_swaps_only_known_words(self):
        rng = np.random.default_rng(0)
        cap = "A man in a red jacket, walking."
        self.assertEqual(lexicon.vary(cap, rng, 0.0), cap)
        out = lexicon.vary(cap, rng, 1.0)
        words = out.rstrip(".").replace(",", "").split()
        self.assertEqual(words[:3], ["A", "man", "in"])
        self.assertNotIn("red", words)
        self.assertNotIn("jacket", words)
        self.assertTrue(out.endswith("walking."))

    def test_words_cover_the_lexicon(self):
        w = set(lexicon.words())
        for word in ("anorak", "rucksack", "crimson", "charcoal", "hoodie"):
            self.assertIn(word, w)


def person(h=120, w=50, upper=(30, 30, 200), lower=(40, 40, 40), bg=(128, 128, 128)):
    """A crude BGR person crop: background, upper block 20-55 %, lower block 55-92 %."""
    img = np.full((h, w, 3), bg, np.uint8)
    img[int(0.2 * h):int(0.55 * h), int(0.2 * w):int(0.8 * w)] = upper
    img[int(0.55 * h):int(0.92 * h), int(0.3 * w):int(0.7 * w)] = lower
    return img


def read_json(path):
    with open(path) as f:
        return json.load(f)


def lab_of(bgr):
    return cv2.cvtColor(np.array([[bgr]], np.float32) / 255.0, cv2.COLOR_BGR2LAB)[0, 0]


class RecolourTest(unittest.TestCase):
    def test_upper_becomes_the_target_and_the_rest_stays(self):
        img = person()
        out, cover = recolour(img, "upper", "blue")
        h, w = img.shape[:2]
        torso = out[int(0.3 * h):int(0.45 * h), int(0.35 * w):int(0.65 * w)].reshape(-1, 3).mean(0)
        self.assertLess(np.linalg.norm(lab_of(torso) - target_lab("blue")), 12.0)
        np.testing.assert_array_equal(out[:int(0.1 * h)], img[:int(0.1 * h)])       # head/background
        np.testing.assert_array_equal(out[int(0.7 * h):], img[int(0.7 * h):])       # legs
        self.assertGreater(cover, 0.3)
        self.assertEqual(img[int(0.4 * h), w // 2].tolist(), [30, 30, 200], "original modified")

    def test_legs_not_pavement_when_legs_are_thin(self):
        img = person(lower=(160, 60, 20))  # blue jeans, narrower than the band's centre
        out, _ = recolour(img, "lower", "white")
        h, w = img.shape[:2]
        leg = out[int(0.7 * h), w // 2]
        self.assertGreater(lab_of(leg)[0], 85.0)
        np.testing.assert_array_equal(out[int(0.7 * h), 1], img[int(0.7 * h), 1])   # pavement kept


class CaseCropsTest(unittest.TestCase):
    """A real case file layout (the tables case_crops reads) over a small rendered video."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        self.video = os.path.join(self.dir, "clip.avi")
        vw = cv2.VideoWriter(self.video, cv2.VideoWriter_fourcc(*"MJPG"), 10, (320, 240))
        self.boxes = {}
        for f in range(20):
            frame = np.full((240, 320, 3), 128, np.uint8)
            for sid, (x0, colour) in {1: (20, (30, 30, 200)), 2: (200, (200, 60, 30))}.items():
                x = x0 + 2 * f
                frame[40:160, x:x + 50] = person(upper=colour)
                self.boxes.setdefault(sid, []).append((f, (x, 40, 50, 120)))
            vw.write(frame)
        vw.release()
        self.db = os.path.join(self.dir, "case.sqlite")
        db = sqlite3.connect(self.db)
        db.executescript("""
            CREATE TABLE videos (id INTEGER PRIMARY KEY, path TEXT);
            CREATE TABLE detections (id INTEGER PRIMARY KEY, video_id INTEGER, sighting_id INTEGER, t_s REAL,
                                     x REAL, y REAL, w REAL, h REAL, score REAL);
            CREATE TABLE detection_evidence (detection_id INTEGER PRIMARY KEY, sighting_id INTEGER,
                                             model_id TEXT, evidence TEXT);""")
        db.execute("INSERT INTO videos VALUES (1, ?)", (self.video,))
        ev = {1: {"p": {"isMale": 0.9, "hasBag": 0.1, "hasBackpack": 0.8, "hasHat": 0.1, "longSleeves": 0.9,
                        "longPants": 0.9, "longHair": 0.1, "coatJacket": 0.8},
                  "upper": [{"name": "red", "confidence": 0.8}], "lower": [{"name": "black", "confidence": 0.7}]},
              2: {"p": {"isMale": 0.1, "hasBag": 0.7, "hasBackpack": 0.1, "hasHat": 0.1, "longSleeves": 0.2,
                        "longPants": 0.1, "longHair": 0.9, "coatJacket": 0.1},
                  "upper": [{"name": "blue", "confidence": 0.9}], "lower": [{"name": "black", "confidence": 0.2}]}}
        did = 0
        for sid, rows in self.boxes.items():
            for f, (x, y, w, h) in rows[::2]:
                did += 1
                db.execute("INSERT INTO detections VALUES (?,?,?,?,?,?,?,?,?)", (did, 1, sid, f / 10, x, y, w, h, 0.9))
                db.execute("INSERT INTO detection_evidence VALUES (?,?,?,?)", (did, sid, "attr", json.dumps(ev[sid])))
        db.commit()
        db.close()

    def test_captions_state_the_evidence_and_recolours_are_new_people(self):
        out = os.path.join(self.dir, "out")
        stats = case_crops.build(self.db, out, per_track=6, variants=3, per_variant=3, seed=1, share=0.0)
        self.assertEqual(stats["kept_tracks"], 2)
        recs = read_json(os.path.join(out, "reid_raw.json"))
        originals = {r["source"]["sighting"]: r for r in recs if not r["source"]["recolour"]}
        man = " ".join(originals[1]["captions"]).lower()
        woman = " ".join(originals[2]["captions"]).lower()
        self.assertIn("red", man)
        self.assertTrue("jacket" in man or "coat" in man)
        self.assertIn("backpack", man)
        self.assertTrue(any(w in woman for w in ("woman", "female", "lady")))
        self.assertIn("shorts", woman)
        self.assertIn("bag", woman)
        self.assertNotIn("black", woman, "a colour below the evidence share was stated")
        self.assertEqual(len({r["id"] for r in recs if r["source"]["sighting"] == 1}), 4)  # itself + 3 recolours
        for r in recs:
            rc = r["source"]["recolour"]
            if "upper" in rc:
                self.assertTrue(any(rc["upper"] in c for c in r["captions"]), (rc, r["captions"]))
            self.assertTrue(os.path.exists(os.path.join(out, r["file_path"])))
        img = cv2.imread(os.path.join(out, originals[1]["file_path"]))
        self.assertEqual(img.shape[:2], (120, 50))

    def test_excluded_tracks_overlap_the_evaluation_boxes(self):
        ann = os.path.join(self.dir, "ann.json")
        f, box = self.boxes[2][4]
        with open(ann, "w") as fh:
            json.dump({"crops": [{"frame": f, "bbox": list(box), "person": 1}]}, fh)
        stats = case_crops.build(self.db, os.path.join(self.dir, "o2"), exclude=ann, variants=1, seed=1)
        self.assertEqual((stats["excluded_tracks"], stats["kept_tracks"]), (1, 1))
        recs = read_json(os.path.join(self.dir, "o2", "reid_raw.json"))
        self.assertEqual({r["source"]["sighting"] for r in recs}, {1})

    def test_missing_case_is_named(self):
        with self.assertRaisesRegex(SystemExit, "nope.sqlite: no such case file"):
            case_crops.load_tracks(os.path.join(self.dir, "nope.sqlite"))


if __name__ == "__main__":
    unittest.main()
