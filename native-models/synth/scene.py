"""Render short street-scene clips with synthetic walkers (sample case, test fixtures).

    from synth.scene import Walker, render_clip
    truth = render_clip([Walker(name="target", attributes=a, path=[(0, -60, 380), (10, 1000, 380)])],
                        "clip.mp4", seconds=10)

The background is drawn procedurally (no vtest pixels), so clips can be committed.
Person height follows the ground position (high camera: farther = higher in the frame =
smaller), walking phase follows distance walked, the view (front/back/side) follows the
walking direction.
"""
import json
import math
import subprocess
from dataclasses import dataclass, field

import cv2
import numpy as np

from .degrade import high_angle
from .render import render_person


@dataclass
class Walker:
    name: str
    attributes: dict
    path: list                      # [(t_seconds, x_feet, y_feet), ...] piecewise linear
    description: str = ""
    seed: int = 0
    extra: dict = field(default_factory=dict)

    def position(self, t):
        p = self.path
        if t < p[0][0] or t > p[-1][0]:
            return None
        for (t0, x0, y0), (t1, x1, y1) in zip(p[:-1], p[1:]):
            if t0 <= t <= t1:
                u = (t - t0) / max(1e-6, t1 - t0)
                return x0 + u * (x1 - x0), y0 + u * (y1 - y0), (x1 - x0, y1 - y0)
        return None


def person_height(y_feet, H):
    """Pixel height of a person whose feet are at y_feet (linear ground-plane model):
    90 px with feet at y=300, ~190 px at y=480 in a 540-line frame."""
    s = H / 540
    return s * (90 + 0.55 * (y_feet / s - 300))


