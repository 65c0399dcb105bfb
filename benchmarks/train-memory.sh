#!/usr/bin/env bash
# Peak resident memory (GNU time) and seconds per step of a few real `train` steps, per method, scale
# and engine: the memory table of README "Engines and speed". Batch 16 of 96x96 crops, 2 threads, the
# launcher's default JVM options. Run on an otherwise idle machine (stop a background training with
# kill -STOP first): ~15 minutes on 2 cores, most of it the SameDiff GAN runs.
# Usage: benchmarks/train-memory.sh DATA_DIR [STEPS]
#   DATA_DIR holds train/ and val/ as scripts/fetch-training-data.sh writes them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${1:?usage: benchmarks/train-memory.sh DATA_DIR [STEPS]}"
STEPS="${2:-6}"
ENGINES="${ENGINES:-eager samediff}"
SR="$ROOT/bin/super-resolve"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
"$SR" help >/dev/null # build first, outside the measurements

run() { # label, engine, then train's arguments
  local label="$1" engine="$2"; shift 2
  local log="$W/time.log"
  rm -f "$W"/m*.zip "$W"/m*.checkpoint.zip
  if /usr/bin/time -v "$SR" train --hr-dir "$DATA/train" --out "$W/m.zip" --steps "$STEPS" --engine "$engine" "$@" >"$W/out.log" 2>"$log"; then
    local rss step
    rss=$(awk -F': ' '/Maximum resident/ {printf "%.2f GB", $2/1048576}' "$log")
    step=$(cat "$W/out.log" "$log" | grep -o "[0-9.]* s/step" | tail -1 || true)
    echo "| $label | $engine | $step | $rss |"
  else
    echo "| $label | $engine | failed: $(grep -v '^\s' "$log" | tail -1) | |"
  fi
}

echo "| run ($STEPS steps) | engine | last step | peak RSS |"
echo "|---|---|---|---|"
for e in $ENGINES; do
  run "srresnet x4" "$e" --scale 4 --from srresnet-x4
  run "srresnet x4, validation every 2 steps" "$e" --scale 4 --from srresnet-x4 --val-dir "$DATA/val" --validate-every 2
  run "srresnet x2" "$e" --scale 2 --from srresnet-x2
  run "srgan x4, highpass-strong, relativistic" "$e" --scale 4 --method srgan --from srresnet-x4 --discriminator highpass-strong --adversarial-loss relativistic --disc-warmup 0
  run "srgan x4, conv" "$e" --scale 4 --method srgan --from srresnet-x4 --discriminator conv --disc-warmup 0
  run "srgan x2, highpass-strong, relativistic" "$e" --scale 2 --method srgan --from srresnet-x2 --discriminator highpass-strong --adversarial-loss relativistic --disc-warmup 0
  run "fftgan x4" "$e" --scale 4 --method fftgan --from srresnet-x4 --disc-warmup 0
  run "rgan x4 (second x2 stage), conv" "$e" --scale 4 --method rgan --from srresnet-x2 --discriminator conv --disc-warmup 0
done
