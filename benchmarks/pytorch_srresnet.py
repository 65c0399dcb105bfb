#!/usr/bin/env python3
"""PyTorch CPU reference timing of the SRResNet generator (Ledig et al. 2017).

For timing only: weights are random, the model is in eval mode for inference
and runs under torch.inference_mode().  Architecture (NCHW):

    conv9x9(C -> W) + PReLU(per channel)                       -> x0
    B x [conv3x3 W->W, BN?, PReLU, conv3x3 W->W, BN?, *res_scale, + skip]
    conv3x3 W->W, BN?, + x0                                    (global skip)
    per factor of 2: conv3x3 W->4W, PixelShuffle(2), PReLU
    conv9x9 W -> C

All convolutions use 'same' padding and have a bias.

Examples (use Debian's interpreter, which has python3-torch):
    OMP_NUM_THREADS=2 /usr/bin/python3 benchmarks/pytorch_srresnet.py --size 128 --json
    OMP_NUM_THREADS=2 /usr/bin/python3 benchmarks/pytorch_srresnet.py --train --json
"""
import argparse
import json
import math
import statistics
import sys
import time


def srresnet_gflops(blocks, width, scale, channels, size):
    """Analytic GFLOP (2 x multiply-adds) of the convolutions of one forward
    pass on a 1 x channels x size x size input.  Biases, BN, PReLU, adds and
    pixel shuffle are not counted."""
    n = size * size
    macs = 9 * 9 * channels * width * n                 # head conv9x9
    macs += blocks * 2 * 3 * 3 * width * width * n      # residual blocks
    macs += 3 * 3 * width * width * n                   # post-residual conv
    s = 1
    while s < scale:                                    # upsampling stages
        macs += 3 * 3 * width * (4 * width) * n * s * s
        s *= 2
    macs += 9 * 9 * width * channels * n * scale * scale  # tail conv9x9
    return 2.0 * macs / 1e9


def build_model(torch, blocks, width, scale, channels, batchnorm, res_scale):
    nn = torch.nn

    class ResidualBlock(nn.Module):
        def __init__(self):
            super().__init__()
            layers = [nn.Conv2d(width, width, 3, padding=1, bias=True)]
            if batchnorm:
                layers.append(nn.BatchNorm2d(width))
            layers.append(nn.PReLU(width))
            layers.append(nn.Conv2d(width, width, 3, padding=1, bias=True))
            if batchnorm:
                layers.append(nn.BatchNorm2d(width))
            self.body = nn.Sequential(*layers)
            self.res_scale = res_scale

        def forward(self, x):
            y = self.body(x)
            if self.res_scale != 1.0:
                y = y * self.res_scale
            return x + y

    class SRResNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.head = nn.Sequential(
                nn.Conv2d(channels, width, 9, padding=4, bias=True),
                nn.PReLU(width))
            self.blocks = nn.Sequential(*[ResidualBlock() for _ in range(blocks)])
            post = [nn.Conv2d(width, width, 3, padding=1, bias=True)]
            if batchnorm:
                post.append(nn.BatchNorm2d(width))
            self.post = nn.Sequential(*post)
            up = []
            s = 1
            while s < scale:
                up += [nn.Conv2d(width, 4 * width, 3, padding=1, bias=True),
                       nn.PixelShuffle(2),
                       nn.PReLU(width)]
                s *= 2
            self.up = nn.Sequential(*up)
            self.tail = nn.Conv2d(width, channels, 9, padding=4, bias=True)

        def forward(self, x):
            x0 = self.head(x)
            y = self.post(self.blocks(x0)) + x0
            return self.tail(self.up(y))

    return SRResNet()


