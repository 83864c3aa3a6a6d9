"""IVT 2.0's image head alone: the exported image encoder cut at the ReID trunk's feature map.

    native-models/py -m ivt.image_head [--model native-models/ivt-osnet-v2] [--out DIR]

The image encoder of a hybrid model is the frozen ReID network up to its layer FEATURE_LAYER
(backbone.py) followed by the head (2x2 pool, BatchNorm + 1x1 projection, transformer, embedding).
The ReID stage already runs that network on every crop, and its converted model.onnx exposes the
same layer as its output "trunk" (ir2onnx/models.py). This script extracts the head from the
committed image_encoder.onnx, from the tensor that is the backbone's last output to `embedding`
(the nodes the embedding needs from there on, in order: the same nodes and weights, nothing retrained), names its input HEAD_INPUT,
and records it in the model's manifest (`image.sharedTrunk` + the file's SHA-256), so indexing can
run the trunk once and the head on its map. Deterministic: the same encoder gives the same bytes
(test: ivt/tests/test_image_head.py).
"""
import argparse
import json
import os
import sys

import onnx

from .files import sha256

NATIVE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# backbone.py's facts, without importing torch: the test checks the two agree.
BACKBONE_ID = "person-reidentification-retail-0288"
FEATURE_LAYER = "1126"
TRUNK_OUTPUT = "trunk"  # the key of that layer in the ReID manifest's outputs (ir2onnx/models.py)
HEAD_FILE = "image_head.onnx"
HEAD_INPUT = "feature_map"
BACKBONE_SCOPE = "/patch_embed/backbone/"




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
    """The nodes the output needs, walking back from it and stopping at the feature map (what
    onnx.utils.Extractor does, in linear time: it takes over a minute on this graph), in the encoder's order."""
    model = onnx.load(encoder_path)
    cut = cut_tensor(model)
    out = model.graph.output[0]
    nodes = model.graph.node
    producer = {o: i for i, n in enumerate(nodes) for o in n.output}
    keep, todo, seen = set(), [out.name], set()
    while todo:
        t = todo.pop()
        if t in seen or t == cut:
            continue
        seen.add(t)
        i = producer.get(t)
        if i is not None and i not in keep:
            keep.add(i)
            todo.extend(nodes[i].input)
    head_nodes = []
    for i in sorted(keep):
        n = onnx.NodeProto()
        n.CopyFrom(nodes[i])
        n.input[:] = [HEAD_INPUT if x == cut else x for x in n.input]
        head_nodes.append(n)
    used = {x for n in head_nodes for x in n.input}
    stray = sorted(used & {i.name for i in model.graph.input})
    if stray:
        raise SystemExit(f"image encoder: the head still reads the graph input(s) {stray}, not only the feature map")
    inits = [t for t in model.graph.initializer if t.name in used]
    graph = onnx.helper.make_graph(head_nodes, "image_head",
                                   [onnx.helper.make_tensor_value_info(HEAD_INPUT, onnx.TensorProto.FLOAT, ["batch"] + list(trunk_shape))],
                                   [out], initializer=inits)
    head = onnx.helper.make_model(graph, opset_imports=model.opset_import, producer_name="sightline-ivt-image-head",
                                  doc_string=f"image head of {os.path.basename(encoder_path)}: {cut} (= {BACKBONE_ID} layer {FEATURE_LAYER}) -> {out.name}")
    head.ir_version = model.ir_version
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
