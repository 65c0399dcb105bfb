#!/usr/bin/env bash
# Screenshots of the four Fiji dialogs as ImageJ 1.x draws them (docs/dialogs/*.png), under a virtual
# display. Needs xvfb (apt-get install xvfb) and a build with test classes (mvn -DskipTests test-compile).
# Usage: scripts/dialog-screenshots.sh [OUT_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/docs/dialogs}"
cd "$ROOT"
[ -d target/test-classes ] || mvn -q -DskipTests test-compile
xvfb-run -a -s "-screen 0 1280x1024x24" java -cp "target/test-classes:target/classes:target/lib/*" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn io.github.superresolve.ij.DialogScreenshots "$OUT"
