#!/usr/bin/env bash
# Reproduce native-models/ivt-small-synth-v1 from scratch on a CPU machine:
#   synthetic data (native-models/synth) -> train -> evaluate -> export (+ manifest).
# Env overrides: MINUTES (training wall-time budget, default 36), THREADS (default 1),
#   DATA (synthetic CUHK-PEDES folder), REAL (real-footage eval folder), OUT (export folder).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
NM="$(cd "$HERE/.." && pwd)"
PY=/usr/bin/python3
WORK="$HERE/work"
RUN="$WORK/ivt-small"
DATA="${DATA:-$NM/synth/work/synth-v1}"
REAL="${REAL:-$NM/synth/work/vtest-eval}"
OUT="${OUT:-$NM/ivt-small-synth-v1}"
MINUTES="${MINUTES:-36}"
THREADS="${THREADS:-1}"
mkdir -p "$WORK"

if [ ! -f "$DATA/reid_raw.json" ]; then
  echo "== generating synthetic data into $DATA"
  (cd "$NM" && nice -n 5 "$PY" -m synth.generate --out "$DATA" --identities 3000 --per-id 4 --seed 1)
fi

if [ ! -f "$REAL/reid_raw.json" ]; then
  echo "== building the real-footage eval set (vtest.avi crops) into $REAL"
  (cd "$NM" && "$PY" -m synth.real_eval --out "$REAL") || echo "(real-footage set unavailable; skipped)"
fi

echo "== training ($MINUTES min budget)"
cd "$HERE"
nice -n 5 "$PY" -m ivt train --data "$DATA" --out "$RUN" --size small --mla --bmm \
  --aux-schedule cycle --per-id 2 --batch 64 --lr 3e-4 --steps 100000 --minutes "$MINUTES" \
  --eval-every 200 --threads "$THREADS" --seed 0 2>&1 | tee "$WORK/train-small.log"

echo "== evaluating"
EVAL=("$DATA:test")
[ -f "$REAL/reid_raw.json" ] && EVAL+=("$REAL:test")
"$PY" -m ivt evaluate --checkpoint "$RUN/best.pt" --data "${EVAL[@]}" --json "$RUN/eval.json" \
  --threads "$THREADS" | tee "$WORK/eval-small.log"

echo "== exporting to $OUT"
"$PY" -m ivt export --checkpoint "$RUN/best.pt" --out "$OUT"
