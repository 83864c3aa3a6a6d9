#!/usr/bin/env bash
# Ablation rows (shorter runs than the shipped model): each row trains with the shipped
# recipe for MINUTES (default 8) wall time, differing only in the --mla/--bmm flags,
# then is evaluated on the synthetic test split.
#   ./ablation.sh baseline mla      # rows run in sequence; start two shells for parallel rows
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
NM="$(cd "$HERE/.." && pwd)"
PY="$NM/py"   # Debian's python3 with the package roots on PYTHONPATH
DATA="${DATA:-$NM/synth/work/synth-v1}"
MINUTES="${MINUTES:-8}"
THREADS="${THREADS:-1}"
cd "$HERE"
for row in "$@"; do
  case "$row" in
    baseline) flags=(--no-mla --no-bmm) ;;
    mla)      flags=(--mla --no-bmm) ;;
    bmm)      flags=(--no-mla --bmm) ;;
    both)     flags=(--mla --bmm) ;;
    *) echo "unknown row $row" >&2; exit 2 ;;
  esac
  out="work/ablation/$row"
  mkdir -p "$out"
  nice -n 5 "$PY" -m ivt train --data "$DATA" --out "$out" --size small "${flags[@]}" \
    --aux-schedule cycle --per-id 2 --batch 64 --lr 3e-4 --steps 100000 --minutes "$MINUTES" \
    --eval-every 0 --threads "$THREADS" --seed 0 > "$out/train.log" 2>&1
  "$PY" -m ivt evaluate --checkpoint "$out/last.pt" --data "$DATA:test" --json "$out/eval.json" \
    --threads "$THREADS" | tee "$out/eval.log"
done