def timed(fn, warmup, repeats):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--blocks", type=int, default=16)
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--scale", type=int, default=4, help="power of two")
    p.add_argument("--channels", type=int, default=3)
    p.add_argument("--batchnorm", dest="batchnorm", action="store_true", default=True)
    p.add_argument("--no-batchnorm", dest="batchnorm", action="store_false")
    p.add_argument("--res-scale", type=float, default=1.0,
                   help="residual scaling inside the blocks (default 1.0)")
    p.add_argument("--size", type=int, default=128, help="inference input is N x N")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--train", action="store_true",
                   help="time one training step (Adam, MSE) instead of inference")
    p.add_argument("--patch", type=int, default=96,
                   help="HR patch size P for --train (LR input is P/scale)")
    p.add_argument("--batch", type=int, default=16, help="batch size for --train")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)

    if a.scale < 1 or (a.scale & (a.scale - 1)) != 0:
        p.error("--scale must be a power of two")
    if a.repeats < 1 or a.warmup < 0:
        p.error("--repeats must be >= 1 and --warmup >= 0")
    if a.train and a.patch % a.scale != 0:
        p.error("--patch must be divisible by --scale")

    try:
        import torch
    except ImportError:
        sys.exit("cannot import torch; install Debian's python3-torch: "
                 "apt-get install python3-torch (and run with /usr/bin/python3)")

    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # already set (can only be set once per process)
    torch.manual_seed(a.seed)

    model = build_model(torch, a.blocks, a.width, a.scale, a.channels,
                        a.batchnorm, a.res_scale)
    result = {
        "engine": "pytorch",
        "torch_version": torch.__version__,
        "threads": torch.get_num_threads(),
        "blocks": a.blocks,
        "width": a.width,
        "scale": a.scale,
        "channels": a.channels,
        "batchnorm": a.batchnorm,
        "repeats": a.repeats,
        "warmup": a.warmup,
    }

    if not a.train:
        model.eval()
        x = torch.rand(1, a.channels, a.size, a.size)

        def step():
            with torch.inference_mode():
                model(x)

        times = timed(step, a.warmup, a.repeats)
        med = statistics.median(times)
        out_mp = (a.size * a.scale) ** 2 / 1e6
        gf = srresnet_gflops(a.blocks, a.width, a.scale, a.channels, a.size)
        result.update({
            "mode": "inference",
            "size": a.size,
            "median_seconds": med,
            "min_seconds": min(times),
            "output_megapixels_per_second": out_mp / med,
            "gflops": gf,
            "gflop_per_second": gf / med,
        })
        if a.json:
            print(json.dumps(result))
        else:
            print("PyTorch %s, %d thread(s): SRResNet %dx%d x%d, BN=%s, input %dx%d"
                  % (torch.__version__, result["threads"], a.blocks, a.width,
                     a.scale, a.batchnorm, a.size, a.size))
            print("median %.4f s (min %.4f s over %d runs)" % (med, min(times), a.repeats))
            print("output %.3f MP/s" % result["output_megapixels_per_second"])
            print("%.2f GFLOP per pass, %.2f GFLOP/s" % (gf, result["gflop_per_second"]))
    else:
        model.train()
        lr_size = a.patch // a.scale
        x = torch.rand(a.batch, a.channels, lr_size, lr_size)
        y = torch.rand(a.batch, a.channels, a.patch, a.patch)
        opt = torch.optim.Adam(model.parameters(), lr=1e-4)
        loss_fn = torch.nn.MSELoss()

        def step():
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()

        times = timed(step, a.warmup, a.repeats)
        med = statistics.median(times)
        # forward GFLOP for the batch; a training step is roughly 3x this
        gf_fwd = a.batch * srresnet_gflops(a.blocks, a.width, a.scale, a.channels, lr_size)
        result.update({
            "mode": "train",
            "batch": a.batch,
            "patch": a.patch,
            "size": lr_size,
            "median_seconds": med,
            "min_seconds": min(times),
            "patches_per_second": a.batch / med,
            "gflops_forward": gf_fwd,
            "approx_gflop_per_second": 3.0 * gf_fwd / med,
        })
        if a.json:
            print(json.dumps(result))
        else:
            print("PyTorch %s, %d thread(s): SRResNet %dx%d x%d, BN=%s, train batch %d x %dx%d -> %dx%d"
                  % (torch.__version__, result["threads"], a.blocks, a.width, a.scale,
                     a.batchnorm, a.batch, lr_size, lr_size, a.patch, a.patch))
            print("median %.4f s/step (min %.4f s over %d steps)" % (med, min(times), a.repeats))
            print("%.2f patches/s" % result["patches_per_second"])
            print("~%.2f GFLOP/s (3 x forward FLOPs)" % result["approx_gflop_per_second"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
