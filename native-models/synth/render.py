"""Procedural pedestrian renderer (OpenCV only).

A person is drawn as a stack of filled shapes (limb capsules, torso polygons, ellipses) into
an id map; each shape has its own colour. Shading comes from the distance to the nearest
shape boundary (rounded, cylinder-like falloff, darker seams) plus a top-down light ramp and
low-frequency fabric noise, so garments read as volumes rather than flat boxes.

Coordinates: unit = person height; x = 0 is the body axis, y = 0 top of head, y = 1 soles.
"""
import math

import cv2
import numpy as np

from .attributes import HAIR_COLOURS, SKIN_TONES, colour_bgr


class Canvas:
    def __init__(self, hp, width_units=0.8, margin=0.06):
        self.hp = hp
        self.h = int(hp * (1 + 2 * margin))
        self.w = int(hp * width_units)
        self.cx = self.w / 2
        self.top = hp * margin
        self.ids = np.zeros((self.h, self.w), np.int32)
        self.groups = [0]
        self.colours = [(0, 0, 0)]
        self.patterned = []
        self.textures = {}

    def pt(self, x, y):
        return (int(round(self.cx + x * self.hp)), int(round(self.top + y * self.hp)))

    def _new(self, colour, group=None, pattern=False, texture=None):
        i = len(self.colours)
        self.colours.append(tuple(int(c) for c in colour))
        self.groups.append(i if group is None else group)
        if pattern:
            self.patterned.append(i)
        if texture:
            self.textures[i] = texture
        return i

    def poly(self, colour, pts, **kw):
        i = self._new(colour, **kw)
        cv2.fillPoly(self.ids, [np.array([self.pt(*p) for p in pts], np.int32)], i)
        return i

    def limb(self, colour, pts, thick, **kw):
        """Capsule polyline of given thickness (person units)."""
        i = self._new(colour, **kw)
        t = max(1, int(round(thick * self.hp)))
        p = [self.pt(*q) for q in pts]
        for a, b in zip(p[:-1], p[1:]):
            cv2.line(self.ids, a, b, i, t)
        for q in p:
            cv2.circle(self.ids, q, t // 2, i, -1)
        return i

    def ellipse(self, colour, c, axes, angle=0, start=0, end=360, **kw):
        i = self._new(colour, **kw)
        ax = (max(1, int(axes[0] * self.hp)), max(1, int(axes[1] * self.hp)))
        cv2.ellipse(self.ids, self.pt(*c), ax, angle, start, end, i, -1)
        return i

    def line(self, colour, a, b, thick, **kw):
        i = self._new(colour, **kw)
        cv2.line(self.ids, self.pt(*a), self.pt(*b), i, max(1, int(round(thick * self.hp))))
        return i


def _darker(c, f=0.7):
    return tuple(int(v * f) for v in c)


def _lighter(c, f=0.35):
    return tuple(int(v + (255 - v) * f) for v in c)


class Colours:
    """Concrete BGR colours of one identity (jittered once per identity, per image slightly)."""

    def __init__(self, a, rng):
        self.skin = np.array(SKIN_TONES[a["skin"]]) * rng.uniform(0.92, 1.05)
        self.hair = np.array(HAIR_COLOURS[a["hair_colour"]]) * rng.uniform(0.85, 1.15)
        self.upper = colour_bgr(a["upper_colour"], rng)
        self.lower = colour_bgr(a["lower_colour"], rng) if a["lower_colour"] != "none" else None
        self.shoes = colour_bgr(a["shoes_colour"], rng)
        self.bag = colour_bgr(a["bag_colour"], rng) if a["bag_colour"] != "none" else None
        self.hat = colour_bgr(a["hat_colour"], rng) if a["hat_colour"] != "none" else None
        self.carry = colour_bgr(a["carrying_colour"], rng) if a["carrying_colour"] != "none" \
            else (30, 30, 30)
        pc = a.get("upper_pattern_colour", "none")
        self.pattern = colour_bgr(pc, rng) if pc != "none" else None
        # inner layer visible in an open jacket/coat: neutral, never described
        self.inner = colour_bgr(["white", "grey", "black"][int(rng.integers(3))], rng)
        self.socks = self.skin if rng.random() < 0.6 else colour_bgr("black", rng)
        self.skin = tuple(int(v) for v in np.clip(self.skin, 0, 255))
        self.hair = tuple(int(v) for v in np.clip(self.hair, 0, 255))


def _pose(view, phase, a, yaw=0.0):
    """Joint positions (person units) for a walking pose. Returns dict of joints for the
    'near' (n) and 'far' (f) sides; in front/back view near = viewer's left.
    yaw in [-1, 1] turns a front/back view towards oblique (3/4): narrower shoulders and
    hips, and the stride/arm swing gain a sideways component."""
    s = math.sin(phase)
    female = a["gender"] == "female"
    b = a["build"]
    bulk = {"coat": 0.014, "jacket": 0.012, "hoodie": 0.01, "sweater": 0.006}.get(
        a["upper_type"], 0.0)                     # padded garments widen the silhouette
    sw = (0.12 if not female else 0.104) * b + bulk   # shoulder half-width
    hw = (0.086 if not female else 0.094) * b     # hip half-width
    J = {}
    if view in ("front", "back"):
        narrow = 1 - 0.3 * abs(yaw)
        sw, hw = sw * narrow, hw * narrow
        for side, sign, ph in (("n", -1, s), ("f", 1, -s)):
            lift = 0.024 * max(0.0, ph)           # back-swinging leg lifts its foot
            fwd = 0.03 * ph                       # forward foot appears lower (high camera)
            J[side + "shoulder"] = (sign * (sw - 0.024), 0.19)
            J[side + "elbow"] = (sign * (sw + 0.008), 0.35 - 0.01 * ph)
            # arm swings opposite to its leg: forward hand rises and comes inwards
            J[side + "wrist"] = (sign * (sw - 0.004 + 0.012 * ph) - yaw * 0.05 * ph,
                                 0.5 + 0.03 * ph)
            J[side + "hip"] = (sign * hw * 0.55, 0.5)
            J[side + "knee"] = (sign * hw * 0.55 + yaw * 0.05 * ph, 0.73 - lift + fwd * 0.5)
            J[side + "ankle"] = (sign * hw * 0.5 + yaw * 0.08 * ph, 0.955 - lift * 1.6 + fwd)
    else:  # side view, facing +x
        for side, ph in (("n", s), ("f", -s)):
            th = 0.3 * ph                        # thigh swing (rad)
            kb = 0.35 * max(0.0, -ph) + 0.1       # knee bend when swinging back
            hip = (0.0, 0.5)
            knee = (hip[0] + 0.23 * math.sin(th), hip[1] + 0.23 * math.cos(th))
            sa = th - kb
            ankle = (knee[0] + 0.225 * math.sin(sa), knee[1] + 0.225 * math.cos(sa))
            J[side + "hip"], J[side + "knee"], J[side + "ankle"] = hip, knee, ankle
            ar = -0.35 * ph                       # arms swing opposite to the legs
            sh = (0.0, 0.175)
            el = (sh[0] + 0.17 * math.sin(ar), sh[1] + 0.17 * math.cos(ar))
            fa = ar + 0.25
            wr = (el[0] + 0.15 * math.sin(fa), el[1] + 0.15 * math.cos(fa))
            J[side + "shoulder"], J[side + "elbow"], J[side + "wrist"] = sh, el, wr
    J["sw"], J["hw"], J["bulk"], J["yaw"] = sw, hw, bulk, yaw
    return J


def render_person(a, view, phase, rng, hp=180, yaw=0.0):
    """Render one pedestrian. Returns (bgr uint8, alpha float32 0..1), tight around the
    person with feet on the bottom row."""
    cv_ = Canvas(hp)
    col = Colours(a, rng)
    J = _pose(view, phase, a, yaw if view != "side" else 0.0)
    if a["carrying"] == "phone":              # far-side forearm raised to the chest
        if view == "side":
            J["felbow"] = (0.02, 0.34)
            J["fwrist"] = (0.09, 0.27)
        else:
            J["felbow"] = (J["sw"] + 0.01, 0.34)
            J["fwrist"] = (0.03, 0.28)
    if a["carrying"] == "suitcase":           # near hand holds the handle, arm straight down
        J["nelbow"] = (J["nshoulder"][0] - (0.015 if view != "side" else 0.03), 0.35)
        J["nwrist"] = (J["nshoulder"][0] - (0.03 if view != "side" else 0.08), 0.51)
    side = view == "side"
    back = view == "back"
    ut, lt = a["upper_type"], a["lower_type"]
    long_sleeve = ut not in ("t-shirt", "dress")
    hem = {"coat": 0.76, "jacket": 0.56, "hoodie": 0.56, "dress": 0.5}.get(ut, 0.54)
    trouser_leg = lt in ("trousers", "jeans")
    lower_tex = "denim" if lt == "jeans" else None
    legs_col = col.lower if trouser_leg else col.socks

    # --- things behind the body ---
    if a["hair_length"] == "long" and not back:
        cv_.poly(col.hair, [(-0.06, 0.05), (0.06, 0.05), (0.075, 0.27), (-0.075, 0.27)]
                 if not side else [(-0.065, 0.04), (0.0, 0.04), (-0.03, 0.27), (-0.085, 0.26)])
    if a["bag_type"] == "backpack" and side:
        cv_.poly(col.bag, [(-0.05, 0.19), (-0.125, 0.2), (-0.135, 0.42), (-0.05, 0.44)])
    if a["carrying"] == "suitcase":
        sx = J["nwrist"][0] + (-0.12 if side else -0.02)
        cv_.poly(col.carry, [(sx - 0.07, 0.62), (sx + 0.07, 0.62), (sx + 0.07, 0.96),
                             (sx - 0.07, 0.96)])
        cv_.line((40, 40, 40), (sx, 0.62), J["nwrist"], 0.012)
        cv_.ellipse((20, 20, 20), (sx - 0.05, 0.97), (0.012, 0.012))
        cv_.ellipse((20, 20, 20), (sx + 0.05, 0.97), (0.012, 0.012))

    # --- far limbs (side view: drawn behind torso) ---
    def leg(s):
        hip, knee, ank = J[s + "hip"], J[s + "knee"], J[s + "ankle"]
        cv_.limb(legs_col, [hip, knee], 0.095 if trouser_leg else 0.08,
                 texture=lower_tex if trouser_leg else None)
        cv_.limb(legs_col, [knee, ank], 0.076 if trouser_leg else 0.058,
                 texture=lower_tex if trouser_leg else None)
        if lt == "shorts":
            mid = (hip[0] * 0.45 + knee[0] * 0.55, hip[1] * 0.45 + knee[1] * 0.55)
            cv_.limb(col.lower, [hip, mid], 0.1)
        # shoe: toe points towards the viewer (front), away (back) or forward (side)
        toe = 0.05 if side else 0.0
        cv_.ellipse(col.shoes, (ank[0] + toe * 0.6, ank[1] + 0.025),
                    (0.055 if side else 0.033, 0.022), 0)

    def arm(s):
        sh, el, wr = J[s + "shoulder"], J[s + "elbow"], J[s + "wrist"]
        sleeve = col.upper
        if long_sleeve:
            cv_.limb(sleeve, [sh, el], 0.068 + J["bulk"], pattern=True)
            cv_.limb(sleeve, [el, wr], 0.06 + J["bulk"], pattern=True)
        else:
            cv_.limb(col.skin, [sh, el, wr], 0.052)
            mid = (sh[0] * 0.55 + el[0] * 0.45, sh[1] * 0.55 + el[1] * 0.45)
            cv_.limb(sleeve, [sh, mid], 0.07, pattern=True)
        d = (wr[0] - el[0], wr[1] - el[1])
        n = math.hypot(*d) + 1e-6
        cv_.ellipse(col.skin, (wr[0] + d[0] / n * 0.025, wr[1] + d[1] / n * 0.025),
                    (0.026, 0.03))

    if side:
        leg("f")
        arm("f")
    else:
        leg("n")
        leg("f")

    # --- torso ---
    sw, hw = J["sw"], J["hw"]
    if side:
        # profile: chest in front (+x), back behind
        bk = J["bulk"]
        torso = [(-0.06 - bk, 0.16), (0.055 + bk, 0.16), (0.072 + bk, 0.3), (0.058 + bk, 0.45),
                 (0.06 + bk, hem), (-0.065 - bk, hem), (-0.062 - bk, 0.35)]
        if ut == "coat":
            torso[4:6] = [(0.075, hem), (-0.08, hem)]
        hips = [(-0.06, 0.44), (0.055, 0.44), (0.06, 0.56), (-0.06, 0.56)]
    else:
        wst = (0.075 if a["gender"] == "male" else 0.066) * a["build"]
        flare = {"coat": 0.03, "jacket": 0.012}.get(ut, 0.0)
        torso = [(-sw, 0.165), (sw, 0.165), (sw - 0.012, 0.27), (wst, 0.4),
                 (hw + flare, hem), (-hw - flare, hem), (-wst, 0.4), (-sw + 0.012, 0.27)]
        hips = [(-hw, 0.44), (hw, 0.44), (hw + 0.005, 0.56), (-hw - 0.005, 0.56)]
    if lt in ("trousers", "jeans", "shorts"):
        cv_.poly(col.lower, hips, texture=lower_tex)
    elif lt == "skirt":
        flare = 0.065 if not side else 0.045
        length = 0.68
        cv_.poly(col.lower, [(hips[0][0], 0.44), (hips[1][0], 0.44),
                             (hips[1][0] + flare, length), (hips[0][0] - flare, length)])
    if ut == "dress":
        fl = 0.09 if not side else 0.06
        cv_.poly(col.upper, [(torso[-2][0] if not side else -0.06, 0.42),
                             (torso[3][0] if not side else 0.055, 0.42),
                             (hw + fl if not side else 0.06 + fl, 0.7),
                             (-hw - fl if not side else -0.06 - fl, 0.7)],
                 pattern=True)
    cv_.poly(col.upper, torso, pattern=True)
    # garment details
    if not side and not back:
        if ut in ("jacket", "coat"):
            cv_.poly(col.inner, [(-0.028, 0.165), (0.028, 0.165), (0.012, 0.33), (-0.012, 0.33)])
            cv_.line(_darker(col.upper, 0.55), (0.0, 0.33), (0.0, hem), 0.008)
            cv_.poly(_darker(col.upper, 0.85), [(-0.028, 0.165), (-0.05, 0.17), (-0.012, 0.3)])
            cv_.poly(_darker(col.upper, 0.85), [(0.028, 0.165), (0.05, 0.17), (0.012, 0.3)])
        elif ut == "shirt":
            cv_.poly(_lighter(col.upper, 0.2), [(-0.035, 0.16), (0.0, 0.2), (-0.025, 0.215)])
            cv_.poly(_lighter(col.upper, 0.2), [(0.035, 0.16), (0.0, 0.2), (0.025, 0.215)])
            cv_.line(_darker(col.upper, 0.75), (0.0, 0.2), (0.0, hem), 0.006)
        elif ut == "hoodie":
            cv_.ellipse(_darker(col.upper, 0.8), (0.0, 0.165), (0.055, 0.025))
            cv_.poly(_darker(col.upper, 0.85), [(-0.05, 0.43), (0.05, 0.43), (0.06, 0.51),
                                                (-0.06, 0.51)])
            cv_.line((200, 200, 200), (-0.015, 0.18), (-0.018, 0.28), 0.006)
            cv_.line((200, 200, 200), (0.015, 0.18), (0.018, 0.28), 0.006)
        elif ut in ("t-shirt", "dress", "sweater"):
            cv_.ellipse(col.skin, (0.0, 0.16), (0.03, 0.02), 0, 0, 180)
    if ut == "hoodie" and (back or side):
        cv_.ellipse(_darker(col.upper, 0.85), (-0.03 if side else 0.0, 0.185),
                    (0.05 if side else 0.065, 0.045))
    if ut == "sweater":
        cv_.poly(_darker(col.upper, 0.8), [(-hw, hem - 0.03), (hw, hem - 0.03), (hw, hem),
                                           (-hw, hem)] if not side else
                 [(-0.06, hem - 0.03), (0.055, hem - 0.03), (0.055, hem), (-0.06, hem)])
    if ut == "coat" and not side:
        cv_.line(_darker(col.upper, 0.7), (-hw * 0.7, 0.45), (-hw * 0.7 + 0.01, 0.47), 0.012)

    # --- bags on the body ---
    if a["bag_type"] == "backpack":
        if back:
            cv_.poly(col.bag, [(-0.085, 0.19), (0.085, 0.19), (0.09, 0.45), (-0.09, 0.45)])
            cv_.poly(_darker(col.bag, 0.8), [(-0.06, 0.34), (0.06, 0.34), (0.062, 0.43),
                                             (-0.062, 0.43)])
        elif not side:
            for sx in (-1, 1):
                cv_.line(_darker(col.bag, 0.9), (sx * (sw - 0.035), 0.165),
                         (sx * (sw - 0.045), 0.34), 0.02)
        else:
            cv_.line(_darker(col.bag, 0.9), (-0.03, 0.17), (0.035, 0.34), 0.018)
    if a["bag_type"] == "shoulder bag":
        if side:
            cv_.line(_darker(col.bag, 0.85), (0.0, 0.17), (0.0, 0.42), 0.012)
            cv_.poly(col.bag, [(-0.06, 0.41), (0.05, 0.41), (0.05, 0.52), (-0.06, 0.52)])
        else:
            bx = -1 if back else 1
            cv_.line(_darker(col.bag, 0.85), (-bx * (sw - 0.02), 0.17), (bx * (hw + 0.03), 0.44),
                     0.014)
            cv_.poly(col.bag, [(bx * (hw - 0.02), 0.43), (bx * (hw + 0.07), 0.43),
                               (bx * (hw + 0.07), 0.54), (bx * (hw - 0.02), 0.54)])

    # --- near limbs ---
    if side:
        leg("n")
        arm("n")
    else:
        arm("n")
        arm("f")
    if a["bag_type"] == "handbag":
        # in the hand not holding the suitcase handle (phone is in the far hand)
        w = J["fwrist"] if a["carrying"] == "suitcase" else J["nwrist"]
        cv_.ellipse(_darker(col.bag, 0.8), (w[0], w[1] + 0.03), (0.025, 0.025), 0, 180, 360)
        cv_.poly(col.bag, [(w[0] - 0.04, w[1] + 0.035), (w[0] + 0.04, w[1] + 0.035),
                           (w[0] + 0.05, w[1] + 0.1), (w[0] - 0.05, w[1] + 0.1)])
    if a["carrying"] == "umbrella":
        w = J["fwrist"] if not side else J["nwrist"]
        tip = (w[0] + (0.12 if side else 0.05 * np.sign(w[0] + 1e-6)), 0.93)
        cv_.line((25, 25, 25), (w[0], w[1] + 0.02), tip, 0.01)
        mx, my = (w[0] * 0.45 + tip[0] * 0.55), (w[1] * 0.45 + tip[1] * 0.55)
        cv_.poly(col.carry, [(w[0] - 0.018, w[1] + 0.06), (w[0] + 0.018, w[1] + 0.06),
                             (mx + 0.02, my + 0.1), (mx - 0.005, my + 0.12)])
        cv_.ellipse((25, 25, 25), (w[0], w[1] + 0.015), (0.015, 0.01))
    if a["carrying"] == "phone":
        w = J["fwrist"]
        cv_.poly((30, 30, 30), [(w[0] - 0.012, w[1] - 0.03), (w[0] + 0.012, w[1] - 0.03),
                                (w[0] + 0.012, w[1] + 0.005), (w[0] - 0.012, w[1] + 0.005)])

    # --- head ---
    cv_.limb(col.skin, [(0.0, 0.1), (0.0, 0.17)] if not side else [(0.0, 0.1), (0.01, 0.17)],
             0.04)
    hx = 0.012 if side else 0.01 * yaw * (1 if view == "front" else -1)
    cv_.ellipse(col.skin, (hx, 0.068), (0.05 if not side else 0.052, 0.064))
    if side:
        cv_.ellipse(col.skin, (hx + 0.05, 0.075), (0.01, 0.012))       # nose
    if back:
        cv_.ellipse(col.hair, (0.0, 0.064), (0.052, 0.064))
        if a["hair_length"] == "long":
            cv_.poly(col.hair, [(-0.058, 0.07), (0.058, 0.07), (0.075, 0.28), (0.0, 0.3),
                                (-0.075, 0.28)])
    elif side:
        cv_.ellipse(col.hair, (hx - 0.008, 0.055), (0.05, 0.05), 0, 150, 390)
        cv_.ellipse(col.hair, (hx - 0.025, 0.075), (0.032, 0.05))
        if a["hair_length"] == "long":
            cv_.poly(col.hair, [(hx - 0.05, 0.06), (hx - 0.0, 0.06), (-0.02, 0.27),
                                (-0.075, 0.25)])
    else:
        cv_.ellipse(col.hair, (0.0, 0.052), (0.053, 0.046), 0, 180, 360)
        cv_.ellipse(col.hair, (0.0, 0.04), (0.048, 0.03))
        if a["hair_length"] == "long":
            cv_.limb(col.hair, [(-0.045, 0.04), (-0.055, 0.22)], 0.03)
            cv_.limb(col.hair, [(0.045, 0.04), (0.055, 0.22)], 0.03)
        # face: eyes and mouth in dark skin tone
        fx = 1.6 * hx                     # face features turn with the head
        cv_.ellipse(_darker(col.skin, 0.45), (fx - 0.018, 0.07), (0.007, 0.004))
        cv_.ellipse(_darker(col.skin, 0.45), (fx + 0.018, 0.07), (0.007, 0.004))
        cv_.line(_darker(col.skin, 0.6), (fx - 0.012, 0.105), (fx + 0.012, 0.105), 0.005)
    if a["glasses"] and not back:
        if side:
            cv_.line((15, 15, 15), (hx + 0.0, 0.068), (hx + 0.05, 0.068), 0.008)
        else:
            cv_.poly((15, 15, 15), [(-0.035, 0.063), (-0.005, 0.063), (-0.005, 0.078),
                                    (-0.035, 0.078)])
            cv_.poly((15, 15, 15), [(0.005, 0.063), (0.035, 0.063), (0.035, 0.078),
                                    (0.005, 0.078)])
            cv_.line((15, 15, 15), (-0.05, 0.068), (0.05, 0.068), 0.005)
    if a["hat"] == "cap":
        cv_.ellipse(col.hat, (hx, 0.045), (0.056, 0.042), 0, 180, 360)
        cv_.poly(col.hat, [(hx - 0.056, 0.045), (hx + 0.056, 0.045), (hx + 0.05, 0.03),
                           (hx - 0.05, 0.03)])
        if side:
            cv_.poly(_darker(col.hat, 0.8), [(hx + 0.03, 0.04), (hx + 0.1, 0.048),
                                             (hx + 0.1, 0.056), (hx + 0.03, 0.052)])
        elif not back:
            cv_.ellipse(_darker(col.hat, 0.8), (0.0, 0.05), (0.05, 0.012), 0, 0, 180)
    elif a["hat"] == "beanie":
        cv_.ellipse(col.hat, (hx, 0.05), (0.056, 0.05), 0, 180, 360)
        cv_.poly(_darker(col.hat, 0.85), [(hx - 0.057, 0.04), (hx + 0.057, 0.04),
                                          (hx + 0.057, 0.058), (hx - 0.057, 0.058)])
    return _shade(cv_, a, rng)


def _shade(cv_, a, rng):
    ids = cv_.ids
    groups = np.array(cv_.groups, np.int32)
    g = groups[ids]
    # boundaries between shapes -> distance -> rounded falloff
    edge = np.zeros(g.shape, np.uint8)
    edge[:, 1:] |= (g[:, 1:] != g[:, :-1])
    edge[1:, :] |= (g[1:, :] != g[:-1, :])
    d = cv2.distanceTransform((1 - edge).astype(np.uint8), cv2.DIST_L2, 3)
    r = 0.03 * cv_.hp
    shade = 0.62 + 0.38 * np.sqrt(np.clip(d / r, 0, 1))
    h, w = ids.shape
    ys = np.linspace(1.1, 0.88, h, dtype=np.float32)[:, None]
    side_light = rng.uniform(-0.12, 0.12)
    xs = 1 + side_light * np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    # fabric folds / uneven lighting: low-frequency noise
    noise = cv2.resize(rng.normal(0, 1, (10, 6)).astype(np.float32), (w, h),
                       interpolation=cv2.INTER_CUBIC)
    shade = shade * ys * xs * (1 + 0.05 * noise)
    pal = np.array(cv_.colours, np.float32)
    img = pal[ids]
    # patterns on the upper garment
    pat = a.get("upper_pattern", "plain")
    if pat != "plain" and cv_.patterned:
        m = np.isin(ids, cv_.patterned)
        pc = np.array(cv_.colours[cv_.patterned[0]], np.float32)
        alt = np.array(colour_bgr(a.get("upper_pattern_colour", "white"), rng), np.float32)
        per = max(3, int(0.028 * cv_.hp))
        yy, xx = np.mgrid[0:h, 0:w]
        if pat == "striped":
            band = (yy // per) % 2 == 1
        else:  # plaid: two crossing band sets, blended
            band = ((yy // (per * 2)) % 2 == 1) ^ ((xx // (per * 2)) % 2 == 1)
            lines = ((yy % (per * 2)) == 0) | ((xx % (per * 2)) == 0)
            img[m & lines] = alt * 0.5 + pc * 0.5
        img[m & band] = alt
    # denim: fine vertical grain + lighter thighs
    den = [i for i, t in cv_.textures.items() if t == "denim"]
    if den:
        m = np.isin(ids, den)
        grain = rng.normal(1, 0.07, (h, 1 + w // 2)).astype(np.float32)
        grain = cv2.resize(grain, (w, h), interpolation=cv2.INTER_LINEAR)
        img[m] *= grain[m][:, None]
    img = img * shade[..., None]
    img = np.clip(img, 0, 255).astype(np.uint8)
    alpha = (ids > 0).astype(np.float32)
    ys_, xs_ = np.nonzero(ids)
    y0, y1, x0, x1 = ys_.min(), ys_.max() + 1, xs_.min(), xs_.max() + 1
    return img[y0:y1, x0:x1], alpha[y0:y1, x0:x1]
