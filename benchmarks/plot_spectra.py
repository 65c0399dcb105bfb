#!/usr/bin/env python3
"""Plots the radial power spectra that `super-resolve compare --spectrum` prints (Markdown tables
"Radial power spectra at xN ...") as one panel per scale, log10 power against spatial frequency
(fraction of Nyquist), one line per method, ground truth in black.

    python3 benchmarks/plot_spectra.py runs/table1/table1.md docs/gan-spectra.png
"""
import re
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt


def parse(path):
    spectra, scale, head = {}, None, None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"Radial power spectra at x(\d+)", line)
        if m:
            scale, head = int(m.group(1)), None
            spectra[scale] = {}
            continue
        if not line.startswith("|"):
            scale = None  # a table ends at the first other line
            continue
        if scale is None:
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if head is None:
            head = cells
            for name in head[1:]:
                spectra[scale][name] = ([], [])
            continue
        r = float(cells[0])
        for name, v in zip(head[1:], cells[1:]):
            spectra[scale][name][0].append(r)
            spectra[scale][name][1].append(float(v))
    return spectra


def main(src, dst):
    spectra = parse(src)
    if not spectra:
        sys.exit(f"plot_spectra: no 'Radial power spectra' tables in {src}: run compare with --spectrum")
    fig, axes = plt.subplots(1, len(spectra), figsize=(6 * len(spectra), 4.2), squeeze=False)
    for ax, (scale, curves) in zip(axes[0], sorted(spectra.items())):
        for name, (r, p) in curves.items():
            truth = name == "ground truth"
            ax.plot(r, p, color="black" if truth else None, lw=2 if truth else 1.2, label=name)
        ax.set_title(f"x{scale}: mean radial power spectrum (luminance)")
        ax.set_xlabel("spatial frequency (fraction of Nyquist)")
        ax.set_ylabel("log10 power per pixel")
        ax.axvline(0.5, color="grey", ls=":", lw=0.8)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(dst, dpi=110)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
