#!/usr/bin/env bash
# End-to-end time and peak memory of super-resolving whole RGB photos (JVM start to the last file
# written), beside PyTorch's time and memory for the same network on the whole image in one pass,
# measured in the same run. srresnet-x4 against PyTorch's SRResNet 16x64 x4; rgan-x4 (two x2 stages)
# against two PyTorch x2 passes (S^2, then (2S)^2). PyTorch runs with random weights (time does not
# depend on them) and a 20 GB address-space limit, and only up to TORCH_MAX (default 1024): a whole
# 2048^2 image needs ~16x its 2.6 GB at 512^2, more than a 24 GB machine has. Run on an otherwise idle
# machine (~25 minutes for 512 and 2048 on 2 cores).
#
# Usage: benchmarks/throughput.sh [SIZE...]        (default: 512 2048)
#   needs /usr/bin/time (apt-get install time) and Debian's python3-torch (apt-get install python3-torch)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SR="$ROOT/bin/super-resolve"
PY="${PYTHON:-/usr/bin/python3}"
THREADS="${THREADS:-$(nproc)}"
TORCH_MAX="${TORCH_MAX:-1024}"
W="$(mktemp -d)"
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(512 2048)
export OMP_NUM_THREADS="$THREADS"

# prints "seconds rss_gb" of a command's GNU time log
stats() { awk -F': ' '/Maximum resident/ {r=$2/1048576} /Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]} END {printf "%.1f %.2f", s, r}' "$1"; }

torch_pass() { # size scale -> "pass_seconds rss_gb" or "failed" / "skipped"
  local log="$W/torch-$1-$2.log" out
  if [ "$1" -gt "$TORCH_MAX" ]; then echo skipped; return; fi
  if out=$( (ulimit -v 20000000; /usr/bin/time -v "$PY" "$ROOT/benchmarks/pytorch_srresnet.py" --size "$1" --scale "$2" \
        --threads "$THREADS" --no-batchnorm --repeats 1 --warmup 0 --json) 2>"$log"); then
    local t; t=$(echo "$out" | "$PY" -c 'import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1])["median_seconds"])')
    printf "%.1f %s\n" "$t" "$(stats "$log" | cut -d' ' -f2)"
  else
    echo "failed"
  fi
}

echo "| image | run | ours: wall s, peak RSS GB | PyTorch whole image: pass s, peak RSS GB | time ratio |"
echo "|---|---|---|---|---|"
for S in "${SIZES[@]}"; do
  mkdir -p "$W/in$S"
  "$SR" upscale "$ROOT/src/main/resources/samples/coffee.png" -o "$W/in$S" --model lanczos --scale $((S / 256)) >/dev/null
  for model in srresnet-x4 rgan-x4; do
    /usr/bin/time -v "$SR" upscale "$W/in$S/coffee.png" -o "$W/out-$model-$S" --model "$model" --overwrite >"$W/ours.out" 2>"$W/ours.log" \
      || { echo "| ${S}² | $model | failed: $W/ours.log | | |"; continue; }
    read -r ot orss <<<"$(stats "$W/ours.log")"
    if [ "$model" = srresnet-x4 ]; then
      tp=$(torch_pass "$S" 4)
    else
      a=$(torch_pass "$S" 2); b=$(case "$a" in failed|skipped) echo "$a" ;; *) torch_pass $((2 * S)) 2 ;; esac)
      if [ "$a" = failed ] || [ "$b" = failed ]; then tp=failed
      elif [ "$a" = skipped ] || [ "$b" = skipped ]; then tp=skipped
      else tp=$(awk -v a="$a" -v b="$b" 'BEGIN {split(a,x," "); split(b,y," "); printf "%.2f %.2f", x[1]+y[1], (x[2]>y[2]?x[2]:y[2])}'); fi
    fi
    if [ "$tp" = failed ]; then
      echo "| ${S}² | $model | $ot s, $orss GB | failed (out of memory at 20 GB) | – |"
    elif [ "$tp" = skipped ]; then
      echo "| ${S}² | $model | $ot s, $orss GB | not run (whole image > TORCH_MAX=$TORCH_MAX) | – |"
    else
      read -r pt prss <<<"$tp"
      echo "| ${S}² | $model | $ot s, $orss GB | $pt s, $prss GB | $(awk -v o="$ot" -v p="$pt" 'BEGIN {printf "%.2f", o/p}') |"
    fi
  done
done
