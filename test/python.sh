#!/usr/bin/env bash
# Unit tests of the model tooling (Python: Debian's interpreter, which has torch/onnx/cv2).
set -uo pipefail
cd "$(dirname "$0")/.."
# native-models/py: Debian's python3 (or SIGHTLINE_PYTHON) with synth, ivt and tfjs2onnx importable.
PY="$PWD/native-models/py"
export OMP_NUM_THREADS=2
status=0
run() { echo "# python: $*"; "$@" || { status=1; return 1; }; }  # return 1 too: some runs are in subshells
run "$PY" -m unittest discover -s native-models/ivt/tests
(cd native-models && run "$PY" -m unittest discover -s synth/tests -t .) || status=1
(cd native-models/tools && run "$PY" -m unittest discover -s tfjs2onnx/tests -t .) || status=1
(cd native-models/tools && run "$PY" -m unittest discover -s ir2onnx/tests -t .) || status=1
run "$PY" -m unittest discover -s native-models/tests -t native-models
exit $status
