#!/usr/bin/env bash
# Runs the linux-arm64 install zip's plugin (its jars and ND4J's arm64 natives) under qemu-user on an
# x86-64 Debian machine and compares its result with the linux64 zip's, byte for byte.
# Needs root (apt). Takes ~2 minutes (emulated; measured 1.5 min on 2 cores). Usage: scripts/check-arm64-qemu.sh [VERSION]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${1:-$(cd "$ROOT" && mvn -q -B help:evaluate -Dexpression=project.version -DforceStdout)}"
T="$ROOT/target"
[ -f "$T/super-resolve-$VERSION-linux-arm64.zip" ] || (cd "$ROOT" && mvn -q -B -DskipTests package)
if ! dpkg -s openjdk-17-jre-headless:arm64 libgomp1:arm64 qemu-user-static >/dev/null 2>&1; then
  dpkg --add-architecture arm64
  apt-get update -qq
  # libgomp1: ND4J's arm64 build needs the system's GCC OpenMP runtime (the x86-64 builds bundle it)
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static openjdk-17-jre-headless:arm64 libgomp1:arm64 >/dev/null
fi
W="$(mktemp -d)"
for p in linux-arm64 linux64; do (mkdir -p "$W/$p" && cd "$W/$p" && unzip -q "$T/super-resolve-$VERSION-$p.zip"); done
IJ="$(ls "$T"/lib/ij-*.jar | head -1)"
# a 48x48 crop of the bundled photo (emulation is ~50x slower than native)
cat > "$W/Crop.java" <<'JAVA'
public class Crop {
    public static void main(String[] a) {
        ij.ImagePlus imp = new ij.io.Opener().openImage(a[0]);
        imp.setRoi(100, 100, 48, 48);
        new ij.io.FileSaver(imp.crop()).saveAsPng(a[1]);
    }
}
JAVA
java -Djava.awt.headless=true -cp "$IJ" "$W/Crop.java" "$ROOT/src/main/resources/samples/coffee.png" "$W/in.png"
# the zip's jars: lib/super-resolve/ (every platform) and lib/PLATFORM/super-resolve/ (its natives)
cp_of() { echo "$(ls "$W/$1/lib/super-resolve"/*.jar "$W/$1/lib/$1/super-resolve"/*.jar | tr '\n' ':')$IJ"; }
echo "arm64 (qemu-user, emulated):"
qemu-aarch64-static /usr/lib/jvm/java-17-openjdk-arm64/bin/java -Xmx2g -Djava.awt.headless=true -cp "$(cp_of linux-arm64)" \
  io.github.superresolve.cli.Main upscale "$W/in.png" -o "$W/out-arm64" --model srresnet-x2 --scale 2
echo "x86-64:"
java -Xmx2g -Djava.awt.headless=true -cp "$(cp_of linux64)" io.github.superresolve.cli.Main upscale "$W/in.png" -o "$W/out-x64" --model srresnet-x2 --scale 2
java -Djava.awt.headless=true -cp "$(cp_of linux64)" io.github.superresolve.cli.Main compare --reference "$W/out-x64/in.png" --test "$W/out-arm64/in.png"
rm -rf "$W"
