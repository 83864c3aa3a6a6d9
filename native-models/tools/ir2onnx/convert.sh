#!/usr/bin/env bash
# Re-converts the vendored OpenVINO networks (native-models/<id>/source -> model.onnx + manifest.json).
#   native-models/tools/ir2onnx/convert.sh [model ids] [--out DIR]
set -euo pipefail
TOOLS="$(cd "$(dirname "$0")/.." && pwd)"
PYTHONPATH="$TOOLS${PYTHONPATH:+:$PYTHONPATH}" exec "${SIGHTLINE_PYTHON:-/usr/bin/python3}" -m ir2onnx.convert "$@"
