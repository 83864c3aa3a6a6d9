#!/usr/bin/env bash
# Unit tests of the model tooling (Python, Debian's interpreter with torch/onnx/cv2).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
status=0
for suite in native-models/ivt/tests native-models/synth/tests native-models/tools/tfjs2onnx/tests; do
  [ -d "$suite" ] || continue
  top=$(dirname "$suite")
  echo "# python: $suite"
  (cd "$top/.." && PYTHONPATH="$PWD" OMP_NUM_THREADS=2 $PY -m unittest discover -s "$(basename "$top")/tests" -t . ) || status=1
done
exit $status
