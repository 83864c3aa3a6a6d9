"""IVT 2.0's image head alone: the exported image encoder cut at the ReID trunk's feature map.

    native-models/py -m ivt.image_head [--model native-models/ivt-osnet-v2] [--out DIR]

The image encoder of a hybrid model is the frozen ReID network up to its layer FEATURE_LAYER
(backbone.py) followed by the head (2x2 pool, BatchNorm + 1x1 projection, transformer, embedding).
The ReID stage already runs that network on every crop, and its converted model.onnx exposes the
same layer as its output "trunk" (ir2onnx/models.py). This script extracts the head from the
committed image_encoder.onnx, from the tensor that is the backbone's last output to `embedding`
(onnx.utils.Extractor: the same nodes and weights, nothing retrained), names its input HEAD_INPUT,
and records it in the model's manifest (`image.sharedTrunk` + the file's SHA-256), so indexing can
run the trunk once and the head on its map. Deterministic: the same encoder gives the same bytes
(test: ivt/tests/test_image_head.py).
"""
import argparse
import hashlib
import json
import os
import sys

import onnx
from onnx import utils

NATIVE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# backbone.py's facts, without importing torch: the test checks the two agree.
BACKBONE_ID = "person-reidentification-retail-0288"
FEATURE_LAYER = "1126"
TRUNK_OUTPUT = "trunk"  # the key of that layer in the ReID manifest's outputs (ir2onnx/models.py)
HEAD_FILE = "image_head.onnx"
HEAD_INPUT = "feature_map"
BACKBONE_SCOPE = "/patch_embed/backbone/"


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cut_tensor(model):
    """The one computed tensor a backbone node makes and a node outside the backbone reads: the feature map."""
    made = {o for n in model.graph.node if n.op_type != "Constant" and any(o.startswith(BACKBONE_SCOPE) for o in n.output)
            for o in n.output}
    crossing = sorted({i for n in model.graph.node if not any(o.startswith(BACKBONE_SCOPE) for o in n.output)
                       for i in n.input if i in made})
    if len(crossing) != 1:
        raise SystemExit(f"image encoder: expected one tensor from the backbone into the head, found {crossing}")
    return crossing[0]


def trunk_spec(native=NATIVE):
    """The ReID manifest's entry for the feature map: its tensor name and [C, H, W] (one declaration)."""
    with open(os.path.join(native, BACKBONE_ID, "manifest.json")) as fh:
        return json.load(fh)["outputs"][TRUNK_OUTPUT]


def extract_head(encoder_path, trunk_shape):
    model = onnx.load(encoder_path)
    cut = cut_tensor(model)
    out_name = model.graph.output[0].name
    head = utils.Extractor(model).extract_model([cut], [out_name])
    # A plain input name (the ORT bridge writes one file per tensor name) and a dynamic batch axis.
    for n in head.graph.node:
        n.input[:] = [HEAD_INPUT if i == cut else i for i in n.input]
    head.graph.input[0].CopyFrom(onnx.helper.make_tensor_value_info(HEAD_INPUT, onnx.TensorProto.FLOAT, ["batch"] + list(trunk_shape)))
    head.graph.output[0].CopyFrom(model.graph.output[0])
    head.doc_string = f"image head of {os.path.basename(encoder_path)}: {cut} (= {BACKBONE_ID} layer {FEATURE_LAYER}) -> {out_name}"
    onnx.checker.check_model(head)
    return head


def write(model_dir, out_dir):
    manifest_path = os.path.join(model_dir, "manifest.json")
    with open(manifest_path) as fh:
        manifest = json.load(fh)
    head = extract_head(os.path.join(model_dir, manifest["image"]["file"]), trunk_spec()["shape"])
    os.makedirs(out_dir, exist_ok=True)
    head_path = os.path.join(out_dir, HEAD_FILE)
    with open(head_path, "wb") as fh:
        fh.write(head.SerializeToString(deterministic=True))
    manifest["image"]["sharedTrunk"] = {"model": BACKBONE_ID, "output": TRUNK_OUTPUT, "head": HEAD_FILE, "input": HEAD_INPUT}
    manifest["files"][HEAD_FILE] = sha256(head_path)
    with open(os.path.join(out_dir, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=2)
        fh.write("\n")
    return manifest


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=os.path.join(NATIVE, "ivt-osnet-v2"), help="IVT model folder (hybrid image encoder)")
    ap.add_argument("--out", help="output folder (default: the model folder itself)")
    args = ap.parse_args(argv)
    m = write(args.model, args.out or args.model)
    print(f"{m['id']}: {HEAD_FILE} {m['files'][HEAD_FILE][:12]}…", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
