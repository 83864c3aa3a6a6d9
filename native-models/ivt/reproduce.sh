#!/usr/bin/env bash
# Reproduce native-models/ivt-small-synth-v1 (version 1.2.0) from scratch on a CPU machine:
#   synthetic data (native-models/synth) -> three training stages -> evaluate -> export.
#   stage 1: from random weights on synth-v1, random identity batches
#   stage 2: continued from stage 1 at a lower peak learning rate
#   stage 3: continued on synth-v1 + synth-v2 with confusable-identity (hard) batches
# Each stage anneals its own cosine schedule over a wall-time budget, so a faster machine
# does more steps in the same minutes. Env overrides: MINUTES1/2/3 (36/26/95), THREADS
# (default 2), V1/V2 (synthetic CUHK-PEDES folders), REAL (real-footage eval folder),
# OUT (export folder), FROM (first stage to run: 1, 2 or 3; earlier stages' checkpoints
# must exist).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
NM="$(cd "$HERE/.." && pwd)"
PY="$NM/py"   # Debian's python3 with the package roots on PYTHONPATH
WORK="$HERE/work"
V1="${V1:-$NM/synth/work/synth-v1}"
V2="${V2:-$NM/synth/work/synth-v2}"
REAL="${REAL:-$NM/synth/work/vtest-eval}"
OUT="${OUT:-$NM/ivt-small-synth-v1}"
THREADS="${THREADS:-2}"
FROM="${FROM:-1}"
mkdir -p "$WORK"

generate() {  # folder identities per-id seed
  [ -f "$1/reid_raw.json" ] && return
  echo "== generating synthetic data into $1"
  (cd "$NM" && nice -n 5 "$PY" -m synth.generate --out "$1" --identities "$2" --per-id "$3" --seed "$4")
}
generate "$V1" 3000 4 1
generate "$V2" 6000 5 2
if [ ! -f "$REAL/reid_raw.json" ]; then
  echo "== building the real-footage eval set (vtest.avi crops) into $REAL"
  (cd "$NM" && "$PY" -m synth.real_eval --out "$REAL") || echo "(real-footage set unavailable; skipped)"
fi

cd "$HERE"
COMMON=(--size small --mla --bmm --aux-schedule cycle --per-id 2 --batch 64 --steps 100000
        --threads "$THREADS")
stage() {  # name minutes args...
  local name=$1 minutes=$2; shift 2
  echo "== training $name ($minutes min budget)"
  nice -n 5 "$PY" -m ivt train --out "work/$name" --minutes "$minutes" "${COMMON[@]}" "$@" \
    2>&1 | tee "$WORK/$name.log"
}
[ "$FROM" -le 1 ] && stage ivt-small "${MINUTES1:-36}" --data "$V1" --lr 3e-4 --eval-every 200 --seed 0
[ "$FROM" -le 2 ] && stage ivt-small-cont "${MINUTES2:-26}" --data "$V1" --lr 1.5e-4 --eval-every 400 \
  --seed 1 --init work/ivt-small/best.pt --vocab work/ivt-small/vocab.txt
stage ivt-small-v12 "${MINUTES3:-95}" --data "$V1" "$V2" --lr 2e-4 --eval-every 500 --seed 2 \
  --hard-share 0.5 --init work/ivt-small-cont/best.pt --vocab work/ivt-small/vocab.txt

RUN=work/ivt-small-v12
echo "== evaluating"
EVAL=("$V1:test" "$V2:test")
[ -f "$REAL/reid_raw.json" ] && EVAL+=("$REAL:test")
"$PY" -m ivt evaluate --checkpoint "$RUN/best.pt" --data "${EVAL[@]}" --json "$RUN/eval.json" \
  --threads "$THREADS" | tee "$WORK/eval-v12.log"

echo "== exporting to $OUT"
"$PY" -m ivt export --checkpoint "$RUN/best.pt" --out "$OUT" --version 1.2.0
