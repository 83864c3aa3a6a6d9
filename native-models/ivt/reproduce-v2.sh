#!/usr/bin/env bash
# Reproduce native-models/ivt-osnet-v2 (IVT 2.0.0) on a CPU machine:
#   real crops: index vtest.avi (OpenCV licence) and the Intel sample GIFs (CC-BY-4.0; the devset's
#   *dev* split, so only its test split stays held out) with the CLI -> pseudo-captions from the
#   stored evidence + garment recolouring (synth.case_crops; vtest tracks that overlap the vtest
#   evaluation people are dropped) -> synthetic set at 256x128 with investigator words ->
#   hybrid IVT (ReID backbone frozen, its feature maps cached), warm-started from the shipped
#   1.2.0 transformer -> evaluate -> export.
# Needs: the built CLI (npx tsc -p tsconfig.json), ffmpeg, ../shared/real-footage (the GIFs; without
# them the run trains on vtest + synthetic only). Env: MINUTES (25), THREADS (1), OUT, WORK.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
NM="$(cd "$HERE/.." && pwd)"
ROOT="$(cd "$NM/.." && pwd)"
PY="$NM/py"
WORK="${WORK:-$HERE/work/v2}"
DATA="$NM/synth/work"
OUT="${OUT:-$NM/ivt-osnet-v2}"
VTEST=/usr/share/doc/opencv-doc/examples/data/vtest.avi
GIFS="$ROOT/../shared/real-footage/intel-sample-gifs"
mkdir -p "$WORK/gifs"
CLI=(node "$ROOT/bin/sightline.js")

[ -f "$WORK/vtest.sqlite" ] || nice -n 5 "${CLI[@]}" index "$VTEST" --db "$WORK/vtest.sqlite" --fps 4 --no-proxies
REAL=("$DATA/vtest-real")
if [ -d "$GIFS" ]; then
  for g in "$GIFS"/*.gif; do  # the importer refuses GIFs (still images): re-encode, frame times kept
    m="$WORK/gifs/$(basename "$g").mp4"
    [ -f "$m" ] || ffmpeg -hide_banner -loglevel error -y -i "$g" -vf 'scale=trunc(iw/2)*2:trunc(ih/2)*2' \
      -c:v libx264 -crf 12 -pix_fmt yuv420p "$m"
  done
  [ -f "$WORK/gifs.sqlite" ] || nice -n 5 "${CLI[@]}" index "$WORK"/gifs/*.mp4 --db "$WORK/gifs.sqlite" --fps 4 --no-proxies
  [ -f "$DATA/gifs-real/reid_raw.json" ] || (cd "$NM" && "$PY" -m synth.case_crops --db "$WORK/gifs.sqlite" \
    --out "$DATA/gifs-real" --variants 20 --seed 1)
  REAL=("$DATA/gifs-real" "${REAL[@]}")
fi
[ -f "$DATA/vtest-real/reid_raw.json" ] || (cd "$NM" && "$PY" -m synth.case_crops --db "$WORK/vtest.sqlite" \
  --out "$DATA/vtest-real" --exclude synth/real_eval/vtest_annotations.json --variants 20 --seed 2)
[ -f "$DATA/synth-hr/reid_raw.json" ] || (cd "$NM" && nice -n 5 "$PY" -m synth.generate --out "$DATA/synth-hr" \
  --identities 3000 --per-id 4 --seed 11 --workers 1 --width 128 --height 256 --lexicon-share 0.15)
[ -f "$DATA/vtest-eval/reid_raw.json" ] || (cd "$NM" && "$PY" -m synth.real_eval --out "$DATA/vtest-eval")

cd "$HERE"
RUN="$WORK/frozen"
# Validation (best checkpoint) on the first folder's val split: real people (GIF tracks held out by hash).
nice -n 5 "$PY" -m ivt train --size hybrid --frozen-backbone --feature-cache "$WORK/features" \
  --warm-start "$NM/ivt-small-synth-v1" --lexicon-vocab --data "${REAL[@]}" "$DATA/synth-hr" \
  --out "$RUN" --minutes "${MINUTES:-25}" --steps 100000 --lr 2e-4 --batch 64 --per-id 2 \
  --mla --bmm --aux-schedule cycle --eval-every 100 --threads "${THREADS:-1}" --seed 0 2>&1 | tee "$WORK/frozen.log"
"$PY" -m ivt export --checkpoint "$RUN/best.pt" --out "$OUT" --id ivt-osnet-v2 --version 2.0.0 \
  --license LICENSE-v2.model --description "IVT 2.0: ReID backbone (person-reidentification-retail-0288, frozen) + shared transformer, real pseudo-captioned and recoloured crops + synthetic"
# The head alone (from the backbone's feature map on), for indexing that shares the ReID pass's trunk.
"$PY" -m ivt.image_head --model "$OUT"
# Old and new through the same ONNX path the engine runs (onnxruntime-node).
"$PY" -m ivt.evaluate_shipped --model "$NM/ivt-small-synth-v1" "$OUT" \
  --data "$DATA/synth-hr:test" "$DATA/vtest-eval:test" --json "$RUN/eval.json" | tee "$WORK/eval.log"
