#!/usr/bin/env bash
# Compare our SameDiff SRResNet (bin/super-resolve bench) with a PyTorch CPU
# reference (benchmarks/pytorch_srresnet.py) at the same settings.
#
#   benchmarks/compare-pytorch.sh           # inference, 128x128 input, x4, 16x64
#   benchmarks/compare-pytorch.sh --train   # one training step (batch 16, 96px HR patches):
#                                           # our eager engine, our SameDiff graph and PyTorch
#
# Same network on both sides: 16 blocks x 64, x4, RGB, no batch-norm (ours folds it away at
# inference anyway). All runs use OMP_NUM_THREADS=$THREADS (default 2). Environment overrides:
#   THREADS (2), SIZE (128), PYTHON (/usr/bin/python3), SR (bin/super-resolve),
#   ENGINES ("eager samediff": our training engines to time with --train),
#   ROUNDS (1): with --train, run every engine and PyTorch this many times, interleaved, and report
#   each one's best median (on a machine shared with other work the best is the least disturbed).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

THREADS="${THREADS:-2}"
SIZE="${SIZE:-128}"
PYTHON="${PYTHON:-/usr/bin/python3}"
SR="${SR:-bin/super-resolve}"
MODEL="srresnet-16x64-x4"
ENGINES="${ENGINES:-eager samediff}"
ROUNDS="${ROUNDS:-1}"

mode=inference
for arg in "$@"; do
  case "$arg" in
    --train) mode=train ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "compare-pytorch.sh: unknown argument: $arg (only --train is accepted)" >&2; exit 2 ;;
  esac
done

if ! "$PYTHON" -c 'import torch' >/dev/null 2>&1; then
  echo "error: $PYTHON cannot import torch." >&2
  echo "install Debian's python3-torch: apt-get install python3-torch" >&2
  exit 3
fi
if [[ ! -x "$SR" ]]; then
  echo "error: $SR not found or not executable (build the project first)" >&2
  exit 4
fi

export OMP_NUM_THREADS="$THREADS"
# Also cap MKL / OpenBLAS in case either backend is used by the JVM or torch.
export MKL_NUM_THREADS="$THREADS" OPENBLAS_NUM_THREADS="$THREADS"

# Print the value of key $2 from the last line of $1 that is a JSON object.
json_get() {
  "$PYTHON" -c '
import json, sys
key = sys.argv[2]
obj = None
for line in sys.argv[1].splitlines():
    line = line.strip()
    if line.startswith("{"):
        try:
            obj = json.loads(line)
        except ValueError:
            pass
if obj is None:  # pretty-printed (multi-line) JSON, possibly after log lines
    text = sys.argv[1]
    lines = text.splitlines()
    end = text.rfind("}") + 1
    for i in reversed(range(len(lines))):
        if lines[i].lstrip().startswith("{"):
            try:
                obj = json.loads(text[len("\n".join(lines[:i])):end])
                break
            except ValueError:
                pass
    if obj is None:
        sys.exit("no JSON object found in output:\n" + text)
if key not in obj:
    sys.exit("key %r missing from JSON output" % key)
print(obj[key])
' "$1" "$2"
}

if [[ "$mode" == train ]]; then
  torch_cmd=("$PYTHON" "$here/pytorch_srresnet.py" --blocks 16 --width 64 --scale 4
             --channels 3 --threads "$THREADS" --no-batchnorm --train --patch 96 --batch 16 --json)
  declare -A best
  torch_v=""
  for ((round = 1; round <= ROUNDS; round++)); do
    for engine in $ENGINES; do
      cmd=("$SR" bench --model "$MODEL" --train --engine "$engine" --json)
      echo "== ours, $engine (round $round): OMP_NUM_THREADS=$THREADS ${cmd[*]}" >&2
      out="$("${cmd[@]}")" || { echo "error: our bench ($engine) failed" >&2; exit 1; }
      t="$(json_get "$out" median_seconds)"
      echo "   median $t s/step, peak RSS $(json_get "$out" peak_rss_mb) MB" >&2
      if [[ -z "${best[$engine]:-}" ]] || awk -v a="$t" -v b="${best[$engine]}" 'BEGIN { exit !(a < b) }'; then best[$engine]="$t"; fi
    done
    echo "== pytorch (round $round): OMP_NUM_THREADS=$THREADS ${torch_cmd[*]}" >&2
    torch_out="$("${torch_cmd[@]}")" || { echo "error: PyTorch bench failed" >&2; exit 1; }
    t="$(json_get "$torch_out" median_seconds)"
    echo "   median $t s/step" >&2
    torch_v="$(json_get "$torch_out" torch_version)"
    if [[ -z "${best[torch]:-}" ]] || awk -v a="$t" -v b="${best[torch]}" 'BEGIN { exit !(a < b) }'; then best[torch]="$t"; fi
  done
  printf "mode:            train (%s threads, %s round(s), best median of each)\n" "$THREADS" "$ROUNDS"
  for engine in $ENGINES; do
    awk -v o="${best[$engine]}" -v p="${best[torch]}" -v e="$engine" 'BEGIN {
      printf "ours (%s):%*s%.4f s/step   ratio ours/pytorch: %.2f\n", e, 9 - length(e), "", o, o / p }'
  done
  printf "pytorch %-8s %.4f s/step\n" "$torch_v:" "${best[torch]}"
  exit 0
fi

ours_cmd=("$SR" bench --model "$MODEL" --size "$SIZE" --json)
torch_cmd=("$PYTHON" "$here/pytorch_srresnet.py" --blocks 16 --width 64 --scale 4
           --channels 3 --threads "$THREADS" --no-batchnorm --size "$SIZE" --json)

echo "== ours ($mode): OMP_NUM_THREADS=$THREADS ${ours_cmd[*]}" >&2
ours_out="$("${ours_cmd[@]}")" || { echo "error: our bench failed" >&2; exit 1; }
ours_t="$(json_get "$ours_out" median_seconds)"

echo "== pytorch ($mode): OMP_NUM_THREADS=$THREADS ${torch_cmd[*]}" >&2
torch_out="$("${torch_cmd[@]}")" || { echo "error: PyTorch bench failed" >&2; exit 1; }
torch_t="$(json_get "$torch_out" median_seconds)"
torch_v="$(json_get "$torch_out" torch_version)"

awk -v o="$ours_t" -v p="$torch_t" -v m="$mode" -v v="$torch_v" -v t="$THREADS" 'BEGIN {
  printf "mode:            %s (%s threads)\n", m, t
  printf "ours:            %.4f s\n", o
  printf "pytorch %-8s %.4f s\n", v ":", p
  if (p > 0) printf "ratio ours/pytorch: %.2f\n", o / p
}'
