"""python3 -m ivt {standin,train,evaluate,export} ... (run from native-models/ivt)."""
import argparse
import sys


def _bool_flag(p, name, default, help_):
    p.add_argument(f"--{name}", dest=name, action="store_true", help=help_)
    p.add_argument(f"--no-{name}", dest=name, action="store_false")
    p.set_defaults(**{name: default})


def parser():
    ap = argparse.ArgumentParser(prog="ivt")
    sub = ap.add_subparsers(dest="command", required=True)

    s = sub.add_parser("standin", help="tiny development stand-in dataset")
    s.add_argument("--out", required=True)
    s.add_argument("--format", default="cuhk-pedes", choices=["cuhk-pedes", "icfg-pedes", "rstpreid"])
    s.add_argument("--ids", type=int, nargs=3, default=[60, 10, 20])
    s.add_argument("--images-per-id", type=int, default=4)

    t = sub.add_parser("train")
    t.add_argument("--data", required=True, nargs="+",
                   help="dataset folder(s), any supported format; validation uses the first")
    t.add_argument("--out", required=True)
    t.add_argument("--size", default="small", choices=["small", "paper", "tiny", "hybrid"])
    t.add_argument("--dim", type=int)
    t.add_argument("--depth", type=int)
    t.add_argument("--stem", choices=["patch", "conv"], help="image tokeniser (default: size's)")
    t.add_argument("--embed-norm", choices=["none", "bn"], help="embedding normalisation (default: size's)")
    t.add_argument("--embed-dim", type=int, default=256)
    t.add_argument("--max-tokens", type=int, default=64)
    t.add_argument("--dropout", type=float, default=0.0)
    t.add_argument("--frozen-backbone", action="store_true",
                   help="hybrid size: keep the real-image backbone frozen and train on its cached feature maps")
    t.add_argument("--feature-cache", help="folder of cached feature maps (default OUT/features)")
    t.add_argument("--lexicon-vocab", action="store_true",
                   help="add every word of electron/engine/query/lexicon.json to the built vocabulary")
    t.add_argument("--warm-start", help="a shipped IVT folder (ONNX + vocab.txt) of the same transformer size "
                   "to start from (hybrid: all but the image stem)")
    t.add_argument("--init", help="start from this checkpoint's weights (same config; pass its vocab.txt with --vocab)")
    t.add_argument("--vocab", help="use this vocab.txt (e.g. bert-base-uncased) instead of building one")
    _bool_flag(t, "mla", True, "multi-level alignment (phrase + word levels)")
    _bool_flag(t, "bmm", True, "bidirectional mask modelling")
    t.add_argument("--aux-schedule", default="all", choices=["all", "cycle"],
                   help="all = phrase+word+masked pairs every step; cycle = one of them per step")
    t.add_argument("--mla-weight", type=float, default=1.0)
    t.add_argument("--bmm-weight", type=float, default=1.0)
    t.add_argument("--image-mask-rate", type=float, default=0.3)
    t.add_argument("--text-mask-rate", type=float, default=0.15)
    t.add_argument("--cmpm-scale", type=float, default=0.0,
                   help="0 = original CMPM (unnormalised projection); >0 = cosine * scale")
    t.add_argument("--unk-rate", type=float, default=0.05,
                   help="share of sentence tokens replaced by [UNK] in training")
    t.add_argument("--id-loss", type=float, default=0.0, help="weight of the shared ID loss (0 = off)")
    t.add_argument("--hard-share", type=float, default=0.0,
                   help="share of a batch's identities drawn as groups the model confuses (0 = random)")
    t.add_argument("--hard-group", type=int, default=4, help="people per confusable group")
    t.add_argument("--hard-k", type=int, default=8, help="confusable neighbours kept per identity")
    t.add_argument("--mine-every", type=int, default=400, help="steps between refreshes")
    t.add_argument("--batch", type=int, default=64)
    t.add_argument("--per-id", type=int, default=2,
                   help="images per identity in a batch (1 = plain random caption pairs)")
    t.add_argument("--lr", type=float, default=5e-4)
    t.add_argument("--weight-decay", type=float, default=0.05)
    t.add_argument("--steps", type=int, default=2000)
    t.add_argument("--minutes", type=float, default=0, help="wall-time budget (0 = none)")
    t.add_argument("--eval-every", type=int, default=0)
    t.add_argument("--log-every", type=int, default=20)
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--seed", type=int, default=0)

    e = sub.add_parser("evaluate")
    e.add_argument("--checkpoint", required=True)
    e.add_argument("--data", required=True, nargs="+", help="FOLDER[:SPLIT] (split default test)")
    e.add_argument("--json")
    e.add_argument("--threads", type=int, default=2)

    x = sub.add_parser("export")
    x.add_argument("--checkpoint", required=True)
    x.add_argument("--out", required=True)
    x.add_argument("--id", default="ivt-small-synth-v1")
    x.add_argument("--version", default="1.0.0")
    x.add_argument("--description", default="IVT small, trained from scratch on synthetic pedestrians")
    x.add_argument("--license", default="LICENSE.model",
                   help="licence text in native-models/ivt/ copied to the folder as LICENSE (LICENSE-v2.model for 2.0)")
    return ap


def main(argv=None):
    args = parser().parse_args(argv)
    if args.command == "standin":
        from .standin import write_standin
        print(write_standin(args.out, args.format, tuple(args.ids), args.images_per_id))
    elif args.command == "train":
        from . import train
        train.main(args)
    elif args.command == "evaluate":
        from . import evaluate
        evaluate.main(args)
    elif args.command == "export":
        from . import export
        export.main(args)


if __name__ == "__main__":
    sys.exit(main())
