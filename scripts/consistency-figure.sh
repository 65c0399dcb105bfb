#!/usr/bin/env bash
# The README's consistency figure (docs/consistency/figure.png) and its table: bicubic, srresnet-x4,
# srgan-x4 and rgan-x4 on a held-out photo and a microscopy slide (the validation images of
# scripts/fetch-training-data.sh), each result above its consistency map. Needs a build with test
# classes (mvn -DskipTests test-compile) and the data (DATA_DIR, default data/).
# Usage: scripts/consistency-figure.sh [OUT.png]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${DATA_DIR:-$ROOT/data}"
OUT="${1:-$ROOT/docs/consistency/figure.png}"
mkdir -p "$(dirname "$OUT")"
cd "$ROOT"
[ -d target/test-classes ] || mvn -q -DskipTests test-compile
java -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "target/test-classes:target/classes:target/lib/*" \
  io.github.superresolve.consistency.ConsistencyFigure "$OUT" "$DATA/val/chelsea.png" "$DATA/val/ihc.png"
