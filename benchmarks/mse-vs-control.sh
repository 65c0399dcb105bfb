#!/usr/bin/env bash
# How much a fine-tuning run hurt the pixel MSE, batch by batch: runs with the same --seed draw the same
# crops at each step, but one batch's MSE differs from the next by up to 10x (smooth crops against
# textured ones), so a run's MSE is compared with a control run's (e.g. pixel MSE alone at a low rate,
# `--method srresnet --from` the same network) on the same step's batch. Prints the geometric mean of
# MSE / control's MSE over steps FROM..TO and the first few steps' ratios.
#
#   benchmarks/mse-vs-control.sh RUN.log.csv CONTROL.log.csv [FROM TO]      (2 20)
#
# Steps missing from either log (a control shorter than the run) are left out.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 2; }
RUN="$1" CTL="$2" FROM="${3:-2}" TO="${4:-20}"
for f in "$RUN" "$CTL"; do [ -f "$f" ] || { echo "mse-vs-control: no file $f" >&2; exit 1; }; done
awk -F, -v from="$FROM" -v to="$TO" -v name="$RUN" '
  FNR == 1 { next }
  NR == FNR { if ($2 > 0) c[$1] = ($8 > 0 ? $8 : $2); next }
  ($1 in c) && $2 > 0 && $1 >= from && $1 <= to { r[$1] = ($8 > 0 ? $8 : $2) / c[$1] }
  END {
    k = 0; s = 0; f = ""
    for (t = from; t <= to; t++) if (t in r) { k++; s += log(r[t]); if (k <= 5) f = f sprintf(" %.2f", r[t]) }
    if (!k) { print "mse-vs-control: no common steps in " from ".." to; exit 1 }
    printf "%s: MSE / control over %d steps in %d..%d: %.2f (geometric mean); first steps:%s\n", name, k, from, to, exp(s / k), f
  }' "$CTL" "$RUN"
