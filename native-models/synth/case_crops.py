"""Real training crops from a Sightline case: pseudo-captions + garment recolouring.

    cd native-models
    /usr/bin/python3 -m synth.case_crops --db case.sqlite --out synth/work/vtest-real \\
        [--exclude synth/real_eval/vtest_annotations.json]

Index a video whose licence allows training (vtest.avi: OpenCV's licence) with the CLI
(`sightline index VIDEO --db case.sqlite`). Each sighting (track) of the case is one person:
its detections' stored evidence (detection_evidence: attribute probabilities, upper/lower
colour names; migration 5) is averaged over the track and written as CUHK-PEDES-style captions
that state only what the evidence says (gender, upper/lower garment kind and colour, bag,
backpack, hat, long hair; words swapped for investigator words by synth.lexicon). Then each
track is recoloured (synth.recolour) into `--variants` new people: upper and/or lower garment
in another named colour, captioned with the new colour, each a new identity.
`--exclude` drops every track that overlaps a box of an evaluation annotation file (same
frame +-2, IoU >= 0.3), so the people of the evaluation set never appear in training.
Output: reid_raw.json + imgs/ (split train / val by track, 85 / 15).
"""
import argparse
import json
import os
import sqlite3
import zlib

import cv2
import numpy as np

from . import lexicon
from .recolour import recolour

GARMENT_COLOURS = ["black", "white", "grey", "red", "blue", "navy", "green", "yellow",
                   "orange", "pink", "purple", "brown", "beige"]
MIN_HEIGHT = 64      # px: smaller crops carry too little for a caption
MIN_TRACK = 4        # detections
MIN_COVER = 0.3      # share of the garment band recoloured for the caption to be true
COLOUR_SHARE = 0.4   # a garment colour is stated only when the evidence gives it this share


def load_tracks(db_path):
    if not os.path.exists(db_path):
        raise SystemExit(f"{db_path}: no such case file")
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    videos = dict(db.execute("SELECT id, path FROM videos"))
    rows = db.execute("""SELECT d.id, d.video_id, d.sighting_id, d.t_s, d.x, d.y, d.w, d.h, e.evidence
                         FROM detections d JOIN detection_evidence e ON e.detection_id = d.id
                         ORDER BY d.sighting_id, d.t_s""").fetchall()
    tracks = {}
    for did, vid, sid, t, x, y, w, h, ev in rows:
        if h < MIN_HEIGHT:
            continue
        tracks.setdefault(sid, []).append({"id": did, "video": videos[vid], "t": t,
                                           "box": (x, y, w, h), "evidence": json.loads(ev)})
    return {s: d for s, d in tracks.items() if len(d) >= MIN_TRACK}


