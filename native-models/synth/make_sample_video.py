"""Render the app's bundled sample case: a 24 s street clip with 6 synthetic walkers.

    cd native-models
    /usr/bin/python3 -m synth.make_sample_video [--out ../resources/sample-case]

Writes sample-street.mp4 (960x540, 12 fps, H.264) and truth.json (per person: description,
attributes, visible intervals, boxes at whole seconds). The background is procedural (no
vtest.avi pixels), so the output may be committed.
"""
import argparse
import os

from .attributes import make_identity as I
from .scene import Walker, render_clip

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "..", "resources", "sample-case"))


def cast():
    """Target + distractors (two hard negatives: red coat without backpack, black jacket with
    grey backpack)."""
    return [
        Walker("woman_red_jacket_black_backpack",
               I(gender="female", hair_length="long", hair_colour="black", upper_type="jacket",
                 upper_colour="red", lower_type="jeans", lower_colour="blue",
                 shoes_colour="black", bag_type="backpack", bag_colour="black", skin=1),
               [(1.0, 1010, 340), (9.0, 430, 355), (12.5, 400, 470), (16.5, -70, 480)],
               "a woman in a red jacket and blue jeans with a black backpack", seed=11,
               extra={"role": "target"}),
        Walker("man_blue_hoodie_jeans",
               I(gender="male", upper_type="hoodie", upper_colour="blue", lower_type="jeans",
                 lower_colour="navy", shoes_colour="white", skin=3),
               [(0.0, -60, 420), (11.0, 1020, 432)],
               "a man in a blue hoodie and jeans", seed=12, extra={"role": "distractor"}),
        Walker("woman_white_dress",
               I(gender="female", hair_length="long", hair_colour="blonde", upper_type="dress",
                 upper_colour="white", lower_type="none", lower_colour="none",
                 shoes_colour="brown", skin=2),
               [(5.0, 1020, 345), (11.0, 600, 350), (14.0, 560, 425), (19.0, -50, 430)],
               "a woman in a white dress", seed=13, extra={"role": "distractor"}),
        Walker("man_yellow_tshirt_grey_shorts",
               I(gender="male", hair_colour="brown", upper_type="t-shirt", upper_colour="yellow",
                 lower_type="shorts", lower_colour="grey", shoes_colour="white", skin=2),
               [(11.5, 1010, 485), (14.0, 720, 480), (18.5, 640, 355), (22.5, 1010, 345)],
               "a man in a yellow t-shirt and grey shorts", seed=14, extra={"role": "distractor"}),
        Walker("woman_red_coat_beige_handbag",
               I(gender="female", hair_length="long", hair_colour="brown", upper_type="coat",
                 upper_colour="red", lower_type="trousers", lower_colour="black",
                 shoes_colour="black", bag_type="handbag", bag_colour="beige", skin=1),
               [(13.5, -60, 455), (23.8, 1010, 440)],
               "a woman in a long red coat and black trousers with a beige handbag (no backpack)",
               seed=15, extra={"role": "hard negative"}),
        Walker("man_black_jacket_grey_backpack",
               I(gender="male", hair_colour="black", upper_type="jacket", upper_colour="black",
                 lower_type="jeans", lower_colour="blue", shoes_colour="grey",
                 bag_type="backpack", bag_colour="grey", skin=1),
               [(16.5, 1010, 385), (24.0, 330, 395)],
               "a man in a black jacket and blue jeans with a grey backpack", seed=16,
               extra={"role": "hard negative"}),
    ]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--seconds", type=float, default=24.0)
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    video = os.path.join(a.out, "sample-street.mp4")
    truth = render_clip(cast(), video, seconds=a.seconds, fps=12, size=(960, 540),
                        truth_path=os.path.join(a.out, "truth.json"))
    print(f"{video}: {os.path.getsize(video) / 1e6:.2f} MB, "
          f"{len(truth['people'])} people, {truth['frames']} frames")


if __name__ == "__main__":
    main()
