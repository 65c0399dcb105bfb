#!/usr/bin/env bash
# Adversarial-weight sweep (issue 4): fine-tunes one SRResNet with --method srgan (or fftgan) for a
# short schedule at each weight and prints, per weight, the validation PSNR/SSIM at the end, the mean
# adversarial/MSE ratio (weight x adversarial loss / MSE, the study's stability measure), the
# discriminator's mean accuracy and loss over the last half of the run, and the high-frequency power of
# the results relative to the ground truth on the validation photos (compare --spectrum).
#
#   benchmarks/adversarial-sweep.sh [--method srgan|fftgan] [--from MODEL] [--scale N] [--steps N]
#                                   [--weights "1e-5 1e-4 1e-3"] [--out DIR]
#
# Runs resume: re-running the script continues unfinished runs (each checkpoints every 50 steps) and
# only re-summarises finished ones. Needs data/ (scripts/fetch-training-data.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
METHOD=srgan FROM=srresnet-x4 SCALE=4 STEPS=100 WEIGHTS="1e-5 1e-4 1e-3" OUT="$ROOT/runs/sweep"
while [ $# -gt 0 ]; do
  case "$1" in
    --method) METHOD="$2"; shift 2 ;;
    --from) FROM="$2"; shift 2 ;;
    --scale) SCALE="$2"; shift 2 ;;
    --steps) STEPS="$2"; shift 2 ;;
    --weights) WEIGHTS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "adversarial-sweep: unknown option $1" >&2; exit 2 ;;
  esac
done
SR="$ROOT/bin/super-resolve"
[ -d "$ROOT/data/train" ] && [ -d "$ROOT/data/val" ] || { echo "adversarial-sweep: no data/: run scripts/fetch-training-data.sh first" >&2; exit 1; }
mkdir -p "$OUT"
for w in $WEIGHTS; do
  run="$OUT/$METHOD-x$SCALE-w$w"
  args=(train --hr-dir "$ROOT/data/train" --val-dir "$ROOT/data/val" --out "$run.zip" --scale "$SCALE"
        --method "$METHOD" --adversarial-weight "$w" --steps "$STEPS" --validate-every "$STEPS" --checkpoint-every 50 --quiet)
  if [ -f "$run.checkpoint.zip" ]; then
    last=$(awk -F, 'NR>1 && $2!="" {s=$1} END {print s+0}' "$run.log.csv")
    [ "$last" -ge "$STEPS" ] || "$SR" "${args[@]}" --resume
  else
    "$SR" "${args[@]}" --from "$FROM"
  fi
done
printf '%-8s %9s %8s %12s %10s %8s %10s\n' weight val_psnr val_ssim adv/mse_% d_accuracy d_loss hf_ratio
for w in $WEIGHTS; do
  run="$OUT/$METHOD-x$SCALE-w$w"
  hf=$("$SR" compare --hr-dir "$ROOT/data/val" --scale "$SCALE" --methods "$run.zip" --spectrum 2>/dev/null \
       | awk '/high-frequency|HF/ {for (i = NF; i > 0; i--) if ($i ~ /^[0-9.]+$/) {print $i; exit}}')
  awk -F, -v w="$w" -v steps="$STEPS" -v hf="${hf:-?}" '
    NR > 1 && $4 != "" { psnr = $4; ssim = $5 }
    NR > 1 && $8 != "" && $1 > steps / 2 { n++; ratio += w * $9 / $8; acc += $11; dl += $10 }
    END { printf "%-8s %9.2f %8.4f %12.1f %10.2f %8.3f %10s\n", w, psnr, ssim, 100 * ratio / n, acc / n, dl / n, hf }' "$run.log.csv"
done
