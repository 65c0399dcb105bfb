#!/usr/bin/env bash
# Fetch real photographs from Debian 12 (bookworm) packages for training and
# evaluating the super-resolution models. The only network access is through
# apt (apt-get download / apt-get update); packages are extracted with
# `dpkg -x`, never installed (except python3-pil and, for data/gray,
# python3-numpy and python3-h5py when they are missing and we run as root).
#
#   data/train/  48 wallpaper photos, each downscaled by 2 (antialiased bicubic)
#   data/val/    6 scikit-image sample photos, converted to RGB PNG as-is
#   data/test/   curated real photos from the OpenCV samples, RGB PNG as-is
#   data/gray/   grey evaluation images: light and electron microscopy (8-bit
#                PNG, a 16-bit TIFF hologram) and head CT slices (16-bit TIFF,
#                HU + 1024)
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
    sed -n '2,23s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
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

# Grey set (1-channel models): microscopy and medical images.
# - cell.png from the scikit-image data (quantitative phase microscopy, 8-bit
#   grey, 550x660), copied byte for byte.
GRAY_CELL_PACKAGE=$VAL_PACKAGE
GRAY_CELL_SRC=$VAL_SRC_DIR/cell.png
# - Axial slices of the InVesalius example head CT. Cranium.inv3 is a gzipped
#   tar: main.plist gives matrix.dat as int16, shape (108, 256, 256) =
#   (slice, row, column), and matrix.dat is exactly that raw C-order array in
#   little-endian byte order with no header. Slices are taken at these
#   fractions of the depth (slice 0 is the skull base) and written as
#   ct_slice_NNN.tif (NNN = slice index).
GRAY_CT_PACKAGE=invesalius-examples
GRAY_CT_SRC=usr/share/doc/invesalius-examples/examples/Cranium.inv3
GRAY_CT_FRACTIONS=(0.30 0.45 0.60 0.75)
# - One 512x512 head CT slice from the pydicom test files (lossless JPEG 2000,
#   decoded by pydicom through Pillow; skipped with a warning if that fails).
#   The other CT/MR test files are smaller than 256x256 or lossy.
GRAY_DICOM_PACKAGE=python3-pydicom
GRAY_DICOM_LIB=usr/lib/python3/dist-packages
GRAY_DICOM_SRC=$GRAY_DICOM_LIB/pydicom/data/test_files/J2K_pixelrep_mismatch.dcm
GRAY_DICOM_NAME=ct_pydicom_head
# - Electron microscopy from the HyperSpy test and example data.
GRAY_EM_PACKAGE=python3-hyperspy
GRAY_EM_DIR=usr/lib/python3/dist-packages/hyperspy
#   Two Zeiss SEM images, 8-bit palette TIFFs whose palette is a grey ramp for
#   every index the image uses, stored in a zip. Each is cropped above the
#   instrument's data bar (which starts with a black line across the image)
#   and written as an 8-bit grey PNG. Format: OUTPUT_NAME:MEMBER_IN_ZIP.
GRAY_SEM_ZIP=$GRAY_EM_DIR/tests/io/tiff_files/tiff_Zeiss_SEM.zip
GRAY_SEM_FILES=(
    sem_zeiss_50kx:test_tiff_Zeiss_SEM_512pix.tif
    sem_zeiss_105x:test_tiff_Zeiss_SEM_1k.tif
)
#   An off-axis electron hologram (TEM) of an Fe needle, a HyperSpy HDF5 file
#   (gzip-chunked, read with h5py), written as 16-bit TIFF of the raw counts.
#   Skipped with a warning when h5py is missing and we are not root.
GRAY_HOLO_SRC=$GRAY_EM_DIR/misc/holography/example_signals/01_holo_Vbp_130V_0V_bin2_crop.hdf5
GRAY_HOLO_NAME=tem_hologram_fe_needle

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

