#!/usr/bin/env bash
# Throughput of the Spark application in local mode: the same folder of photos super-resolved by
#   upscale        bin/super-resolve upscale, one image at a time, every core on each op
#   local[1]       one task at a time, one thread per op
#   local[2]       two tasks at once, one thread each (Spark's usual: one task per core)
#   local[2] cpus2 one task at a time with two threads (spark.task.cpus=2)
# Prints images/s, input megapixels/s and the peak resident memory (GNU time) of each, JVM start to
# the last file written (for Spark also the job alone, from its summary: without the ~8 s that the
# JVM and Spark take to start), and checks that every run wrote the same bytes. Run on an idle machine.
#
# Usage: benchmarks/spark.sh [COUNT] [SIZE] [MODEL]     (default: 12 photos of 256x256, srresnet-x4)
#   photos: centre crops of data/test (scripts/fetch-training-data.sh), else of the bundled coffee photo
#   needs /usr/bin/time (apt-get install time) and ImageMagick (apt-get install imagemagick)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SR="$ROOT/bin/super-resolve"
COUNT="${1:-12}"; SIZE="${2:-256}"; MODEL="${3:-srresnet-x4}"
W="$(mktemp -d)"; trap 'rm -rf "$W"' EXIT
mkdir -p "$W/in"
i=0
if ls "$ROOT"/data/test/*.png >/dev/null 2>&1; then
  for f in "$ROOT"/data/test/*.png; do
    [ "$i" -lt "$COUNT" ] || break
    read -r w h < <(identify -format '%w %h\n' "$f" | head -1)
    [ "$w" -ge "$SIZE" ] && [ "$h" -ge "$SIZE" ] || continue
    convert "$f" -gravity center -crop "${SIZE}x${SIZE}+0+0" +repage -type TrueColor "PNG24:$W/in/$(basename "$f")"
    i=$((i + 1))
  done
fi
while [ "$i" -lt "$COUNT" ]; do # fill with crops of the bundled photo
  convert "$ROOT/src/main/resources/samples/coffee.png" -crop "${SIZE}x${SIZE}+$((i * 7 % 64))+$((i * 13 % 64))" +repage "PNG24:$W/in/coffee-$i.png"
  i=$((i + 1))
done
echo "$COUNT photos of ${SIZE}x${SIZE}, $MODEL, $(nproc) cores"
"$SR" spark --help >/dev/null 2>&1 || true # builds the application first, outside the timings
"$SR" models >/dev/null 2>&1 || true

stats() { awk -F': ' '/Maximum resident/ {r=$2/1048576} /Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]} END {printf "%.1f %.2f\n", s, r}' "$1"; }
run() { # name command...
  local name="$1"; shift
  rm -rf "$W/out-$name"
  /usr/bin/time -v -o "$W/time-$name.log" "$@" >"$W/log-$name.txt" 2>&1 || { cat "$W/log-$name.txt"; echo "$name failed" >&2; exit 1; }
  read -r s r < <(stats "$W/time-$name.log")
  # the job alone (tasks, from the application's summary: without the JVM's and Spark's start)
  local job; job=$(sed -n 's/.* out in \([0-9.]*\) s:.*/\1/p' "$W/log-$name.txt" | tail -1)
  awk -v n="$name" -v s="$s" -v r="$r" -v c="$COUNT" -v z="$SIZE" -v j="${job:-}" 'BEGIN {
    printf "%-14s %6.1f s  %6.3f images/s  %6.3f MP/s  peak %.2f GB", n, s, c/s, c*z*z/1e6/s, r
    if (j != "") printf "   job alone %5.1f s: %6.3f images/s", j, c/j
    printf "\n" }'
}
run upscale env OMP_NUM_THREADS="$(nproc)" "$SR" upscale "$W/in" -o "$W/out-upscale" --model "$MODEL" --quiet
run local1 "$SR" spark --master 'local[1]' --input "$W/in" --output "$W/out-local1" --model "$MODEL" --quiet
run local2 "$SR" spark --master 'local[2]' --input "$W/in" --output "$W/out-local2" --model "$MODEL" --quiet
run local2-cpus2 "$SR" spark --master 'local[2]' --conf spark.task.cpus=2 --input "$W/in" --output "$W/out-local2-cpus2" --model "$MODEL" --quiet
for n in local1 local2 local2-cpus2; do
  diff -r -q "$W/out-upscale" "$W/out-$n" >/dev/null && echo "$n: same bytes as upscale" || { echo "$n: outputs DIFFER from upscale"; exit 1; }
done