def street_background(W=960, H=540, seed=0):
    """Pavement in perspective under a brick shop front, kerb and road at the bottom.
    Drawn at 960x540 (fixed layout) and resized to other frame sizes."""
    if (W, H) != (960, 540):
        return cv2.resize(street_background(960, 540, seed), (W, H), interpolation=cv2.INTER_AREA)
    rng = np.random.default_rng(seed)
    img = np.zeros((H, W, 3), np.float32)
    wall_h = int(H * 0.33)
    # brick wall: staggered courses with per-brick tone and mortar lines
    brick = np.array([70, 95, 150], np.float32)
    bh, bw = 7, 20
    for r in range(0, wall_h, bh):
        off = (r // bh % 2) * bw // 2
        for c in range(-bw, W + bw, bw):
            tone = brick * rng.uniform(0.8, 1.12)
            cv2.rectangle(img, (c + off, r), (c + off + bw - 2, r + bh - 2), tone.tolist(), -1)
    img[:wall_h][img[:wall_h].sum(axis=2) == 0] = (150, 160, 165)
    # windows and a shop front
    for x in range(40, W - 80, 170):
        cv2.rectangle(img, (x, 18), (x + 90, 80), (60, 55, 45), -1)
        cv2.rectangle(img, (x, 18), (x + 90, 80), (210, 215, 215), 3)
        cv2.line(img, (x + 45, 18), (x + 45, 80), (210, 215, 215), 2)
        cv2.rectangle(img, (x + 4, 22), (x + 42, 50), (95, 85, 70), -1)  # sky reflection
    shop = (W // 2 - 150, 95, W // 2 + 150, wall_h)
    cv2.rectangle(img, shop[:2], shop[2:], (45, 50, 40), -1)
    cv2.rectangle(img, (shop[0], shop[1] - 14), (shop[2], shop[1]), (120, 60, 30), -1)
    cv2.putText(img, "CAFE", (W // 2 - 30, shop[1] - 2), cv2.FONT_HERSHEY_SIMPLEX, 0.45,
                (230, 230, 230), 1, cv2.LINE_AA)
    cv2.rectangle(img, (W // 2 - 25, 110), (W // 2 + 25, wall_h), (30, 30, 28), -1)  # door
    for x in (shop[0] + 10, W // 2 + 35):
        cv2.rectangle(img, (x, 110), (x + 105, wall_h - 15), (80, 75, 60), -1)
    cv2.rectangle(img, (0, wall_h - 6), (W, wall_h), (90, 95, 100), -1)  # plinth
    # pavement: slabs whose joints converge to a vanishing point above the frame
    y0, y_kerb = wall_h, int(H * 0.9)
    img[y0:y_kerb] = (150, 155, 158)
    vx, vy = W / 2, -1.6 * H
    for xb in range(-2 * W, 3 * W, 70):
        p0 = (int(vx + (xb - vx) * (y0 - vy) / (y_kerb - vy)), y0)
        cv2.line(img, p0, (xb, y_kerb), (118, 122, 125), 1, cv2.LINE_AA)
    y, step = y0, 14.0
    while y < y_kerb:
        cv2.line(img, (0, int(y)), (W, int(y)), (118, 122, 125), 1, cv2.LINE_AA)
        y += step
        step *= 1.12
    # kerb and road
    img[y_kerb:y_kerb + 6] = (185, 188, 190)
    img[y_kerb + 6:] = (70, 72, 74)
    cv2.line(img, (0, H - 8), (W, H - 8), (200, 220, 230), 2)
    # street furniture: lamp post, bin, bollards, planter
    cv2.rectangle(img, (150, 40), (156, y0 + 120), (60, 60, 60), -1)
    cv2.rectangle(img, (140, 36), (175, 44), (70, 70, 70), -1)
    cv2.rectangle(img, (820, y0 + 40), (850, y0 + 85), (40, 70, 40), -1)
    for bx in (300, 420, 540, 660):
        cv2.rectangle(img, (bx, y_kerb - 30), (bx + 8, y_kerb), (50, 50, 55), -1)
    cv2.rectangle(img, (30, y0 + 5), (110, y0 + 45), (60, 80, 110), -1)
    cv2.ellipse(img, (70, y0 + 5), (45, 22), 0, 180, 360, (40, 100, 50), -1)
    # grime / uneven light
    low = cv2.resize(rng.normal(0, 1, (H // 24, W // 24)).astype(np.float32), (W, H),
                     interpolation=cv2.INTER_CUBIC)
    img *= (1 + 0.035 * low)[..., None]
    img += rng.normal(0, 3, img.shape)
    img *= np.linspace(1.05, 0.92, W, dtype=np.float32)[None, :, None]  # light from the left
    return np.clip(img, 0, 255).astype(np.uint8)


class _Sprite:
    """Per-walker rendering state (fixed colours/noise so the person does not flicker)."""

    def __init__(self, w):
        self.w = w
        self.dist = 0.0
        self.last = None
        self.view = "side"

    def draw(self, frame, t, shadow=True):
        pos = self.w.position(t)
        if pos is None:
            return None
        x, y, (dx, dy) = pos
        if self.last is not None:
            self.dist += math.hypot(x - self.last[0], y - self.last[1])
        self.last = (x, y)
        H, W = frame.shape[:2]
        ph = person_height(y, H)
        if abs(dx) >= abs(dy) * 1.2:
            view = "side"
        else:
            view = "front" if dy > 0 else "back"
        phase = 2 * math.pi * self.dist / (0.8 * ph)
        rng = np.random.default_rng(self.w.seed)     # same colours/noise every frame
        # diagonal walking towards/away from the camera -> oblique (3/4) view
        yaw = 0.0 if view == "side" else float(np.clip(dx / (abs(dy) + 1e-6), -1, 1)) * 0.8
        img, alpha = render_person(self.w.attributes, view, phase, rng, hp=int(ph * 2.2),
                                   yaw=yaw)
        if view == "side" and dx < 0:
            img, alpha = img[:, ::-1], alpha[:, ::-1]
        img, alpha = high_angle(np.ascontiguousarray(img), np.ascontiguousarray(alpha),
                                rng, k=0.9, sq=0.93, lean=0.0)
        s = ph / alpha.shape[0]
        pw, phi = max(2, int(round(alpha.shape[1] * s))), int(round(ph))
        img = cv2.resize(img, (pw, phi), interpolation=cv2.INTER_AREA).astype(np.float32)
        a = cv2.resize(alpha, (pw, phi), interpolation=cv2.INTER_AREA)
        x0, y0 = int(round(x - pw / 2)), int(round(y - phi))
        if shadow:  # cast shadow on the pavement (sun from upper left)
            sh = np.zeros((H, W), np.float32)
            cv2.ellipse(sh, (int(x + ph * 0.12), int(y)), (int(pw * 0.6), max(2, int(ph * 0.05))),
                        -8, 0, 360, 1.0, -1)
            sh = cv2.GaussianBlur(sh, (0, 0), max(1.0, ph / 50))
            frame *= (1 - 0.3 * sh)[..., None]
        fx0, fy0, fx1, fy1 = max(0, x0), max(0, y0), min(W, x0 + pw), min(H, y0 + phi)
        if fx1 <= fx0 or fy1 <= fy0:
            return None
        sub_a = a[fy0 - y0:fy1 - y0, fx0 - x0:fx1 - x0, None]
        sub = img[fy0 - y0:fy1 - y0, fx0 - x0:fx1 - x0]
        frame[fy0:fy1, fx0:fx1] = sub * sub_a + frame[fy0:fy1, fx0:fx1] * (1 - sub_a)
        ys, xs = np.nonzero(a > 0.3)
        bx0, by0 = x0 + xs.min(), y0 + ys.min()
        bx1, by1 = x0 + xs.max() + 1, y0 + ys.max() + 1
        full = bx0 >= 0 and by0 >= 0 and bx1 <= W and by1 <= H
        cb = [max(0, bx0), max(0, by0), min(W, bx1), min(H, by1)]
        return {"bbox": [int(cb[0]), int(cb[1]), int(cb[2] - cb[0]), int(cb[3] - cb[1])],
                "fully_visible": bool(full), "view": view}


def render_frames(walkers, seconds, fps=12, size=(960, 540), background=None, seed=0):
    """Yield (frame_index, t, frame uint8 BGR, {name: box-info}) for the clip."""
    W, H = size
    bg = street_background(W, H, seed) if background is None else background
    sprites = [_Sprite(w) for w in walkers]
    rng = np.random.default_rng(seed + 1)
    for i in range(int(round(seconds * fps))):
        t = i / fps
        frame = bg.astype(np.float32)
        # farther people (feet higher in the frame) first
        order = sorted(sprites, key=lambda s: (s.w.position(t) or (0, -1, 0))[1])
        boxes = {}
        for s in order:
            b = s.draw(frame, t)
            if b:
                boxes[s.w.name] = b
        frame += rng.normal(0, 2.5, frame.shape[:2])[..., None]   # sensor noise
        yield i, t, np.clip(frame, 0, 255).astype(np.uint8), boxes


def render_clip(walkers, out_path, seconds=10.0, fps=12, size=(960, 540), crf=28,
                background=None, seed=0, truth_path=None):
    """Render walkers to an H.264 MP4 via ffmpeg; returns the truth dict (and writes it to
    truth_path if given). Truth: per walker, visible intervals and boxes at whole seconds."""
    W, H = size
    cmd = ["ffmpeg", "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "bgr24",
           "-s", f"{W}x{H}", "-r", str(fps), "-i", "-", "-c:v", "libx264", "-preset", "medium",
           "-crf", str(crf), "-pix_fmt", "yuv420p", "-movflags", "+faststart", out_path]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
    seen = {w.name: [] for w in walkers}
    boxes = {w.name: [] for w in walkers}
    for i, t, frame, bx in render_frames(walkers, seconds, fps, size, background, seed):
        proc.stdin.write(frame.tobytes())
        for name, b in bx.items():
            seen[name].append(i)
            if i % fps == 0:
                boxes[name].append({"t": round(t, 3), **b})
    proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError("ffmpeg failed")
    people = []
    for w in walkers:
        iv, fr = [], seen[w.name]
        for f in fr:
            if iv and f == iv[-1][1] + 1:
                iv[-1][1] = f
            else:
                iv.append([f, f])
        people.append({"name": w.name, "description": w.description,
                       "attributes": w.attributes,
                       "intervals": [[round(a / fps, 3), round((b + 1) / fps, 3)] for a, b in iv],
                       "boxes": boxes[w.name], **w.extra})
    truth = {"video": out_path.split("/")[-1], "width": W, "height": H, "fps": fps,
             "seconds": seconds, "frames": int(round(seconds * fps)),
             "bbox_format": "[x, y, w, h] in pixels, clipped to the frame; boxes at whole seconds",
             "people": people}
    if truth_path:
        with open(truth_path, "w") as f:
            json.dump(truth, f, indent=1)
    return truth


def main(argv=None):
    """CLI for fixtures in other languages:
        /usr/bin/python3 -m synth.scene spec.json out.mp4 [truth.json]
    spec: {"seconds": 6, "fps": 12, "size": [640, 360], "seed": 0,
           "people": [{"name": "p1", "description": "...", "seed": 1,
                       "attributes": {"upper_colour": "red", ...},   # make_identity keys
                       "path": [[0, -40, 300], [6, 700, 300]]}]}"""
    import argparse
    from .attributes import make_identity
    ap = argparse.ArgumentParser(description=main.__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("spec")
    ap.add_argument("out")
    ap.add_argument("truth", nargs="?")
    a = ap.parse_args(argv)
    with open(a.spec) as f:
        spec = json.load(f)
    walkers = [Walker(p["name"], make_identity(**p.get("attributes", {})),
                      [tuple(q) for q in p["path"]], p.get("description", ""),
                      p.get("seed", i)) for i, p in enumerate(spec["people"])]
    render_clip(walkers, a.out, seconds=spec.get("seconds", 10), fps=spec.get("fps", 12),
                size=tuple(spec.get("size", (960, 540))), seed=spec.get("seed", 0),
                truth_path=a.truth)


if __name__ == "__main__":
    main()
