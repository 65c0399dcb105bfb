#!/usr/bin/env bash
# Fetch real photographs from Debian 12 (bookworm) packages for training and
# evaluating the super-resolution models. The only network access is through
# apt (apt-get download / apt-get update); packages are extracted with
# `dpkg -x`, never installed (except python3-pil when it is missing and we run
# as root).
#
#   data/train/  48 wallpaper photos, each downscaled by 2 (antialiased bicubic)
#   data/val/    6 scikit-image sample photos, converted to RGB PNG as-is
#   data/test/   curated real photos from the OpenCV samples, RGB PNG as-is
#
# Usage: scripts/fetch-training-data.sh [--train-only | --eval-only]
#
# Environment:
#   DATA_DIR    output root (default: <project>/data)
#   TRAIN_LIST  optional file of "PACKAGE /absolute/path/in/package" lines that
#               replaces the built-in training list below
#
# Re-running is cheap: .deb files, extractions and output images that already
# exist are skipped. See scripts/README.md for sources and licenses.

set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
DATA_DIR="${DATA_DIR:-$PROJECT_DIR/data}"
DEB_DIR="$DATA_DIR/cache/debs"
ROOT_DIR="$DATA_DIR/cache/root"
STAMP_DIR="$DATA_DIR/cache/extracted"
PYTHON=/usr/bin/python3

DO_TRAIN=1
DO_EVAL=1

usage() {
    sed -n '2,20s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

for arg in "$@"; do
    case "$arg" in
        --train-only) DO_EVAL=0 ;;
        --eval-only) DO_TRAIN=0 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "error: unknown option: $arg" >&2; usage >&2; exit 2 ;;
    esac
done
if [[ $DO_TRAIN -eq 0 && $DO_EVAL -eq 0 ]]; then
    echo "error: --train-only and --eval-only are mutually exclusive" >&2
    exit 2
fi

