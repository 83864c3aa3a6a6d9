"""Turn a clean rendered person into a CCTV-looking person crop.

Order mirrors a camera pipeline: perspective (high mount) -> scene (background, shadow) ->
optics/motion blur at the true low resolution -> white balance / exposure -> sensor noise
-> JPEG at a low quality -> resize to the crop size the detector/tracker would hand over.
"""
import cv2
import numpy as np

from .backgrounds import pavement, vtest_patch


def _paste(bg, person, a, x0, y0):
    """Alpha-composite person (float, with alpha a[...,None]) at (x0, y0), clipped."""
    H, W = bg.shape[:2]
    h, w = a.shape[:2]
    fx0, fy0, fx1, fy1 = max(0, x0), max(0, y0), min(W, x0 + w), min(H, y0 + h)
    if fx1 <= fx0 or fy1 <= fy0:
        return
    sa = a[fy0 - y0:fy1 - y0, fx0 - x0:fx1 - x0]
    sp = person[fy0 - y0:fy1 - y0, fx0 - x0:fx1 - x0]
    bg[fy0:fy1, fx0:fx1] = sp * sa + bg[fy0:fy1, fx0:fx1] * (1 - sa)


def _bystander(rng, ph):
    """Another (random) pedestrian, for partial overlap at the crop edge as in real
    detector crops. Imported lazily to keep module dependencies one-way."""
    from .attributes import sample_identity
    from .render import render_person
    other = sample_identity(rng)
    img, al = render_person(other, ["front", "back", "side"][int(rng.integers(3))],
                            rng.uniform(0, 6.3), rng, hp=140)
    h = int(ph * rng.uniform(0.85, 1.1))
    w = max(2, int(al.shape[1] * h / al.shape[0]))
    return (cv2.resize(img, (w, h), interpolation=cv2.INTER_AREA).astype(np.float32),
            cv2.resize(al, (w, h), interpolation=cv2.INTER_AREA)[..., None])


def high_angle(img, alpha, rng, k=None, sq=None, lean=None):
    """Camera above and in front: upper body nearer -> wider; body foreshortened."""
    h, w = alpha.shape
    k = rng.uniform(0.8, 0.95) if k is None else k      # width of feet relative to head
    sq = rng.uniform(0.82, 1.0) if sq is None else sq   # vertical foreshortening
    nh = int(h * sq)
    pad = int(w * 0.05)
    nw = w + 2 * pad
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    inset = w * (1 - k) / 2
    dst = np.float32([[pad, 0], [pad + w, 0], [pad + w - inset, nh], [pad + inset, nh]])
    # slight lean (lens distortion near image edges)
    lean = (rng.uniform(-0.06, 0.06) if lean is None else lean) * nh
    dst[:2, 0] += lean
    M = cv2.getPerspectiveTransform(src, dst)
    img = cv2.warpPerspective(img, M, (nw + int(abs(lean)) * 2, nh), flags=cv2.INTER_LINEAR)
    alpha = cv2.warpPerspective(alpha, M, (nw + int(abs(lean)) * 2, nh), flags=cv2.INTER_LINEAR)
    return img, alpha


def cctv_crop(img, alpha, rng, median, out_w=64, out_h=128, info=None):
    """Composite the person on a background at 40-120 px height and degrade. If info is a
    dict, the person's height in camera pixels is stored in info["person_px"]."""
    img, alpha = high_angle(img, alpha, rng)
    ph = int(rng.uniform(40, 120))                      # person height in the camera image
    if info is not None:
        info["person_px"] = ph
    scale = ph / alpha.shape[0]
    pw = max(4, int(round(alpha.shape[1] * scale)))
    person = cv2.resize(img, (pw, ph), interpolation=cv2.INTER_AREA).astype(np.float32)
    a = cv2.resize(alpha, (pw, ph), interpolation=cv2.INTER_AREA)[..., None]
    # crop box around the person as a detector would give it: loose, off-centre
    ch = int(ph * rng.uniform(1.04, 1.18))
    cw = max(int(ch * out_w / out_h), pw + 2)
    if median is not None and rng.random() < 0.8:
        bg = vtest_patch(median, ch, cw, rng).astype(np.float32)
    else:
        bg = pavement(ch, cw, rng).astype(np.float32)
    y0 = int(rng.uniform(0.02, 0.98) * (ch - ph))
    x0 = int(np.clip((cw - pw) / 2 + rng.normal(0, 0.06) * cw, 0, cw - pw))
    # soft contact shadow under the feet
    sh = np.zeros((ch, cw), np.float32)
    cv2.ellipse(sh, (x0 + pw // 2, y0 + ph - 1), (max(2, int(pw * 0.45)), max(1, ph // 30)),
                0, 0, 360, 1.0, -1)
    sh = cv2.GaussianBlur(sh, (0, 0), max(0.8, ph / 60))
    bg *= 1 - 0.35 * sh[..., None]
    # match the person's exposure loosely to the scene (real people are lit like the street)
    person *= rng.uniform(0.75, 1.05)
    other = _bystander(rng, ph) if rng.random() < 0.15 else None
    if other is not None:
        op, oa = other
        left = rng.random() < 0.5
        vis = int(oa.shape[1] * rng.uniform(0.2, 0.45))     # visible part of the bystander
        ox = vis - oa.shape[1] if left else cw - vis
        oy = y0 + int(rng.uniform(-0.1, 0.1) * ph)
        behind = rng.random() < 0.6
        if behind:
            _paste(bg, op * rng.uniform(0.75, 1.05), oa, ox, oy)
    _paste(bg, person, a, x0, y0)
    if other is not None and not behind:
        _paste(bg, op * rng.uniform(0.75, 1.05), oa, ox, oy)
    frame = bg
    # motion blur (walking + shutter) and lens softness at native resolution
    k = int(rng.choice([1, 1, 2, 3, 4]))
    if k > 1:
        ker = np.zeros((k, k), np.float32)
        if rng.random() < 0.7:
            ker[k // 2, :] = 1
        else:
            cv2.line(ker, (0, 0), (k - 1, k - 1), 1.0, 1)
        frame = cv2.filter2D(frame, -1, ker / ker.sum())
    frame = cv2.GaussianBlur(frame, (0, 0), rng.uniform(0.3, 0.9))
    # white balance / exposure / gamma
    # warm/cool cast kept moderate so a labelled "white" shirt does not turn pink
    t = rng.uniform(-0.08, 0.08)
    gains = np.array([1 - t, 1.0, 1 + t]) * rng.uniform(0.96, 1.04, 3)
    frame = frame * gains * rng.uniform(0.75, 1.2)
    frame = 255 * (np.clip(frame, 0, 255) / 255) ** rng.uniform(0.8, 1.25)
    # sensor noise: luma + some chroma
    frame += rng.normal(0, rng.uniform(1.5, 7), frame.shape[:2])[..., None]
    frame += rng.normal(0, 2, frame.shape)
    frame = np.clip(frame, 0, 255).astype(np.uint8)
    # camera-side compression at native resolution
    q = int(rng.uniform(25, 75))
    ok, enc = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, q])
    frame = cv2.imdecode(enc, cv2.IMREAD_COLOR)
    return cv2.resize(frame, (out_w, out_h), interpolation=cv2.INTER_LINEAR)