def _iou(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    ix = max(0.0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0.0, min(ay + ah, by + bh) - max(ay, by))
    inter = ix * iy
    return inter / (aw * ah + bw * bh - inter + 1e-9)


def excluded_tracks(tracks, annotation_path, fps):
    with open(annotation_path) as f:
        crops = json.load(f)["crops"]
    by_frame = {}
    for c in crops:
        by_frame.setdefault(c["frame"], []).append(c["bbox"])
    out = set()
    for sid, dets in tracks.items():
        for d in dets:
            f = int(round(d["t"] * fps))
            if any(_iou(d["box"], b) >= 0.3 for ff in range(f - 2, f + 3) for b in by_frame.get(ff, [])):
                out.add(sid)
                break
    return out


def track_evidence(dets):
    """Mean attribute probabilities and the best colour (name, share, modifier) per garment."""
    keys = dets[0]["evidence"]["p"].keys()
    p = {k: float(np.mean([d["evidence"]["p"][k] for d in dets])) for k in keys}
    colours = {}
    for g in ("upper", "lower"):
        score, mods = {}, {}
        for d in dets:
            for c in d["evidence"].get(g, []):
                score[c["name"]] = score.get(c["name"], 0.0) + c["confidence"] / len(dets)
                if c.get("modifier"):
                    mods.setdefault(c["name"], []).append(c["modifier"])
        if score:
            name = max(score, key=score.get)
            ms = mods.get(name, [])
            mod = max(set(ms), key=ms.count) if len(ms) * 2 > len(dets) else None
            colours[g] = (name, score[name], mod)
    return {"p": p, "colours": colours}


def _pick(rng, xs):
    return xs[int(rng.integers(len(xs)))]


def describe(ev, rng, override=None):
    """Phrases the evidence supports. `override` {garment: colour} replaces measured colours."""
    p, override = ev["p"], override or {}
    gender = "male" if p["isMale"] >= 0.65 else "female" if p["isMale"] <= 0.35 else None

    def colour(g):
        if g in override:
            return override[g]
        name, share, mod = ev["colours"].get(g, (None, 0.0, None))
        if name is None or share < COLOUR_SHARE:
            return None
        return f"{mod} {name}" if mod and rng.random() < 0.6 else name

    if p["coatJacket"] >= 0.5:
        upper = _pick(rng, ["jacket", "coat"])
    elif p["longSleeves"] >= 0.5:
        upper = _pick(rng, ["long-sleeved top", "top", "long-sleeved shirt"])
    else:
        upper = _pick(rng, ["t-shirt", "short-sleeved top"])
    lower = "shorts" if p["longPants"] <= 0.3 else _pick(rng, ["trousers", "pants"]) if p["longPants"] >= 0.5 else None
    uc, lc = colour("upper"), colour("lower")
    parts = {"upper": f"{uc} {upper}" if uc else upper,
             "lower": (f"{lc} {lower}" if lc else lower) if lower else None}
    extras = []
    if p["hasBackpack"] >= 0.5:
        extras.append("backpack")
    elif p["hasBag"] >= 0.5:
        extras.append("bag")
    if p["hasHat"] >= 0.6:
        extras.append(_pick(rng, ["hat", "cap"]))
    hair = "long hair" if p["longHair"] >= 0.6 else None
    return gender, parts, extras, hair


def _art(phrase):
    return ("an " if phrase[0] in "aeiou" else "a ") + phrase


def caption(ev, rng, override=None, share=0.15):
    gender, parts, extras, hair = describe(ev, rng, override)
    subj = {"male": ["man", "male", "guy"], "female": ["woman", "female", "lady"]}.get(gender, ["person", "pedestrian"])
    subj = _pick(rng, subj)
    wear = [_art(parts["upper"])] + ([parts["lower"]] if parts["lower"] else [])
    style = rng.random()
    if style < 0.45:
        s = f"{_art(subj).capitalize()}" + (f" with {hair}" if hair and rng.random() < 0.5 else "")
        s += f" wearing {' and '.join(wear)}."
        if extras:
            pron = {"male": "He", "female": "She"}.get(gender, "The person")
            s += f" {pron} is carrying {_art(extras[0])}." if extras[0] in ("backpack", "bag") else \
                f" {pron} wears {_art(extras[0])}."
            for e in extras[1:]:
                s += f" {pron} wears {_art(e)}."
    elif style < 0.7:
        s = f"{_art(subj).capitalize()} in {' and '.join(wear)}" + \
            "".join(f", with {_art(e)}" for e in extras) + _pick(rng, [".", ""])
    else:
        items = [gender or subj, parts["upper"]] + ([parts["lower"]] if parts["lower"] else []) + extras
        if hair and rng.random() < 0.4:
            items.append(hair)
        s = ", ".join(items)
    return lexicon.vary(s, rng, share)


def _variants(ev, rng, n):
    """n colour overrides, each a new person: upper, lower or both garments in another colour."""
    out, seen = [], set()
    measured = {g: ev["colours"].get(g, (None,))[0] for g in ("upper", "lower")}
    # Only garments a caption names: a recoloured garment the caption is silent about teaches nothing.
    lp = ev["p"]["longPants"]
    choices = [("upper",), ("lower",), ("upper", "lower")] if lp <= 0.3 or lp >= 0.5 else [("upper",)]
    for _ in range(20 * n):  # bounded: fewer distinct overrides may exist than asked for
        if len(out) >= n:
            break
        which = _pick(rng, choices)
        o = {g: _pick(rng, [c for c in GARMENT_COLOURS if c != measured[g]]) for g in which}
        key = tuple(sorted(o.items()))
        if key not in seen:
            seen.add(key)
            out.append(o)
    return out


def build(db, out, exclude=None, per_track=16, variants=8, per_variant=6, seed=0, share=0.15):
    rng = np.random.default_rng(seed)
    tracks = load_tracks(db)
    videos = {d["video"] for ds in tracks.values() for d in ds}
    frames_wanted = {}
    fps = {}
    for v in videos:
        cap = cv2.VideoCapture(v)
        if not cap.isOpened():
            raise SystemExit(f"{v}: cannot open the case's video")
        fps[v] = cap.get(cv2.CAP_PROP_FPS) or 10.0
        cap.release()
    dropped = set()
    if exclude:
        for v in videos:
            dropped |= excluded_tracks({s: d for s, d in tracks.items() if d[0]["video"] == v}, exclude, fps[v])
    kept = {s: d for s, d in sorted(tracks.items()) if s not in dropped}
    picks = {}
    for sid, dets in kept.items():
        idx = np.unique(np.linspace(0, len(dets) - 1, min(per_track, len(dets))).round().astype(int))
        picks[sid] = [dets[i] for i in idx]
        for d in picks[sid]:
            frames_wanted.setdefault((d["video"], int(round(d["t"] * fps[d["video"]]))), []).append(d)
    crops = {}
    for v in sorted(videos):
        cap = cv2.VideoCapture(v)
        wanted = {f: ds for (vv, f), ds in frames_wanted.items() if vv == v}
        last = max(wanted) if wanted else -1
        f = 0
        while f <= last:  # sequential decode: frame-accurate
            ok, frame = cap.read()
            if not ok:
                break
            for d in wanted.get(f, []):
                x, y, w, h = (int(round(c)) for c in d["box"])
                crops[d["id"]] = frame[max(0, y):y + h, max(0, x):x + w].copy()
            f += 1
    os.makedirs(os.path.join(out, "imgs"), exist_ok=True)
    records, pid = [], 0
    stats = {"tracks": len(tracks), "excluded_tracks": len(dropped), "kept_tracks": len(kept),
             "variants_skipped_low_cover": 0}
    for sid, dets in picks.items():
        ev = track_evidence(kept[sid])
        split = "val" if zlib.crc32(f"{db}:{sid}".encode()) % 100 < 15 else "train"
        people = [None] + _variants(ev, rng, variants)
        for override in people:
            chosen = dets if override is None else [dets[i] for i in sorted(
                rng.choice(len(dets), size=min(per_variant, len(dets)), replace=False))]
            rows = []
            for d in chosen:
                img = crops.get(d["id"])
                if img is None or img.size == 0:
                    continue
                cover_ok = True
                for g, c in (override or {}).items():
                    img, cover = recolour(img, g, c)
                    cover_ok &= cover >= MIN_COVER
                if not cover_ok:
                    stats["variants_skipped_low_cover"] += 1
                    continue
                rel = f"imgs/s{sid:05d}_p{pid:05d}_d{d['id']}.png"
                cv2.imwrite(os.path.join(out, rel), img)
                rows.append({"id": pid, "file_path": rel, "split": split,
                             "captions": [caption(ev, rng, override, share) for _ in range(2)],
                             "source": {"video": os.path.basename(d["video"]), "sighting": sid,
                                        "detection": d["id"], "recolour": override or {}}})
            if len(rows) >= 2:
                records.extend(rows)
                pid += 1
    with open(os.path.join(out, "reid_raw.json"), "w") as f:
        json.dump(records, f, indent=0)
    stats.update(images=len(records), identities=pid,
                 train_identities=len({r["id"] for r in records if r["split"] == "train"}))
    with open(os.path.join(out, "stats.json"), "w") as f:
        json.dump(stats, f, indent=1)
    return stats


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--db", required=True, help="Sightline case indexed with the CLI")
    ap.add_argument("--out", required=True)
    ap.add_argument("--exclude", help="evaluation annotations whose people must not be trained on")
    ap.add_argument("--per-track", type=int, default=16, help="crops per track (evenly spaced)")
    ap.add_argument("--variants", type=int, default=8, help="recoloured people per track")
    ap.add_argument("--per-variant", type=int, default=6, help="crops per recoloured person")
    ap.add_argument("--lexicon-share", type=float, default=0.15)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    print(json.dumps(build(a.db, a.out, a.exclude, a.per_track, a.variants, a.per_variant, a.seed,
                           a.lexicon_share)))


if __name__ == "__main__":
    main()