# Grey images that need decoding. CT slices are written as unsigned 16-bit
# TIFF (PIL mode I;16) with value = HU + 1024 clipped to 0..65535. Existing
# outputs are skipped; outputs go to a temporary name and are renamed into
# place, after reading them back to check mode and size.
#   inv3 CRANIUM.inv3 OUTDIR FRACTION...   axial slices of an InVesalius project
#   dicom LIBDIR FILE.dcm OUT.tif          one slice, read with pydicom (LIBDIR
#                                          holds the extracted pydicom package)
#   semzip ZIP OUTDIR NAME:MEMBER...       grey-palette SEM TIFFs from a zip,
#                                          cropped above the data bar, 8-bit PNG
#   hspy FILE.hdf5 OUT.tif                 the one 2-D integer image of a
#                                          HyperSpy HDF5 file, 16-bit TIFF as is
read -r -d '' PY_GRAY <<'PY' || true
import io, os, plistlib, sys, tarfile, zipfile
import numpy as np
from PIL import Image


def save_checked(a, dst, mode):
    im = Image.fromarray(a)
    d, base = os.path.split(dst)
    ext = os.path.splitext(dst)[1]
    tmp = os.path.join(d, ".%s.tmp-%d%s" % (base, os.getpid(), ext))
    try:
        im.save(tmp, format="TIFF" if ext == ".tif" else "PNG")
        with Image.open(tmp) as chk:
            if chk.mode != mode or chk.size != im.size:
                sys.exit("%s: wrote mode %s %s, expected %s %s"
                         % (dst, chk.mode, chk.size, mode, im.size))
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    print("    wrote %s (%dx%d, %d-bit, %d..%d)"
          % (os.path.relpath(dst), im.size[0], im.size[1],
             8 * a.dtype.itemsize, a.min(), a.max()))


def save_u16(hu, dst):
    save_checked(np.clip(np.rint(hu) + 1024, 0, 65535).astype(np.uint16), dst, "I;16")


def inv3(src, out, fractions):
    with tarfile.open(src, "r:gz") as tf:
        main = next((m for m in tf if os.path.basename(m.name) == "main.plist"), None)
        if main is None:
            sys.exit("%s: no main.plist" % src)
        meta = plistlib.load(tf.extractfile(main))
        mat = meta["matrix"]
        shape = tuple(int(n) for n in mat["shape"])
        if mat["dtype"] != "int16" or len(shape) != 3 or meta.get("modality") != "CT":
            sys.exit("%s: expected an int16 3-D CT matrix, got %s %s %s"
                     % (src, meta.get("modality"), mat["dtype"], shape))
        depth = shape[0]
        zs = sorted(set(int(round(float(f) * (depth - 1))) for f in fractions))
        dsts = [(z, os.path.join(out, "ct_slice_%03d.tif" % z)) for z in zs]
        todo = [(z, dst) for z, dst in dsts if not os.path.exists(dst)]
        if not todo:
            print("    0 written, %d already present" % len(dsts))
            return
        name = os.path.join(os.path.dirname(main.name), mat["filename"])
        member = tf.getmember(name)
        expected = int(np.prod(shape)) * 2
        if member.size != expected:
            sys.exit("%s: %s has %d bytes, expected %d for %s int16"
                     % (src, name, member.size, expected, shape))
        vol = np.frombuffer(tf.extractfile(member).read(), dtype="<i2").reshape(shape)
    # A wrong byte order would give values far outside the stored range.
    lo, hi = int(vol.min()), int(vol.max())
    srange = meta.get("scalar_range")
    if srange and not (srange[0] <= lo and hi <= srange[1]):
        sys.exit("%s: values %d..%d outside scalar_range %s" % (src, lo, hi, srange))
    print("    %s: %s CT, %d x %d x %d int16 (slice, row, column), %d..%d HU"
          % (os.path.basename(src), meta.get("name", "?"), shape[0], shape[1], shape[2], lo, hi))
    for z, dst in todo:
        # InVesalius stores each DICOM slice with its rows reversed (for VTK);
        # reverse them back so anterior is at the top, as in the DICOM files.
        sl = vol[z, ::-1, :]
        if (sl > -500).mean() < 0.1:
            sys.exit("%s: slice %d shows almost no tissue" % (src, z))
        save_u16(sl.astype(np.float64), dst)
    print("    %d written, %d already present" % (len(todo), len(dsts) - len(todo)))


