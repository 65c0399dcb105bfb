#!/usr/bin/env bash
# The PyTorch replica of docs/training.md ("Why the discriminator stayed at chance"): which
# discriminator learns to tell real 96x96 crops from srresnet-x4's outputs, in steps, on one thread.
#   needs scripts/fetch-training-data.sh (data/train, data/val) and Debian's python3-torch, python3-pil
#   usage: benchmarks/discriminators/run.sh [VARIANT...]      (default: A C1e-3 E F G EF; see replica.py)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
W="${DEXP:-/tmp/dexp}"
export OMP_NUM_THREADS=1 DEXP="$W" DEXP_DATA="$ROOT/data"
PY=/usr/bin/python3
mkdir -p "$W"
# inputs: antialiased bicubic /4 (Pillow), then the generator's outputs of them
"$PY" - <<'PYEOF'
import glob, os
from PIL import Image
W, D = os.environ["DEXP"], os.environ["DEXP_DATA"]
for split in ["train", "val"]:
    out = f"{W}/lr/{split}"; os.makedirs(out, exist_ok=True)
    for p in sorted(glob.glob(f"{D}/{split}/*.png")):
        im = Image.open(p).convert("RGB"); w, h = im.size
        im = im.crop((0, 0, w - w % 4, h - h % 4))
        im.resize(((w - w % 4) // 4, (h - h % 4) // 4), Image.BICUBIC).save(os.path.join(out, os.path.basename(p)))
PYEOF
for split in train val; do
  [ -d "$W/sr/$split" ] || "$ROOT/bin/super-resolve" upscale "$W/lr/$split" -o "$W/sr/$split" --model srresnet-x4 --quiet
done
VARIANTS=("$@"); [ ${#VARIANTS[@]} -gt 0 ] || VARIANTS=(A C1e-3 E F G EF)
for v in "${VARIANTS[@]}"; do "$PY" "$ROOT/benchmarks/discriminators/replica.py" "$v" --steps 100 --evals 10,25,50,75,100 --out "$W/results.jsonl"; done
