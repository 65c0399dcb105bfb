#!/usr/bin/python3
"""Reference scores for the metrics layer (src/test/resources/reference/metrics-images.csv).

Independent implementation: scikit-image 0.19.3 (Debian python3-skimage), with
structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False) and
mean_squared_error / peak_signal_noise_ratio, on
  * RGB:   astronaut-crop.png vs astronaut-crop_down2up2.png (Pillow bicubic 8-bit down x2, up x2),
           per channel R, G, B, and on luminance Y = 0.299 R + 0.587 G + 0.114 B (float64);
  * 16-bit: cells16.tif, a 12-bit-like image (camera-crop * 13 + 300) and cells16_noisy.tif (plus
           seeded Gaussian noise, sigma 60, clipped), data range 65535 (the type's) and 4095 (given);
  * float: field32.tif (camera-crop / 255 * 3.5 - 1.2, float32) and field32_noisy.tif (noise sigma 0.05),
           data range = max - min of the reference (what Super-Resolve uses for 32-bit).
Each case also with a border cropped first. Channel scores: MSE per channel, PSNR from it, SSIM per
channel; "all" pools MSE over channels (PSNR from the pooled MSE) and averages SSIM.
Run from the repository root: /usr/bin/python3 benchmarks/make_metric_fixtures.py
"""
import csv
import numpy as np
from PIL import Image
from skimage.metrics import mean_squared_error, peak_signal_noise_ratio, structural_similarity

REF = "src/test/resources/reference/"


def ssim(a, b, r):
    return structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=r)


def crop(a, border):
    return a[border:a.shape[0] - border, border:a.shape[1] - border] if border else a


rows = []


def add(case, border, rng, channel, a, b):
    mse = mean_squared_error(a, b)
    rows.append([case, border, rng, channel, repr(float(mse)), repr(float(peak_signal_noise_ratio(a, b, data_range=rng))),
                 repr(float(ssim(a, b, rng)))])


# RGB
astro = Image.open(REF + "astronaut-crop.png").convert("RGB")
w, h = astro.size
up = astro.resize((w // 2, h // 2), Image.BICUBIC).resize((w, h), Image.BICUBIC)
up.save(REF + "astronaut-crop_down2up2.png")
A = np.asarray(astro).astype(np.float64)
B = np.asarray(up).astype(np.float64)
for border in (0, 2):
    a, b = crop(A, border), crop(B, border)
    mses = []
    ssims = []
    for k, name in enumerate("RGB"):
        add("rgb", border, 255.0, name, a[..., k], b[..., k])
        mses.append(mean_squared_error(a[..., k], b[..., k]))
        ssims.append(ssim(a[..., k], b[..., k], 255.0))
    m = float(np.mean(mses))
    rows.append(["rgb", border, 255.0, "all", repr(m), repr(float(10 * np.log10(255.0 ** 2 / m))), repr(float(np.mean(ssims)))])
    ya = a @ np.array([0.299, 0.587, 0.114])
    yb = b @ np.array([0.299, 0.587, 0.114])
    add("luminance", border, 255.0, "Y", ya, yb)

# 16-bit
cam = np.asarray(Image.open(REF + "camera-crop.png").convert("L")).astype(np.float64)
rng = np.random.default_rng(7)
c16 = (cam * 13 + 300).astype(np.uint16)
n16 = np.clip(c16 + rng.normal(0, 60, c16.shape), 0, 65535).round().astype(np.uint16)
Image.fromarray(c16).save(REF + "cells16.tif")
Image.fromarray(n16).save(REF + "cells16_noisy.tif")
for border in (0, 3):
    for r in (65535.0, 4095.0):
        add("16-bit", border, r, "grey", crop(c16, border), crop(n16, border))

# float
f32 = (cam / 255 * 3.5 - 1.2).astype(np.float32)
n32 = (f32 + rng.normal(0, 0.05, f32.shape)).astype(np.float32)
Image.fromarray(f32, mode="F").save(REF + "field32.tif")
Image.fromarray(n32, mode="F").save(REF + "field32_noisy.tif")
span = float(f32.max()) - float(f32.min())
for border in (0, 3):
    add("float", border, span, "grey", crop(f32, border).astype(np.float64), crop(n32, border).astype(np.float64))

with open(REF + "metrics-images.csv", "w", newline="") as f:
    wr = csv.writer(f)
    wr.writerow(["case", "border", "data_range", "channel", "mse", "psnr", "ssim"])
    wr.writerows(rows)
print("wrote", len(rows), "rows")
