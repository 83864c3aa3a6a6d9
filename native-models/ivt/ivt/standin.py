"""Tiny development stand-in dataset (CUHK-PEDES / ICFG-PEDES / RSTPReid layout).

NOT the training data: the real synthetic pedestrians come from native-models/synth/.
This only draws block figures (torso/legs colour, optional bag) so the pipeline and the
loader tests have something to read before that generator's output exists.
"""
import json
import os
import random

import cv2
import numpy as np

COLOURS = {"red": (200, 30, 30), "blue": (30, 60, 200), "green": (30, 150, 50),
           "black": (20, 20, 20), "white": (235, 235, 235), "yellow": (230, 210, 40),
           "gray": (128, 128, 128), "brown": (120, 70, 30)}
TOPS = ["jacket", "shirt", "coat", "sweater"]
BOTTOMS = ["pants", "jeans", "skirt", "shorts"]
BAGS = [None, "backpack", "handbag"]
ANNOTATION_KEYS = {"cuhk-pedes": ("reid_raw.json", "file_path"),
                   "icfg-pedes": ("ICFG-PEDES.json", "file_path"),
                   "rstpreid": ("data_captions.json", "img_path")}


def _identity(rng):
    return dict(top=rng.choice(TOPS), top_colour=rng.choice(list(COLOURS)),
                bottom=rng.choice(BOTTOMS), bottom_colour=rng.choice(list(COLOURS)),
                bag=rng.choice(BAGS), bag_colour=rng.choice(list(COLOURS)),
                who=rng.choice(["man", "woman"]))


def _draw(person, rng, height=128, width=64):
    img = np.full((height, width, 3), rng.randint(60, 200), np.uint8)
    img = np.clip(img + np.random.RandomState(rng.randint(0, 1 << 30))
                  .randint(-20, 20, img.shape), 0, 255).astype(np.uint8)
    dx = rng.randint(-4, 4)
    cx = width // 2 + dx
    cv2.circle(img, (cx, 18), 9, (190, 150, 120), -1)
    cv2.rectangle(img, (cx - 14, 28), (cx + 14, 70), COLOURS[person["top_colour"]], -1)
    cv2.rectangle(img, (cx - 12, 70), (cx + 12, 120), COLOURS[person["bottom_colour"]], -1)
    if person["bag"] == "backpack":
        cv2.rectangle(img, (cx + 10, 32), (cx + 20, 60), COLOURS[person["bag_colour"]], -1)
    elif person["bag"] == "handbag":
        cv2.rectangle(img, (cx - 24, 66), (cx - 14, 80), COLOURS[person["bag_colour"]], -1)
    return cv2.cvtColor(img, cv2.COLOR_RGB2BGR)


def _caption(p, rng):
    parts = [f"a {p['who']} wearing a {p['top_colour']} {p['top']}",
             f"{p['bottom_colour']} {p['bottom']}"]
    if p["bag"]:
        parts.append(f"carrying a {p['bag_colour']} {p['bag']}")
    rng.shuffle(parts[1:])
    return ", ".join(parts) + "."


def write_standin(root, fmt="cuhk-pedes", ids=(20, 5, 5), images_per_id=3, seed=0,
                  height=128, width=64):
    """Write a stand-in dataset; ids = identities in (train, val, test)."""
    rng = random.Random(seed)
    name, key = ANNOTATION_KEYS[fmt]
    items, pid = [], 0
    for split, count in zip(("train", "val", "test"), ids):
        for _ in range(count):
            pid += 1
            person = _identity(rng)
            for k in range(images_per_id):
                rel = f"{split}/{pid:04d}_{k}.png"
                os.makedirs(os.path.join(root, "imgs", split), exist_ok=True)
                cv2.imwrite(os.path.join(root, "imgs", rel), _draw(person, rng, height, width))
                items.append({"id": pid, key: rel, "split": split,
                              "captions": [_caption(person, rng), _caption(person, rng)]})
    with open(os.path.join(root, name), "w", encoding="utf-8") as fh:
        json.dump(items, fh, indent=1)
    return os.path.join(root, name)
