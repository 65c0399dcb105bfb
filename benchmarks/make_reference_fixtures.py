#!/usr/bin/env python3
"""Generate the Pillow resampling / image-metric reference fixtures in
src/test/resources/reference/ (see README.md there).

Run from the repository root with Debian's interpreter (needs python3-pil,
python3-numpy, python3-skimage):

    /usr/bin/python3 benchmarks/make_reference_fixtures.py [--out DIR] [--data DIR]

Besides writing the fixtures, the script re-implements Pillow's separable
resampling in numpy (float and 8-bit fixed-point paths) and checks that it
reproduces every fixture, so the fixtures are known to follow the algorithm
documented in README.md exactly.
"""
import argparse
import csv
import math
import os
import sys

import numpy as np
import PIL
from PIL import Image
import skimage
from skimage.metrics import (mean_squared_error, peak_signal_noise_ratio,
                             structural_similarity)

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "src", "test", "resources", "reference")
DEFAULT_DATA = os.path.join(os.path.dirname(skimage.__file__), "data")

# (name, source file, crop box (left, upper, right, lower), PIL mode)
CROPS = [
    ("astronaut-crop", "astronaut.png", (200, 80, 296, 152), "RGB"),  # 96x72, face
    ("camera-crop", "camera.png", (232, 128, 296, 176), "L"),         # 64x48, eye/nose + camera
]

# (suffix, resample filter, factor, up?)
OPS = [
    ("bicubic_up2", "bicubic", 2, True),
    ("bicubic_up3", "bicubic", 3, True),
    ("bicubic_up4", "bicubic", 4, True),
    ("bicubic_down2", "bicubic", 2, False),
    ("bicubic_down4", "bicubic", 4, False),
    ("lanczos_up2", "lanczos", 2, True),
    ("lanczos_down2", "lanczos", 2, False),
]
PIL_FILTER = {"bicubic": Image.BICUBIC, "lanczos": Image.LANCZOS}


def out_size(size, factor, up):
    w, h = size
    if up:
        return w * factor, h * factor
    assert w % factor == 0 and h % factor == 0
    return w // factor, h // factor


# --------------------------------------------------------------------------
# numpy re-implementation of Pillow's Resample.c (used only to verify)
# --------------------------------------------------------------------------
def _bicubic(x, a=-0.5):
    x = abs(x)
    if x < 1.0:
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0
    if x < 2.0:
        return (((x - 5.0) * x + 8.0) * x - 4.0) * a
    return 0.0


def _sinc(x):
    if x == 0.0:
        return 1.0
    x = x * math.pi
    return math.sin(x) / x


def _lanczos(x):
    if -3.0 <= x < 3.0:
        return _sinc(x) * _sinc(x / 3.0)
    return 0.0


FILTERS = {"bicubic": (_bicubic, 2.0), "lanczos": (_lanczos, 3.0)}


def precompute_coeffs(in_size, out_size_, filt):
    """Pillow precompute_coeffs(): list of (xmin, weights) per output pixel."""
    fn, support0 = FILTERS[filt]
    scale = in_size / out_size_
    filterscale = max(scale, 1.0)
    support = support0 * filterscale
    ss = 1.0 / filterscale
    res = []
    for xx in range(out_size_):
        center = (xx + 0.5) * scale
        xmin = max(int(center - support + 0.5), 0)       # C (int) truncation
        xmax = min(int(center + support + 0.5), in_size) - xmin
        w = np.array([fn((x + xmin - center + 0.5) * ss) for x in range(xmax)])
        tot = w.sum()
        if tot != 0.0:
            w = w / tot
        res.append((xmin, w))
    return res


def resample_float(a, new_w, new_h, filt):
    """'F' mode: double accumulation, float32 store; horizontal pass first."""
    a = a.astype(np.float32)
    h, w = a.shape
    if new_w != w:
        t = np.empty((h, new_w), np.float32)
        for xx, (xmin, k) in enumerate(precompute_coeffs(w, new_w, filt)):
            t[:, xx] = (a[:, xmin:xmin + len(k)].astype(np.float64) @ k).astype(np.float32)
        a = t
    if new_h != h:
        t = np.empty((new_h, a.shape[1]), np.float32)
        for yy, (ymin, k) in enumerate(precompute_coeffs(h, new_h, filt)):
            t[yy, :] = (k @ a[ymin:ymin + len(k), :].astype(np.float64)).astype(np.float32)
        a = t
    return a


PRECISION_BITS = 32 - 8 - 2


def _fixed(k):
    # normalize_coeffs_8bpc: round half away from zero to 22-bit fixed point
    s = k * (1 << PRECISION_BITS)
    return np.where(s < 0, np.trunc(s - 0.5), np.trunc(s + 0.5)).astype(np.int64)


def _clip8(ss):
    return np.clip(ss >> PRECISION_BITS, 0, 255).astype(np.uint8)


