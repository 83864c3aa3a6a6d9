#!/usr/bin/env bash
# Unit tests of the model tooling (Python: Debian's interpreter, which has torch/onnx/cv2).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${SIGHTLINE_PYTHON:-/usr/bin/python3}
export OMP_NUM_THREADS=2
status=0
run() { echo "# python: $*"; "$@" || status=1; }
run "$PY" -m unittest discover -s native-models/ivt/tests
(cd native-models && run "$PY" -m unittest discover -s synth/tests -t .) || status=1
(cd native-models/tools && run "$PY" -m unittest discover -s tfjs2onnx/tests -t .) || status=1
(cd native-models/tools && run "$PY" -m unittest discover -s ir2onnx/tests -t .) || status=1
exit $status
