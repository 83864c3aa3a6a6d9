#!/usr/bin/env bash
# Re-converts the vendored OpenVINO networks (native-models/<id>/source -> model.onnx + manifest.json).
#   native-models/tools/ir2onnx/convert.sh [model ids] [--out DIR]
set -euo pipefail
exec "$(cd "$(dirname "$0")/../.." && pwd)/py" -m ir2onnx.convert "$@"
