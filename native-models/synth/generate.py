"""Generate a synthetic pedestrian text-image dataset in CUHK-PEDES format.

    cd native-models
    /usr/bin/python3 -m synth.generate --out synth/work/synth-v1 --identities 3000 --per-id 4 --seed 1

Writes <out>/reid_raw.json and <out>/imgs/<split>/<id>_<k>.jpg. Deterministic for a seed
(each image has its own seed derived from (seed, identity, k), so worker count and
scheduling do not change the output).
"""
import argparse
import json
import os
import sys
import time
from multiprocessing import Pool

import cv2
import numpy as np

from .attributes import VIEWS, sample_identity
from .backgrounds import vtest_median
from . import lexicon
from .captions import captions_for
from .degrade import cctv_crop
from .render import render_person

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(HERE, "work", "cache")
DESCRIBED = ["gender", "hair_length", "hair_colour", "upper_type", "upper_colour",
             "upper_pattern", "upper_pattern_colour", "lower_type", "lower_colour",
             "shoes_colour", "bag_type", "bag_colour", "hat", "hat_colour", "glasses",
             "carrying", "carrying_colour"]


def split_identities(n, seed, val_frac=0.1, test_frac=0.1):
    """Identity -> split; identities are disjoint across splits by construction."""
    order = np.random.default_rng([seed, 7]).permutation(n)
    n_test, n_val = int(round(n * test_frac)), int(round(n * val_frac))
    split = {}
    for rank, pid in enumerate(order):
        split[int(pid)] = "test" if rank < n_test else "val" if rank < n_test + n_val else "train"
    return split


def identity_attributes(seed, pid):
    return sample_identity(np.random.default_rng([seed, pid, 0]))


def make_sample(seed, pid, k, attrs, out_w=64, out_h=128, median=None):
    """One image + captions for identity pid, sample k."""
    rng = np.random.default_rng([seed, pid, k + 1])
    view = VIEWS[int(rng.choice(3, p=[0.38, 0.38, 0.24]))]
    # most CCTV views are oblique: 60% of front/back views get a 3/4 turn
    yaw = rng.uniform(-1, 1) if rng.random() < 0.6 else 0.0
    img, alpha = render_person(attrs, view, rng.uniform(0, 2 * np.pi), rng,
                               hp=int(rng.uniform(150, 200)), yaw=yaw)
    if view == "side" and rng.random() < 0.5:        # walking left
        img, alpha = img[:, ::-1], alpha[:, ::-1]
    info = {}
    crop = cctv_crop(np.ascontiguousarray(img), np.ascontiguousarray(alpha), rng, median,
                     out_w, out_h, info)
    return crop, captions_for(attrs, view, rng, 2), view, info["person_px"]


_WORKER = {}


def _init_worker(out, seed, w, h):
    cv2.setNumThreads(1)
    _WORKER.update(out=out, seed=seed, w=w, h=h, median=vtest_median(CACHE))


def _job(args):
    pid, k, split, attrs = args
    W = _WORKER
    crop, caps, view, px = make_sample(W["seed"], pid, k, attrs, W["w"], W["h"], W["median"])
    rel = f"imgs/{split}/{pid:05d}_{k}.jpg"
    cv2.imwrite(os.path.join(W["out"], rel), crop, [cv2.IMWRITE_JPEG_QUALITY, 92])
    a = {key: attrs[key] for key in DESCRIBED}
    a["view"] = view
    return {"id": pid, "file_path": rel, "captions": caps, "split": split, "attributes": a,
            "person_px": px}


def generate(out, identities, per_id, seed, workers=2, width=64, height=128, log=True,
             lexicon_share=0.0):
    for s in ("train", "val", "test"):
        os.makedirs(os.path.join(out, "imgs", s), exist_ok=True)
    vtest_median(CACHE)  # build the cache once before forking
    split = split_identities(identities, seed)
    jobs = [(pid, k, split[pid], identity_attributes(seed, pid))
            for pid in range(identities) for k in range(per_id)]
    t0 = time.time()
    records = []
    if workers > 1:
        with Pool(workers, _init_worker, (out, seed, width, height)) as pool:
            for i, r in enumerate(pool.imap(_job, jobs, chunksize=32)):
                records.append(r)
                if log and (i + 1) % 2000 == 0:
                    print(f"{i + 1}/{len(jobs)} images, {time.time() - t0:.0f}s", flush=True)
    else:
        _init_worker(out, seed, width, height)
        records = [_job(j) for j in jobs]
    if lexicon_share > 0:
        # Investigator words (synth.lexicon) in place of caption nouns/colours; its own random
        # stream, so images and attributes are those of the same seed without it.
        rng = np.random.default_rng([seed, 7919])
        for r in records:
            r["captions"] = [lexicon.vary(c, rng, lexicon_share) for c in r["captions"]]
    with open(os.path.join(out, "reid_raw.json"), "w") as f:
        json.dump(records, f)
    stats = dataset_stats(records)
    stats["seconds"] = round(time.time() - t0, 1)
    with open(os.path.join(out, "stats.json"), "w") as f:
        json.dump(stats, f, indent=1)
    if log:
        print(json.dumps({k: stats[k] for k in ("images", "identities", "seconds")}))
    return records


def dataset_stats(records):
    from collections import Counter
    st = {"images": len(records), "identities": len({r["id"] for r in records})}
    for s in ("train", "val", "test"):
        rs = [r for r in records if r["split"] == s]
        st[s] = {"images": len(rs), "identities": len({r["id"] for r in rs})}
    per_id = {}
    for r in records:
        per_id[r["id"]] = r["attributes"]
    for key in ("gender", "upper_type", "upper_colour", "lower_type", "bag_type", "hat",
                "carrying", "upper_pattern"):
        st[key] = dict(Counter(a[key] for a in per_id.values()).most_common())
    st["view"] = dict(Counter(r["attributes"]["view"] for r in records))
    caps = [c for r in records for c in r["captions"]]
    st["caption_words_mean"] = round(float(np.mean([len(c.split()) for c in caps])), 1)
    st["unique_captions"] = len(set(caps))
    return st


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--out", default=os.path.join(HERE, "work", "synth-v1"))
    ap.add_argument("--identities", type=int, default=3000)
    ap.add_argument("--per-id", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2, help="processes (<=2 on shared machines)")
    ap.add_argument("--width", type=int, default=64)
    ap.add_argument("--height", type=int, default=128)
    ap.add_argument("--lexicon-share", type=float, default=0.0,
                    help="chance that a caption noun/colour becomes an investigator word (synth.lexicon)")
    a = ap.parse_args(argv)
    generate(a.out, a.identities, a.per_id, a.seed, a.workers, a.width, a.height,
             lexicon_share=a.lexicon_share)


if __name__ == "__main__":
    sys.exit(main())
