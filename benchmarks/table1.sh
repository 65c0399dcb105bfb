#!/usr/bin/env bash
# The study's Table 1 (issue 4) on the held-out opencv-doc photos: every method at x2 and x4 with the
# project's comparison engine, printed as Markdown (MSE on the 0-255 scale, PSNR, SSIM), plus the
# per-image CSV, the radial power spectra with the high-frequency ratios, and sample-crop montages.
#
#   benchmarks/table1.sh [--hr-dir DIR] [--out DIR] [--methods-x2 LIST] [--methods-x4 LIST] [--scales 4,2,8]
#
# Defaults: data/test (scripts/fetch-training-data.sh), out = runs/table1, methods = bicubic, Lanczos and
# the shipped models of each scale: x2 srresnet-x2, srgan-x2, rgan-x4 (its first stage); x4 srresnet-x4,
# srgan-x4, fftgan-x4, rgan-x4; x8 bicubic, Lanczos and rgan-x4 (reapplied). Writes, per scale S, OUT/table1_xS.md (stdout of compare), OUT/table1_xS.csv
# and OUT/montage_xS.png; --scales redoes only the scales named (after retraining one model).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HR="$ROOT/data/test" OUT="$ROOT/runs/table1"
METHODS_X2="bicubic,lanczos,srresnet-x2,srgan-x2,rgan-x4"
METHODS_X4="bicubic,lanczos,srresnet-x4,srgan-x4,fftgan-x4,rgan-x4"
SCALES="4,2,8"
while [ $# -gt 0 ]; do
  case "$1" in
    --hr-dir) HR="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --methods-x2) METHODS_X2="$2"; shift 2 ;;
    --methods-x4) METHODS_X4="$2"; shift 2 ;;
    --scales) SCALES="$2"; shift 2 ;;
    -h|--help) sed -n '2,11s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "table1: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -d "$HR" ] || { echo "table1: no folder $HR: run scripts/fetch-training-data.sh first" >&2; exit 1; }
mkdir -p "$OUT"
# one run per scale: a single run over all seven networks grew past 24 GB of native memory (noted in
# the README's Known limits); the cap makes JavaCPP collect freed native buffers before growing further
export JAVA_OPTS="${JAVA_OPTS:--Xmx6g -Dorg.bytedeco.javacpp.maxphysicalbytes=14g}"
# x8: only the recursive network reaches it (stage 1, then stage 2 twice), beside the interpolations
for s in ${SCALES//,/ }; do
  case "$s" in 2) methods="$METHODS_X2" ;; 4) methods="$METHODS_X4" ;; 8) methods="bicubic,lanczos,rgan-x4" ;; *) echo "table1: scale $s is not 2, 4 or 8" >&2; exit 2 ;; esac
  "$ROOT/bin/super-resolve" compare --hr-dir "$HR" --scale "$s" --methods "$methods" --spectrum \
      --csv "$OUT/table1_x$s.csv" --montage "$OUT/montage_x$s.png" > "$OUT/table1_x$s.md.tmp"
  mv "$OUT/table1_x$s.md.tmp" "$OUT/table1_x$s.md"
  cat "$OUT/table1_x$s.md"
done
