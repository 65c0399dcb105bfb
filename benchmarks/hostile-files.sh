#!/usr/bin/env bash
# Every hostile file of the fuzz tests (src/test/java/io/github/superresolve/hostile/*FuzzTest.java),
# each run through the command-line tool in its own JVM under GNU time, as a user runs bin/super-resolve:
# exit code, wall time and peak resident memory per case, then the worst per family.
#   benchmarks/hostile-files.sh [FAMILY...]      (families: onnx names package export zip model npy tiff png ...)
# Needs GNU time (apt-get install time). JAVA_HEAP sets the tool's heap (default -Xmx4g, as bin/super-resolve
# gives a 8 GB machine); the limits measured are the tool's, not the heap's.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install time" >&2; exit 1; }
mvn -B -q -DskipTests test-compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test >/dev/null
CP="target/test-classes:target/classes:$(cat target/test.classpath)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}" java -Dhostile.heap="${JAVA_HEAP:--Xmx4g}" -cp "$CP" io.github.superresolve.hostile.HostileBench "$WORK" "$@"
