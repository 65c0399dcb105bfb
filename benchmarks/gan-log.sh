#!/usr/bin/env bash
# The adversarial game over a training run, from its log CSV (RUN.log.csv, written by `train`): per
# window of N joint steps, the discriminator's mean accuracy and loss and the adversarial/MSE ratio
# (weight x adversarial loss / MSE, the study's stability measure) both as the mean of the steps' ratios
# (what earlier tables report; a batch of smooth crops with a tiny MSE inflates it) and as the ratio of
# the window's means (the adversarial term's share of the loss), then the validations logged. The
# weighted term is each step's loss minus its MSE, so a ramped weight (--adversarial-ramp) is counted
# as it was; a WEIGHT given as in earlier versions is ignored.
#
#   benchmarks/gan-log.sh RUN.log.csv [N]      (N = 20)
#
# A resumed run appends to the same CSV; a step logged twice (a stop between checkpoint and log) counts
# once, the later line.
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,11s/^# \{0,1\}//p' "$0"; exit 2; }
CSV="$1" N="${2:-20}"
[ $# -ge 3 ] && N="$3" # the old form: RUN.log.csv WEIGHT N
[ $# -eq 2 ] && [[ "$2" == *[.eE]* ]] && N=20 # the old form without N
[ -f "$CSV" ] || { echo "gan-log: no file $CSV" >&2; exit 1; }
awk -F, -v n="$N" '
  NR == 1 { next }
  $8 != "" { mse[$1] = $8; wadv[$1] = $2 - $8; dl[$1] = $10; acc[$1] = $11; if ($1 > last) last = $1 }
  $4 != "" { val[$1] = sprintf("%.2f dB / SSIM %.4f (bicubic %.2f / %.4f)", $4, $5, $6, $7) }
  END {
    printf "| steps | discriminator accuracy | discriminator loss | adversarial / MSE (mean of steps) | (of means) |\n|---|---|---|---|---|\n"
    for (s = 1; s <= last; s += n) {
      k = 0; a = 0; l = 0; r = 0; sa = 0; sm = 0
      for (t = s; t < s + n && t <= last; t++) if (t in mse) { k++; a += acc[t]; l += dl[t]; r += wadv[t] / mse[t]; sa += wadv[t]; sm += mse[t] }
      if (k) printf "| %d-%d | %.3f | %.3f | %.1f %% | %.1f %% |\n", s, t - 1, a / k, l / k, 100 * r / k, 100 * sa / sm
    }
    for (t = 1; t <= last; t++) if (t in val) printf "validation at step %d: %s\n", t, val[t]
  }' "$CSV"
