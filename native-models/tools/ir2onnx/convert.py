"""CLI: native-models/<id>/source/<id>.{xml,bin} -> native-models/<id>/{model.onnx, manifest.json}.

    cd native-models/tools && /usr/bin/python3 -m ir2onnx.convert person-reidentification-retail-0288 [--out DIR]

Deterministic: the same IR gives the same bytes (test/integration/openvino-artifacts.test.ts).
"""
from __future__ import annotations

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NATIVE = os.path.dirname(os.path.dirname(HERE))

from . import converter
from . import ir_graph
from .models import MODELS
# One manifest layout and file hash for every converter's output.
from tfjs2onnx.convert_nanodet import format_json, sha256




def source_paths(model_id: str, native: str = NATIVE):
    base = os.path.join(native, model_id, "source", model_id)
    return base + ".xml", base + ".bin"


def convert_model(model_id: str, out_dir: str, native: str = NATIVE) -> dict:
    if model_id not in MODELS:
        raise SystemExit(f"unknown model {model_id}; known: {', '.join(sorted(MODELS))}")
    xml, bin_ = source_paths(model_id, native)
    ir = ir_graph.load(xml, bin_)
    spec = MODELS[model_id]
    # Outputs the manifest names that are not IR Results are inner layers ("taps").
    results = {ir_graph.result_name(r) for r in ir.results}
    taps = [o["name"] for o in spec["outputs"].values() if o["name"] not in results]
    onnx_model = converter.convert(ir, doc=f"{model_id}, converted from OpenVINO IR by native-models/tools/ir2onnx", taps=taps)
    os.makedirs(out_dir, exist_ok=True)
    onnx_path = os.path.join(out_dir, "model.onnx")
    with open(onnx_path, "wb") as f:
        f.write(onnx_model.SerializeToString())
    manifest = {
        "kind": spec["kind"], "id": model_id, "version": spec["version"], "description": spec["description"],
        "license": "Apache-2.0", "file": "model.onnx", "input": spec["input"], "batch": "dynamic",
        "outputs": spec["outputs"],
        "source": {"xml": f"source/{model_id}.xml", "bin": f"source/{model_id}.bin",
                   "sha256": {"xml": sha256(xml), "bin": sha256(bin_)}},
        "files": {"model.onnx": sha256(onnx_path)},
    }
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        f.write(format_json(manifest))
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model", nargs="*", help=f"model ids (default: all of {', '.join(sorted(MODELS))})")
    ap.add_argument("--out", help="output folder (default native-models/<id>/); only with one model")
    args = ap.parse_args(argv)
    ids = args.model or sorted(MODELS)
    if args.out and len(ids) != 1:
        ap.error("--out needs exactly one model id")
    for model_id in ids:
        m = convert_model(model_id, args.out or os.path.join(NATIVE, model_id))
        print(f"{model_id}: model.onnx {m['files']['model.onnx'][:12]}…", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
