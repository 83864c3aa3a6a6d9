"""Garment recolouring of real person crops in CIELAB.

A garment's pixels: the garment band of the crop (the same bands the engine reads colours from,
vision/evidence.ts: upper 18-55 %, lower 55-92 % of the box height; central 70 % of the width)
x pixels near the band's dominant colour (the largest of 3 k-means clusters in Lab over the band
centre that is not the background: the median of the crop's side strips) and nearer to it than to
the background. The mask is feathered; inside it each pixel keeps its offset from the garment's mean
(folds, shading, texture) and takes the target colour's mean: L* offset kept in full, a*/b*
offsets halved (so a saturated stripe does not survive as the old hue).
The targets are the synthetic renderer's named colours (synth.attributes.COLOURS: the palette
the captions' colour words already mean).
"""
import colorsys

import cv2
import numpy as np

from .attributes import COLOURS

BANDS = {"upper": (0.18, 0.55), "lower": (0.55, 0.92)}
CENTRE = (0.15, 0.85)
NEAR = 22.0  # Lab distance to the dominant colour still counted as the garment


def _lab(bgr_u8):
    return cv2.cvtColor(bgr_u8.astype(np.float32) / 255.0, cv2.COLOR_BGR2LAB)


def target_lab(name):
    """The Lab value of a named colour: the middle of its renderer range."""
    hue, (s0, s1), (v0, v1) = COLOURS[name]
    r, g, b = colorsys.hsv_to_rgb(hue, (s0 + s1) / 2, (v0 + v1) / 2)
    px = np.array([[[b, g, r]]], np.float32)
    return cv2.cvtColor(px, cv2.COLOR_BGR2LAB)[0, 0]


def garment_mask(crop_bgr, garment):
    """Float mask [H, W] in 0..1 of the garment's pixels, and the garment's mean Lab."""
    h, w = crop_bgr.shape[:2]
    lab = _lab(crop_bgr)
    y0, y1 = int(BANDS[garment][0] * h), max(int(BANDS[garment][1] * h), int(BANDS[garment][0] * h) + 1)
    x0, x1 = int(CENTRE[0] * w), max(int(CENTRE[1] * w), int(CENTRE[0] * w) + 1)
    centre = lab[y0:y1, x0:x1].reshape(-1, 3)
    if len(centre) < 6:
        return np.zeros((h, w), np.float32), centre.mean(0) if len(centre) else np.zeros(3, np.float32)
    crit = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 10, 0.5)
    _, labels, centres = cv2.kmeans(centre.astype(np.float32), 3, None, crit, 2, cv2.KMEANS_PP_CENTERS)
    counts = np.bincount(labels.ravel(), minlength=3)
    # Legs are thin: the lower band's centre can be mostly pavement. The crop's side strips are
    # mostly background, so a cluster near their median colour is not the garment.
    side = np.concatenate([lab[y0:y1, :max(1, w // 10)].reshape(-1, 3), lab[y0:y1, w - max(1, w // 10):].reshape(-1, 3)])
    background = np.median(side, axis=0)
    garment_like = [k for k in np.argsort(-counts) if np.linalg.norm(centres[k] - background) >= NEAR
                    and counts[k] >= 0.1 * counts.sum()]
    dominant = centres[garment_like[0] if garment_like else counts.argmax()]
    dist = np.linalg.norm(lab - dominant, axis=2)
    mask = (dist < NEAR) & (dist < np.linalg.norm(lab - background, axis=2))
    mask = mask.astype(np.float32)
    band = np.zeros((h, w), np.float32)
    # The band, a little wider than where the colour was measured (sleeves, hems).
    band[max(0, y0 - h // 25):min(h, y1 + h // 25), int(0.05 * w):int(0.95 * w) + 1] = 1.0
    mask *= band
    k = max(3, (min(h, w) // 16) | 1)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    mask = cv2.GaussianBlur(mask, (k, k), 0)
    inside = lab[mask > 0.5]
    mean = inside.mean(0) if len(inside) else dominant
    return mask, mean


def recolour(crop_bgr, garment, colour):
    """A copy of `crop_bgr` with `garment` ("upper"/"lower") in the named `colour`; and the
    share of the band the mask covers (a caption is only true where that share is high)."""
    mask, mean = garment_mask(crop_bgr, garment)
    lab = _lab(crop_bgr)
    tgt = target_lab(colour)
    new = np.empty_like(lab)
    new[..., 0] = np.clip(tgt[0] + (lab[..., 0] - mean[0]), 0, 100)
    new[..., 1:] = tgt[1:] + 0.5 * (lab[..., 1:] - mean[1:])
    out = lab * (1 - mask[..., None]) + new * mask[..., None]
    bgr = cv2.cvtColor(out.astype(np.float32), cv2.COLOR_LAB2BGR)
    h = crop_bgr.shape[0]
    y0, y1 = int(BANDS[garment][0] * h), int(BANDS[garment][1] * h)
    cover = float(mask[y0:y1].mean()) if y1 > y0 else 0.0
    return np.clip(bgr * 255.0 + 0.5, 0, 255).astype(np.uint8), cover
