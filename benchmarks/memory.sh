#!/usr/bin/env bash
# Peak resident memory and wall time of end-to-end runs (JVM start to last file written), the table of
# the memory issue, with GNU time, then the 4096^2 -Xmx4g run and a 30-run soak in one JVM. Run on an
# otherwise idle machine: ~20 minutes on 2 cores.
# Usage: benchmarks/memory.sh [OUT_DIR]    (needs /usr/bin/time: apt-get install time)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
W="${1:-$(mktemp -d)}"
SR="$ROOT/bin/super-resolve"
mkdir -p "$W/in512" "$W/in256" "$W/three"
# a 512^2 photo: the bundled 256^2 sample enlarged x2 with Lanczos; twelve 256^2 copies
"$SR" upscale "$ROOT/src/main/resources/samples/coffee.png" -o "$W/in512" --model lanczos --scale 2 >/dev/null
for i in $(seq -w 1 12); do cp "$ROOT/src/main/resources/samples/coffee.png" "$W/in256/c$i.png"; done
for n in a b c; do cp "$W/in512/coffee.png" "$W/three/$n.png"; done

measure() { # label, then the command's arguments
  local label="$1"; shift
  local log="$W/time-$RANDOM.log"
  /usr/bin/time -v "$SR" "$@" >"$log.out" 2>"$log" || { echo "| $label | failed: see $log |"; return; }
  local rss wall
  rss=$(awk -F': ' '/Maximum resident/ {printf "%.2f GB", $2/1048576}' "$log")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  echo "| $label | $wall | $rss |"
}

echo "| run (defaults, JAVA_OPTS=${JAVA_OPTS:--Xmx8g}) | wall (m:ss) | peak RSS |"
echo "|---|---|---|"
measure "upscale srresnet-x4, one 512² photo" upscale "$W/in512/coffee.png" -o "$W/o1" --model srresnet-x4 --overwrite
measure "upscale rgan-x4, one 512² photo" upscale "$W/in512/coffee.png" -o "$W/o2" --model rgan-x4 --overwrite
measure "upscale srresnet-x4, twelve 256² images in one run" upscale "$W"/in256/*.png -o "$W/o3" --model srresnet-x4 --overwrite
measure "compare --scale 2,4, bicubic + six RGB networks, three 512² photos" compare --hr-dir "$W/three" --scale 2,4 \
  --methods bicubic,srresnet-x2,srgan-x2,srresnet-x4,srgan-x4,fftgan-x4,rgan-x4
# the same models exported as bioimage.io packages and run back through ONNX Runtime (model exchange)
"$SR" export srresnet-x4 -o "$W/pkg-srresnet-x4" --replace >/dev/null
"$SR" export rgan-x4 -o "$W/pkg-rgan-x4" --replace >/dev/null
measure "upscale srresnet-x4 package (rdf.yaml, ONNX Runtime), one 512² photo" upscale "$W/in512/coffee.png" -o "$W/o6" --model "$W/pkg-srresnet-x4/rdf.yaml" --overwrite
measure "upscale rgan-x4 package (zip, ONNX Runtime), one 512² photo" upscale "$W/in512/coffee.png" -o "$W/o7" --model "$W/pkg-rgan-x4.zip" --overwrite
# a 4096^2 16-bit greyscale image x4 (16384^2 output, 512 MB) under a 4 GB Java heap (needs ImageMagick)
if command -v convert >/dev/null; then
  convert "$ROOT/src/main/resources/samples/coffee.png" -colorspace Gray -resize 4096x4096 -depth 16 "$W/big16.tif"
  JAVA_OPTS=-Xmx4g measure "upscale srresnet-x4-gray, 4096² 16-bit, -Xmx4g" upscale "$W/big16.tif" -o "$W/o5" --model srresnet-x4-gray --overwrite
else
  echo "| upscale srresnet-x4-gray, 4096² 16-bit, -Xmx4g | skipped: needs ImageMagick's convert |"
fi
echo
echo "Thirty super-resolutions in one JVM (bench --soak 30):"
"$SR" bench --soak 30 | tail -3