def dicom(libdir, src, dst):
    if os.path.exists(dst):
        print("    0 written, 1 already present")
        return
    sys.path.insert(0, libdir)
    try:
        import pydicom
        ds = pydicom.dcmread(src)
        px = ds.pixel_array
    except Exception as e:
        print("warning: cannot decode %s (%s); %s skipped"
              % (os.path.basename(src), e, os.path.basename(dst)), file=sys.stderr)
        return
    if ds.get("Modality") != "CT" or px.ndim != 2 or min(px.shape) < 256:
        sys.exit("%s: expected one CT slice of at least 256x256, got %s %s"
                 % (src, ds.get("Modality"), px.shape))
    hu = px.astype(np.float64) * float(ds.get("RescaleSlope", 1)) + float(ds.get("RescaleIntercept", 0))
    save_u16(hu, dst)
    print("    1 written, 0 already present")


def semzip(src, out, specs):
    todo, present = [], 0
    for spec in specs:
        name, member = spec.split(":")
        dst = os.path.join(out, name + ".png")
        if os.path.exists(dst):
            present += 1
        else:
            todo.append((member, dst))
    with zipfile.ZipFile(src) as zf:
        for member, dst in todo:
            with Image.open(io.BytesIO(zf.read(member))) as im:
                im.load()
                if im.mode != "P":
                    sys.exit("%s: expected a palette image, got mode %s" % (member, im.mode))
                pal = np.array(im.getpalette(), dtype=np.int64).reshape(-1, 3)
                a = np.array(im)
            h, w = a.shape
            # The data bar starts with a row that is (almost) all black.
            bar = next((r for r in range(h // 2, h) if (a[r] == 0).mean() > 0.95), None)
            if bar is None or (a[bar - 1] == 0).mean() > 0.5:
                sys.exit("%s: no data bar found below the image" % member)
            img = a[:bar]
            used = np.unique(img)
            if not (pal[used] == used[:, None]).all():
                sys.exit("%s: the palette is not a grey ramp for the values used" % member)
            if min(img.shape) < 256 or len(used) < 64:
                sys.exit("%s: %dx%d with %d grey levels is too small or too flat"
                         % (member, w, bar, len(used)))
            save_checked(np.ascontiguousarray(img, dtype=np.uint8), dst, "L")
    print("    %d written, %d already present" % (len(todo), present))


def hspy(src, dst):
    if os.path.exists(dst):
        print("    0 written, 1 already present")
        return
    import h5py
    with h5py.File(src, "r") as f:
        exps = list(f["Experiments"].values())
        if len(exps) != 1:
            sys.exit("%s: expected one experiment, found %d" % (src, len(exps)))
        g = exps[0]
        a = g["data"][()]
        title = g["metadata/General"].attrs.get("title", "?")
    if a.ndim != 2 or min(a.shape) < 256 or a.dtype.kind not in "iu":
        sys.exit("%s: expected a 2-D integer image of at least 256x256, got %s %s"
                 % (src, a.dtype, a.shape))
    if a.min() < 0 or a.max() > 65535 or len(np.unique(a)) < 256:
        sys.exit("%s: values %d..%d (%d levels) do not fit a 16-bit image"
                 % (src, a.min(), a.max(), len(np.unique(a))))
    print("    %s: %s, %d x %d %s" % (os.path.basename(src), title, a.shape[1], a.shape[0], a.dtype))
    save_checked(a.astype(np.uint16), dst, "I;16")
    print("    1 written, 0 already present")


cmd, args = sys.argv[1], sys.argv[2:]
if cmd == "inv3":
    inv3(args[0], args[1], args[2:])
elif cmd == "dicom":
    dicom(*args)
elif cmd == "semzip":
    semzip(args[0], args[1], args[2:])
elif cmd == "hspy":
    hspy(*args)
else:
    sys.exit("unknown command: " + cmd)
PY

# Prints one summary line per directory given as argument.
read -r -d '' PY_SUMMARY <<'PY' || true
import os, sys
from PIL import Image

for d in sys.argv[1:]:
    name = os.path.basename(d.rstrip("/"))
    files = sorted(f for f in os.listdir(d)
                   if f.endswith((".png", ".tif")) and not f.startswith(".")) if os.path.isdir(d) else []
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

# Make sure $PYTHON can import MODULE, installing PACKAGE when root.
ensure_module() {
    local module=$1 pkg=$2
    [[ -x $PYTHON ]] || die "$PYTHON not found (install python3)"
    if "$PYTHON" -c "import $module" 2>/dev/null; then
        return
    fi
    if ! is_root; then
        die "$module is missing for $PYTHON. Install it with: sudo apt-get install $pkg"
    fi
    log "installing $pkg"
    if ! apt-get install -y "$pkg"; then
        apt-get update
        APT_UPDATED=1
        apt-get install -y "$pkg"
    fi
    "$PYTHON" -c "import $module" || die "$pkg installed but 'import $module' still fails"
}

ensure_pil() { ensure_module PIL python3-pil; }

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

build_gray() {
    local out="$DATA_DIR/gray" src dst tmp
    log "grey set: cell from $GRAY_CELL_PACKAGE, head CT from $GRAY_CT_PACKAGE and $GRAY_DICOM_PACKAGE, electron microscopy from $GRAY_EM_PACKAGE"
    ensure_module numpy python3-numpy
    fetch_package "$GRAY_CELL_PACKAGE"
    fetch_package "$GRAY_CT_PACKAGE"
    fetch_package "$GRAY_DICOM_PACKAGE"
    fetch_package "$GRAY_EM_PACKAGE"
    mkdir -p "$out"

    log "writing $out/cell.png (copied as-is)"
    src="$ROOT_DIR/$GRAY_CELL_SRC"
    [[ -f $src ]] || die "$GRAY_CELL_SRC not found in $GRAY_CELL_PACKAGE"
    dst="$out/cell.png"
    if [[ -e $dst ]]; then
        echo "    0 written, 1 already present"
    else
        tmp="$out/.cell.png.tmp-$$"
        cp "$src" "$tmp"
        mv "$tmp" "$dst"
        echo "    wrote ${dst#"$PWD"/}"
    fi

    log "writing $out/ct_slice_*.tif (16-bit TIFF, HU + 1024)"
    src="$ROOT_DIR/$GRAY_CT_SRC"
    [[ -f $src ]] || die "$GRAY_CT_SRC not found in $GRAY_CT_PACKAGE"
    "$PYTHON" -c "$PY_GRAY" inv3 "$src" "$out" "${GRAY_CT_FRACTIONS[@]}"

    log "writing $out/$GRAY_DICOM_NAME.tif (16-bit TIFF, HU + 1024)"
    src="$ROOT_DIR/$GRAY_DICOM_SRC"
    if [[ -f $src ]]; then
        "$PYTHON" -c "$PY_GRAY" dicom "$ROOT_DIR/$GRAY_DICOM_LIB" "$src" "$out/$GRAY_DICOM_NAME.tif"
    else
        echo "warning: $GRAY_DICOM_SRC not found in $GRAY_DICOM_PACKAGE; skipped" >&2
    fi

    log "writing $out/sem_zeiss_*.png (8-bit grey, cropped above the data bar)"
    src="$ROOT_DIR/$GRAY_SEM_ZIP"
    [[ -f $src ]] || die "$GRAY_SEM_ZIP not found in $GRAY_EM_PACKAGE"
    "$PYTHON" -c "$PY_GRAY" semzip "$src" "$out" "${GRAY_SEM_FILES[@]}"

    log "writing $out/$GRAY_HOLO_NAME.tif (16-bit TIFF, raw counts)"
    src="$ROOT_DIR/$GRAY_HOLO_SRC"
    dst="$out/$GRAY_HOLO_NAME.tif"
    [[ -f $src ]] || die "$GRAY_HOLO_SRC not found in $GRAY_EM_PACKAGE"
    if [[ -e $dst ]]; then
        echo "    0 written, 1 already present"
    elif "$PYTHON" -c "import h5py" 2>/dev/null || is_root; then
        ensure_module h5py python3-h5py
        "$PYTHON" -c "$PY_GRAY" hspy "$src" "$dst"
    else
        echo "warning: h5py is missing for $PYTHON (sudo apt-get install python3-h5py); $GRAY_HOLO_NAME.tif skipped" >&2
    fi
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
    build_gray
    dirs+=("$DATA_DIR/val" "$DATA_DIR/test" "$DATA_DIR/gray")
fi

echo
echo "Summary:"
"$PYTHON" -c "$PY_SUMMARY" "${dirs[@]}"