log() { printf '==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
is_root() { [[ $(id -u) -eq 0 ]]; }

# ---------------------------------------------------------------------------
# Built-in training list (same content as the project's training-photos.txt).
# Format: PACKAGE /absolute/path/inside/package
# ---------------------------------------------------------------------------
read -r -d '' BUILTIN_TRAIN_LIST <<'EOF' || true
lomiri-wallpapers-16.04 /usr/share/backgrounds/Bridge_by_Sander_Klootwijk.jpg
lomiri-wallpapers-16.04 /usr/share/backgrounds/Dragonfly_by_Bolly.jpg
lomiri-wallpapers-16.04 /usr/share/backgrounds/Picture_0B_by_freespace.jpg
lomiri-wallpapers-16.04 /usr/share/backgrounds/Picture_1A_by_freespace.jpg
lomiri-wallpapers-16.04 /usr/share/backgrounds/Wine_by_Jakkub_Mede.jpg
lomiri-wallpapers-16.04 /usr/share/backgrounds/aitzgorri_by_Aitzol_Berasategi.jpg
lomiri-wallpapers-16.04 /usr/share/backgrounds/free_by_Peter_Nerlich.jpg
lomiri-wallpapers-16.04 /usr/share/backgrounds/friends_by_Aitzol_Berasategi.jpg
lomiri-wallpapers-16.04 /usr/share/backgrounds/greentock_by_Peter_Nerlich.jpg
lomiri-wallpapers-16.04 /usr/share/backgrounds/life_by_Aitzol_Berasategi.jpg
lomiri-wallpapers-16.04 /usr/share/backgrounds/picosdeeuropa_by_Aitzol_Berasategi.jpg
lomiri-wallpapers-16.04 /usr/share/backgrounds/seeding_by_Clements_Engelhardt.jpg
lomiri-wallpapers-16.04 /usr/share/backgrounds/sunset_by_Aitzol_Berasategi.jpg
lomiri-wallpapers-20.04 /usr/share/backgrounds/Kleiber_by_Lukas_Baubkus.jpg
lxqt-themes /usr/share/lxqt/wallpapers/Butterfly-Kenneth-Wimer.jpg
lxqt-themes /usr/share/lxqt/wallpapers/Valendas.png
lxqt-themes /usr/share/lxqt/wallpapers/after-the-rain.jpg
lxqt-themes /usr/share/lxqt/wallpapers/appleflower.png
lxqt-themes /usr/share/lxqt/wallpapers/beam.png
lxqt-themes /usr/share/lxqt/wallpapers/butterfly.png
lxqt-themes /usr/share/lxqt/wallpapers/cloud.png
lxqt-themes /usr/share/lxqt/wallpapers/drop.png
lxqt-themes /usr/share/lxqt/wallpapers/flowers.png
lxqt-themes /usr/share/lxqt/wallpapers/fog.jpg
lxqt-themes /usr/share/lxqt/wallpapers/this-is-not-windows.jpg
plasma-workspace-wallpapers /usr/share/wallpapers/BytheWater/contents/images/2560x1600.jpg
plasma-workspace-wallpapers /usr/share/wallpapers/ColdRipple/contents/images/2560x1600.jpg
plasma-workspace-wallpapers /usr/share/wallpapers/ColorfulCups/contents/images/2560x1600.jpg
plasma-workspace-wallpapers /usr/share/wallpapers/DarkestHour/contents/images/2560x1600.jpg
plasma-workspace-wallpapers /usr/share/wallpapers/EveningGlow/contents/images/2560x1600.jpg
plasma-workspace-wallpapers /usr/share/wallpapers/FallenLeaf/contents/images/2560x1600.jpg
plasma-workspace-wallpapers /usr/share/wallpapers/Grey/contents/images/2560x1600.jpg
plasma-workspace-wallpapers /usr/share/wallpapers/Kite/contents/images/2560x1600.jpg
plasma-workspace-wallpapers /usr/share/wallpapers/OneStandsOut/contents/images/2560x1600.jpg
plasma-workspace-wallpapers /usr/share/wallpapers/Path/contents/images/2560x1600.jpg
plasma-workspace-wallpapers /usr/share/wallpapers/summer_1am/contents/images/2560x1600.jpg
mate-backgrounds /usr/share/backgrounds/mate/nature/Aqua.jpg
mate-backgrounds /usr/share/backgrounds/mate/nature/Blinds.jpg
mate-backgrounds /usr/share/backgrounds/mate/nature/Dune.jpg
mate-backgrounds /usr/share/backgrounds/mate/nature/FreshFlower.jpg
mate-backgrounds /usr/share/backgrounds/mate/nature/Garden.jpg
mate-backgrounds /usr/share/backgrounds/mate/nature/GreenMeadow.jpg
mate-backgrounds /usr/share/backgrounds/mate/nature/LadyBird.jpg
mate-backgrounds /usr/share/backgrounds/mate/nature/RainDrops.jpg
mate-backgrounds /usr/share/backgrounds/mate/nature/Storm.jpg
mate-backgrounds /usr/share/backgrounds/mate/nature/TwoWings.jpg
mate-backgrounds /usr/share/backgrounds/mate/nature/Wood.jpg
mate-backgrounds /usr/share/backgrounds/mate/nature/YellowFlower.jpg
EOF

# Validation set: scikit-image sample photos (extension looked up at run time).
VAL_PACKAGE=python3-skimage
VAL_SRC_DIR=usr/lib/python3/dist-packages/skimage/data
VAL_NAMES=(astronaut chelsea coffee motorcycle_left rocket ihc)

# Test set: real photographs among the OpenCV sample data (opencv-doc 4.6.0).
# Selection from the 118 images in examples/data (see scripts/README.md):
# excluded are synthetic/rendered images (Blender_Suzanne*, blox, cards, ml,
# smarties, pic1-6, detect_blob, ellipses, gradient, digits, HappyFish, logos,
# mask/templ/tmpl), text and calibration patterns (chessboard, left01-14 /
# right01-14, sudoku, notes, imageText*, pca_test1, text_defocus/text_motion),
# deliberately degraded images (licenseplate_motion), a ground-truth disparity
# map (aloeGT), a painting (starry_night), box.png (the object of
# box_in_scene), and the second image of each stereo/flow/panorama pair
# (aero3, aloeR, basketball2, ela_modified, graf3, leuvenB, right,
# rubberwhale2).
TEST_PACKAGE=opencv-doc
TEST_SRC_DIR=usr/share/doc/opencv-doc/examples
TEST_FILES=(
    data/aero1.jpg
    data/aloeL.jpg
    data/apple.jpg
    data/baboon.jpg
    data/basketball1.png
    data/board.jpg
    data/box_in_scene.png
    data/building.jpg
    data/butterfly.jpg
    data/chicky_512.png
    data/ela_original.jpg
    data/fruits.jpg
    data/graf1.png
    data/home.jpg
    data/left.jpg
    data/leuvenA.jpg
    data/messi5.jpg
    data/orange.jpg
    data/rubberwhale1.png
    data/squirrel_cls.jpg
    data/stuff.jpg
)
# Optional extra: the super-resolution sample image (stored as
# test/dnn_superres_butterfly.png to avoid clashing with data/butterfly.jpg).
TEST_OPTIONAL_SRC=dnn_superres/butterfly.png
TEST_OPTIONAL_NAME=dnn_superres_butterfly

# ---------------------------------------------------------------------------
# Python helpers
# ---------------------------------------------------------------------------

# Reads "SRC<TAB>DST<TAB>MODE" lines on stdin; MODE is "half" (downscale by 2,
# antialiased bicubic) or "copy". Sources may be gzip-compressed (*.gz).
# Existing outputs are skipped; outputs are written to a temporary name in the
# destination directory and renamed into place.
read -r -d '' PY_CONVERT <<'PY' || true
import gzip, os, sys
from PIL import Image

BICUBIC = getattr(Image, "Resampling", Image).BICUBIC
made = skipped = 0
for line in sys.stdin:
    line = line.rstrip("\n")
    if not line:
        continue
    src, dst, mode = line.split("\t")
    if os.path.exists(dst):
        skipped += 1
        continue
    opener = gzip.open if src.endswith(".gz") else open
    with opener(src, "rb") as f:
        im = Image.open(f)
        im.load()
    im = im.convert("RGB")
    if mode == "half":
        w, h = im.size
        im = im.resize((w // 2, h // 2), BICUBIC)
    elif mode != "copy":
        sys.exit("unknown mode: " + mode)
    d, base = os.path.split(dst)
    tmp = os.path.join(d, ".%s.tmp-%d.png" % (base, os.getpid()))
    try:
        im.save(tmp, format="PNG")
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    made += 1
    print("    wrote %s (%dx%d)" % (os.path.relpath(dst), im.size[0], im.size[1]))
print("    %d written, %d already present" % (made, skipped))
PY

# Prints one summary line per directory given as argument.
read -r -d '' PY_SUMMARY <<'PY' || true
import os, sys
from PIL import Image

for d in sys.argv[1:]:
    name = os.path.basename(d.rstrip("/"))
    files = sorted(f for f in os.listdir(d)
                   if f.endswith(".png") and not f.startswith(".")) if os.path.isdir(d) else []
    sizes = []
    for f in files:
        with Image.open(os.path.join(d, f)) as im:
            sizes.append(im.size)
    mp = sum(w * h for w, h in sizes) / 1e6
    if sizes:
        small = min(sizes, key=lambda s: s[0] * s[1])
        large = max(sizes, key=lambda s: s[0] * s[1])
        rng = "sizes %dx%d .. %dx%d" % (small + large)
    else:
        rng = "no images"
    print("  %-6s %3d images  %7.2f MP  (%s)  %s" % (name, len(files), mp, rng, d))
PY

# ---------------------------------------------------------------------------
# apt helpers
# ---------------------------------------------------------------------------

APT_UPDATED=0

ensure_pil() {
    [[ -x $PYTHON ]] || die "$PYTHON not found (install python3)"
    if "$PYTHON" -c 'import PIL' 2>/dev/null; then
        return
    fi
    if ! is_root; then
        die "Pillow is missing for $PYTHON. Install it with: sudo apt-get install python3-pil"
    fi
    log "installing python3-pil"
    if ! apt-get install -y python3-pil; then
        apt-get update
        APT_UPDATED=1
        apt-get install -y python3-pil
    fi
    "$PYTHON" -c 'import PIL' || die "python3-pil installed but 'import PIL' still fails"
}

# Path of the cached .deb for a package (newest if several), or empty.
cached_deb() {
    local pkg=$1 f newest=""
    for f in "$DEB_DIR/${pkg}_"*.deb; do
        [[ -e $f ]] || continue
        if [[ -z $newest ]] || [[ $(printf '%s\n%s\n' "$newest" "$f" | sort -V | tail -n1) == "$f" ]]; then
            newest=$f
        fi
    done
    printf '%s' "$newest"
}

# apt-get download into a private temp dir, then move into the cache, so an
# interrupted download never leaves a truncated .deb behind.
download_deb() {
    local pkg=$1 tmp
    tmp=$(mktemp -d "$DEB_DIR/.download.XXXXXX")
    if ! (cd "$tmp" && apt-get download "$pkg"); then
        if is_root && [[ $APT_UPDATED -eq 0 ]]; then
            log "apt-get download $pkg failed; running apt-get update and retrying"
            APT_UPDATED=1
            apt-get update || { rm -rf "$tmp"; die "apt-get update failed"; }
            (cd "$tmp" && apt-get download "$pkg") || { rm -rf "$tmp"; die "apt-get download $pkg failed"; }
        else
            rm -rf "$tmp"
            if is_root; then
                die "apt-get download $pkg failed"
            fi
            die "apt-get download $pkg failed (try 'sudo apt-get update' first)"
        fi
    fi
    mv "$tmp"/*.deb "$DEB_DIR"/
    rmdir "$tmp"
}

# Download (if needed) and extract (if needed) a package into $ROOT_DIR.
fetch_package() {
    local pkg=$1 deb stamp
    mkdir -p "$DEB_DIR" "$ROOT_DIR" "$STAMP_DIR"
    deb=$(cached_deb "$pkg")
    if [[ -z $deb ]]; then
        log "downloading $pkg"
        download_deb "$pkg"
        deb=$(cached_deb "$pkg")
        [[ -n $deb ]] || die "no .deb for $pkg in $DEB_DIR after download"
    else
        log "using cached $(basename "$deb")"
    fi
    stamp="$STAMP_DIR/$(basename "$deb").done"
    if [[ ! -e $stamp ]]; then
        log "extracting $(basename "$deb")"
        dpkg -x "$deb" "$ROOT_DIR"
        : > "$stamp"
    fi
}

# Source path inside the extracted root, accepting a gzipped variant.
resolve_src() {
    local rel=${1#/}
    if [[ -f $ROOT_DIR/$rel ]]; then
        printf '%s' "$ROOT_DIR/$rel"
    elif [[ -f $ROOT_DIR/$rel.gz ]]; then
        printf '%s' "$ROOT_DIR/$rel.gz"
    fi
}

# ---------------------------------------------------------------------------
# Sets
# ---------------------------------------------------------------------------

build_train() {
    local list out="$DATA_DIR/train" pkg path name src jobs=""
    local -a pkgs=() entries=()
    local -A seen_pkg=() seen_name=()
    if [[ -n ${TRAIN_LIST:-} ]]; then
        [[ -r $TRAIN_LIST ]] || die "TRAIN_LIST=$TRAIN_LIST is not readable"
        list=$(cat "$TRAIN_LIST")
    else
        list=$BUILTIN_TRAIN_LIST
    fi
    while read -r pkg path _; do
        [[ -z ${pkg:-} || $pkg == \#* ]] && continue
        [[ -n ${path:-} ]] || die "bad training list line: $pkg"
        entries+=("$pkg $path")
        if [[ -z ${seen_pkg[$pkg]:-} ]]; then
            seen_pkg[$pkg]=1
            pkgs+=("$pkg")
        fi
    done <<< "$list"
    log "training set: ${#entries[@]} photos from ${#pkgs[@]} packages"
    for pkg in "${pkgs[@]}"; do
        fetch_package "$pkg"
    done
    mkdir -p "$out"
    for entry in "${entries[@]}"; do
        pkg=${entry%% *}
        path=${entry#* }
        # KDE wallpapers are all named <size>.jpg; use the wallpaper's name.
        if [[ $path =~ /wallpapers/([^/]+)/contents/images/[^/]+$ ]]; then
            name=${BASH_REMATCH[1]}
        else
            name=$(basename "$path")
            name=${name%.gz}
            name=${name%.*}
        fi
        [[ -z ${seen_name[$name]:-} ]] || die "two training photos map to $name.png: ${seen_name[$name]} and $path"
        seen_name[$name]=$path
        src=$(resolve_src "$path")
        [[ -n $src ]] || die "$path not found in package $pkg (extracted under $ROOT_DIR)"
        jobs+="$src"$'\t'"$out/$name.png"$'\t'"half"$'\n'
    done
    log "writing $out (downscaled by 2, antialiased bicubic)"
    printf '%s' "$jobs" | "$PYTHON" -c "$PY_CONVERT"
}

build_val() {
    local out="$DATA_DIR/val" n src f ext jobs=""
    log "validation set: ${VAL_NAMES[*]} from $VAL_PACKAGE"
    fetch_package "$VAL_PACKAGE"
    mkdir -p "$out"
    for n in "${VAL_NAMES[@]}"; do
        src=""
        for ext in png jpg jpeg tif tiff bmp png.gz jpg.gz; do
            f="$ROOT_DIR/$VAL_SRC_DIR/$n.$ext"
            if [[ -f $f ]]; then src=$f; break; fi
        done
        [[ -n $src ]] || die "$n.* not found in $VAL_PACKAGE ($VAL_SRC_DIR)"
        jobs+="$src"$'\t'"$out/$n.png"$'\t'"copy"$'\n'
    done
    log "writing $out (RGB PNG, original size)"
    printf '%s' "$jobs" | "$PYTHON" -c "$PY_CONVERT"
}

build_test() {
    local out="$DATA_DIR/test" rel src name jobs="" missing=0
    log "test set: ${#TEST_FILES[@]} photos from $TEST_PACKAGE"
    fetch_package "$TEST_PACKAGE"
    mkdir -p "$out"
    for rel in "${TEST_FILES[@]}"; do
        src=$(resolve_src "$TEST_SRC_DIR/$rel")
        if [[ -z $src ]]; then
            echo "warning: $TEST_SRC_DIR/$rel not found in $TEST_PACKAGE; skipped" >&2
            missing=$((missing + 1))
            continue
        fi
        name=$(basename "$rel")
        name=${name%.*}
        jobs+="$src"$'\t'"$out/$name.png"$'\t'"copy"$'\n'
    done
    src=$(resolve_src "$TEST_SRC_DIR/$TEST_OPTIONAL_SRC")
    if [[ -n $src ]]; then
        jobs+="$src"$'\t'"$out/$TEST_OPTIONAL_NAME.png"$'\t'"copy"$'\n'
    else
        log "$TEST_OPTIONAL_SRC not present in $TEST_PACKAGE; skipped"
    fi
    log "writing $out (RGB PNG, original size)"
    printf '%s' "$jobs" | "$PYTHON" -c "$PY_CONVERT"
    [[ $missing -eq 0 ]] || echo "warning: $missing test image(s) missing" >&2
}

# ---------------------------------------------------------------------------

ensure_pil
mkdir -p "$DATA_DIR"
log "data directory: $DATA_DIR"

dirs=()
if [[ $DO_TRAIN -eq 1 ]]; then
    build_train
    dirs+=("$DATA_DIR/train")
fi
if [[ $DO_EVAL -eq 1 ]]; then
    build_val
    build_test
    dirs+=("$DATA_DIR/val" "$DATA_DIR/test")
fi

echo
echo "Summary:"
"$PYTHON" -c "$PY_SUMMARY" "${dirs[@]}"
