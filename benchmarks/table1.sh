#!/usr/bin/env bash
# The study's Table 1 (issue 4) on the held-out opencv-doc photos: every method at x2 and x4 with the
# project's comparison engine, printed as Markdown (MSE on the 0-255 scale, PSNR, SSIM), plus the
# per-image CSV, the radial power spectra with the high-frequency ratios, and sample-crop montages.
#
#   benchmarks/table1.sh [--hr-dir DIR] [--out DIR] [--methods LIST]
#
# Defaults: data/test (scripts/fetch-training-data.sh), out = runs/table1, methods = bicubic, Lanczos and
# the shipped srresnet, srgan, fftgan and rgan models (each is left out of scales it cannot do; rgan-x4
# at x2 is its first stage). Writes OUT/table1.md (stdout of compare), OUT/table1.csv,
# OUT/montage_x2.png, OUT/montage_x4.png.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HR="$ROOT/data/test" OUT="$ROOT/runs/table1"
METHODS="bicubic,lanczos,srresnet-x2,srgan-x2,srresnet-x4,srgan-x4,fftgan-x4,rgan-x4"
while [ $# -gt 0 ]; do
  case "$1" in
    --hr-dir) HR="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --methods) METHODS="$2"; shift 2 ;;
    -h|--help) sed -n '2,11s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "table1: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -d "$HR" ] || { echo "table1: no folder $HR: run scripts/fetch-training-data.sh first" >&2; exit 1; }
mkdir -p "$OUT"
"$ROOT/bin/super-resolve" compare --hr-dir "$HR" --scale 2,4 --methods "$METHODS" --spectrum \
    --csv "$OUT/table1.csv" --montage "$OUT/montage.png" > "$OUT/table1.md.tmp"
mv "$OUT/table1.md.tmp" "$OUT/table1.md"
cat "$OUT/table1.md"