def resample_8bit(a, new_w, new_h, filt):
    """8-bit modes: 22-bit fixed-point weights, +half rounding, clamp to
    0..255 after each pass (8-bit intermediate); horizontal pass first."""
    a = a.astype(np.uint8)
    if a.ndim == 2:
        a = a[:, :, None]
    h, w, c = a.shape
    half = 1 << (PRECISION_BITS - 1)
    if new_w != w:
        t = np.empty((h, new_w, c), np.uint8)
        for xx, (xmin, k) in enumerate(precompute_coeffs(w, new_w, filt)):
            kk = _fixed(k)
            ss = half + np.einsum("hkc,k->hc", a[:, xmin:xmin + len(kk), :].astype(np.int64), kk)
            t[:, xx, :] = _clip8(ss)
        a = t
    if new_h != h:
        t = np.empty((new_h, a.shape[1], c), np.uint8)
        for yy, (ymin, k) in enumerate(precompute_coeffs(h, new_h, filt)):
            kk = _fixed(k)
            ss = half + np.einsum("kwc,k->wc", a[ymin:ymin + len(kk), :, :].astype(np.int64), kk)
            t[yy, :, :] = _clip8(ss)
        a = t
    return a[:, :, 0] if c == 1 else a


# --------------------------------------------------------------------------
def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default=DEFAULT_OUT)
    p.add_argument("--data", default=DEFAULT_DATA, help="skimage data directory")
    a = p.parse_args()
    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    print("Pillow %s, numpy %s, scikit-image %s" % (PIL.__version__, np.__version__,
                                                   skimage.__version__))
    failures = 0

    def save_png(img, name):
        path = os.path.join(out, name)
        img.save(path, format="PNG", optimize=True)
        print("wrote", name, img.mode, img.size)

    for name, src, box, mode in CROPS:
        im = Image.open(os.path.join(a.data, src))
        im.load()
        crop = im.convert(mode).crop(box)
        save_png(crop, name + ".png")
        arr8 = np.asarray(crop)
        for suffix, filt, factor, up in OPS:
            size = out_size(crop.size, factor, up)
            res = crop.resize(size, PIL_FILTER[filt])
            save_png(res, "%s_%s.png" % (name, suffix))
            mine = resample_8bit(arr8, size[0], size[1], filt)
            if not np.array_equal(mine, np.asarray(res)):
                failures += 1
                print("  VERIFY FAILED (8-bit) for", suffix, file=sys.stderr)
            if mode == "L":
                fres = crop.convert("F").resize(size, PIL_FILTER[filt])
                farr = np.asarray(fres, dtype=np.float32)
                fname = "%s_%s.f32" % (name, suffix)
                farr.astype("<f4").tofile(os.path.join(out, fname))
                print("wrote", fname, "float32 %dx%d (w x h), min %.4f max %.4f"
                      % (size[0], size[1], farr.min(), farr.max()))
                mine_f = resample_float(arr8, size[0], size[1], filt)
                err = float(np.max(np.abs(mine_f - farr)))
                if err > 1e-4:
                    failures += 1
                    print("  VERIFY FAILED (float) for %s: max err %g" % (suffix, err),
                          file=sys.stderr)
                else:
                    print("  float verify max |err| = %g" % err)

    # ---- metrics fixtures -------------------------------------------------
    cam = Image.open(os.path.join(out, "camera-crop.png"))
    w, h = cam.size
    du = cam.resize((w // 2, h // 2), Image.BICUBIC).resize((w, h), Image.BICUBIC)
    save_png(du, "camera-crop_down2up2.png")
    ref8 = np.asarray(cam, dtype=np.uint8)
    tst8 = np.asarray(du, dtype=np.uint8)
    variants = [
        (255, ref8, tst8),
        (65535, ref8.astype(np.uint16) * np.uint16(257), tst8.astype(np.uint16) * np.uint16(257)),
        (1.0, ref8.astype(np.float32) / np.float32(255), tst8.astype(np.float32) / np.float32(255)),
    ]
    rows = []
    for dr, r, t in variants:
        mse = mean_squared_error(r, t)
        psnr = peak_signal_noise_ratio(r, t, data_range=dr)
        ssim = structural_similarity(r, t, gaussian_weights=True, sigma=1.5,
                                     use_sample_covariance=False, data_range=dr)
        rows.append(["camera-crop.png", "camera-crop_down2up2.png", repr(float(dr)),
                     repr(float(mse)), repr(float(psnr)), repr(float(ssim))])
        print("metrics dtype=%s data_range=%s: mse=%r psnr=%r ssim=%r"
              % (r.dtype, dr, mse, psnr, ssim))
    with open(os.path.join(out, "metrics.csv"), "w", newline="") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["reference", "test", "data_range", "mse", "psnr", "ssim"])
        wr.writerows(rows)
    print("wrote metrics.csv")

    if failures:
        print("%d verification failure(s)" % failures, file=sys.stderr)
        return 1
    print("all fixtures reproduced by the numpy re-implementation of Pillow's algorithm")
    return 0


if __name__ == "__main__":
    sys.exit(main())
