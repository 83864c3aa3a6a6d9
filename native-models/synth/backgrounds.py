"""Backgrounds: real (median of vtest.avi = the street without people) and procedural.

The median over frames removes walking people, so patches cut from it are real CCTV
texture (tarmac, grass, brick, kerbs) with no person in them.
"""
import os

import cv2
import numpy as np

VTEST = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"
_CACHE = {}


def read_frames(path=VTEST, step=1, limit=None):
    cap = cv2.VideoCapture(path)
    out, i = [], 0
    while True:
        ok, f = cap.read()
        if not ok:
            break
        if i % step == 0:
            out.append((i, f))
            if limit and len(out) >= limit:
                break
        i += 1
    cap.release()
    return out


def vtest_median(cache_dir=None):
    """Median frame of vtest.avi (cached as PNG in cache_dir, which must be git-ignored)."""
    if "median" in _CACHE:
        return _CACHE["median"]
    path = os.path.join(cache_dir, "vtest_median.png") if cache_dir else None
    if path and os.path.exists(path):
        img = cv2.imread(path)
    else:
        if not os.path.exists(VTEST):
            return None
        frames = [f for _, f in read_frames(step=8)]
        img = np.median(np.stack(frames), axis=0).astype(np.uint8)
        if path:
            os.makedirs(cache_dir, exist_ok=True)
            cv2.imwrite(path, img)
    _CACHE["median"] = img
    return img


def vtest_patch(median, h, w, rng):
    """A random h x w patch of the empty street (resampled from a region whose size matches
    what a 40-120 px person would occupy there), flipped/jittered."""
    H, W = median.shape[:2]
    ph = int(rng.uniform(70, 200))
    pw = max(8, int(ph * w / h))
    # the top ~25% of the frame is mostly building; weight towards the ground
    y = int(rng.uniform(0, H - ph))
    x = int(rng.uniform(0, W - pw))
    p = median[y:y + ph, x:x + pw]
    p = cv2.resize(p, (w, h), interpolation=cv2.INTER_AREA)
    if rng.random() < 0.5:
        p = p[:, ::-1]
    return np.ascontiguousarray(p)


def pavement(h, w, rng, tile=None):
    """Procedural pavement / wall patch (grey-beige slabs, noise, optional wall band)."""
    base = np.array([rng.uniform(90, 170)] * 3) * np.array(
        [rng.uniform(0.9, 1.05), 1.0, rng.uniform(0.95, 1.1)])
    img = np.empty((h, w, 3), np.float32)
    img[:] = base
    tile = tile or int(rng.uniform(8, 30))
    ox, oy = rng.integers(0, tile, 2)
    yy, xx = np.mgrid[0:h, 0:w]
    joints = ((yy + oy) % tile == 0) | ((xx + ox + ((yy + oy) // tile % 2) * tile // 2) % tile == 0)
    img[joints] *= 0.8
    low = cv2.resize(rng.normal(0, 1, (max(2, h // 16), max(2, w // 16), 1)).astype(np.float32),
                     (w, h), interpolation=cv2.INTER_CUBIC)
    img *= (1 + 0.08 * low[..., None] if low.ndim == 2 else 1 + 0.08 * low)
    img += rng.normal(0, 4, img.shape)
    if rng.random() < 0.4:  # a wall / shop front in the upper part of the patch
        wy = int(h * rng.uniform(0.1, 0.45))
        wall = np.array([rng.uniform(40, 200) for _ in range(3)])
        img[:wy] = wall + rng.normal(0, 5, (wy, w, 3))
        img[wy:wy + 2] *= 0.6
    return np.clip(img, 0, 255).astype(np.uint8)
