"""Super-Resolve's SRResNet generator (Ledig et al. 2017) in PyTorch, as exported by Super-Resolve.

The state dict beside this file (weights.pt) holds the trained weights; batch-norm, if the model was
trained with it, is already folded into the convolutions. Input and output: float32 (batch, channel,
y, x), intensities normalised as the package's rdf.yaml says; the output is `scale ** stages` times
larger. A recursive model (stages > 1) applies its generators in turn.

    net = SuperResolveNet(**kwargs_from_rdf_yaml)
    net.load_state_dict(torch.load("weights.pt"))
    y = net.eval()(x)
"""
import torch
from torch import nn


class ResidualBlock(nn.Module):
    """Two 3x3 convolutions with a PReLU between, scaled by `residual_scale`, added to the input."""

    def __init__(self, width, residual_scale):
        super().__init__()
        self.conv1 = nn.Conv2d(width, width, 3, padding=1)
        self.prelu = nn.PReLU(width)
        self.conv2 = nn.Conv2d(width, width, 3, padding=1)
        self.residual_scale = residual_scale

    def forward(self, x):
        t = self.conv2(self.prelu(self.conv1(x)))
        if self.residual_scale != 1.0:
            t = t * self.residual_scale
        return x + t


class Upsample2(nn.Module):
    """x2: a 3x3 convolution to 4x width and a pixel shuffle ("subpixel"), or a 4x4 transposed
    convolution of stride 2 ("deconv"); then a PReLU."""

    def __init__(self, width, upsampling):
        super().__init__()
        if upsampling == "subpixel":
            self.conv = nn.Conv2d(width, 4 * width, 3, padding=1)
            self.shuffle = nn.PixelShuffle(2)
        elif upsampling == "deconv":
            self.deconv = nn.ConvTranspose2d(width, width, 4, stride=2, padding=1)
        else:
            raise ValueError("upsampling is 'subpixel' or 'deconv', not %r" % (upsampling,))
        self.upsampling = upsampling
        self.prelu = nn.PReLU(width)

    def forward(self, x):
        x = self.shuffle(self.conv(x)) if self.upsampling == "subpixel" else self.deconv(x)
        return self.prelu(x)


class SrResNet(nn.Module):
    """One generator: 9x9 convolution and PReLU, residual blocks, a 3x3 convolution added to the head,
    x2 upsampling stages, a 9x9 output convolution; with `bicubic_skip`, plus the input upsampled by
    Super-Resolve's bicubic kernel (a fixed 5x5 convolution and a pixel shuffle, kept in the state dict)."""

    def __init__(self, channels, scale, blocks, width, residual_scale, bicubic_skip, upsampling):
        super().__init__()
        if scale < 2 or scale & (scale - 1):
            raise ValueError("scale is a power of two, not %r" % (scale,))
        self.conv_in = nn.Conv2d(channels, width, 9, padding=4)
        self.prelu_in = nn.PReLU(width)
        self.blocks = nn.Sequential(*[ResidualBlock(width, residual_scale) for _ in range(blocks)])
        self.mid_conv = nn.Conv2d(width, width, 3, padding=1)
        self.up = nn.Sequential(*[Upsample2(width, upsampling) for _ in range(scale.bit_length() - 1)])
        self.conv_out = nn.Conv2d(width, channels, 9, padding=4)
        self.scale = scale
        if bicubic_skip:
            self.register_buffer("bicubic_skip", torch.zeros(channels * scale * scale, channels, 5, 5))
        else:
            self.bicubic_skip = None

    def forward(self, x):
        head = self.prelu_in(self.conv_in(x))
        y = self.mid_conv(self.blocks(head)) + head
        y = self.conv_out(self.up(y))
        if self.bicubic_skip is not None:
            y = y + nn.functional.pixel_shuffle(nn.functional.conv2d(x, self.bicubic_skip, padding=2), self.scale)
        return y


class SuperResolveNet(nn.Module):
    """`stages` generators of `scale` each, applied in turn (one for SRResNet, SRGAN and fftGAN models)."""

    def __init__(self, channels, scale, blocks, width, residual_scale=1.0, bicubic_skip=False, upsampling="subpixel", stages=1):
        super().__init__()
        self.stages = nn.ModuleList([SrResNet(channels, scale, blocks, width, residual_scale, bicubic_skip, upsampling)
                                     for _ in range(stages)])

    def forward(self, x):
        for s in self.stages:
            x = s(x)
        return x
