#!/usr/bin/python3
"""Makes the foreign ONNX fixtures: two small super-resolution networks laid out unlike Super-Resolve's
SRResNet, trained briefly in PyTorch on the bundled sample photo and exported with torch.onnx.export,
plus test images and the images PyTorch itself makes of them.

Run with Debian's PyTorch (apt-get install python3-torch python3-pil): /usr/bin/python3 make_foreign_onnx.py
Writes, next to this script:
  espcn-x2-grey.onnx   ESPCN (Shi et al. 2016): 5x5 conv, tanh, 3x3 conv, tanh, 3x3 conv, PixelShuffle; grey, x2
  edsr-x2-rgb.onnx     EDSR-style: 3x3 head, 2 residual blocks (conv, ReLU, conv, x0.1), global skip,
                       conv + PixelShuffle, plus the bicubically upsampled input (F.interpolate); RGB, x2
  grey.png, rgb.png    test inputs: crops of the sample photo (src/main/resources/samples/coffee.png)
  espcn-x2-grey.expected.png, edsr-x2-rgb.expected.png
                       PyTorch's outputs: the input mirrored by 16 pixels on each side (reflection
                       without repeating the edge pixel, as Super-Resolve's tiles see beyond the image),
                       the network, the margin cropped, x255, rounded and clipped to 8 bits.
"""
import os
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, '..', '..', '..', 'main', 'resources', 'samples', 'coffee.png')
torch.manual_seed(1)
np.random.seed(1)
torch.set_num_threads(2)


class ESPCN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 32, 5, padding=2)
        self.c2 = nn.Conv2d(32, 16, 3, padding=1)
        self.c3 = nn.Conv2d(16, 4, 3, padding=1)
        self.ps = nn.PixelShuffle(2)

    def forward(self, x):
        return self.ps(self.c3(torch.tanh(self.c2(torch.tanh(self.c1(x))))))


class Block(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.a = nn.Conv2d(n, n, 3, padding=1)
        self.b = nn.Conv2d(n, n, 3, padding=1)

    def forward(self, x):
        return x + 0.1 * self.b(F.relu(self.a(x)))


class EDSR(nn.Module):
    def __init__(self, n=16):
        super().__init__()
        self.head = nn.Conv2d(3, n, 3, padding=1)
        self.body = nn.Sequential(Block(n), Block(n))
        self.tail = nn.Conv2d(n, n, 3, padding=1)
        self.up = nn.Conv2d(n, 12, 3, padding=1)
        self.ps = nn.PixelShuffle(2)
        nn.init.zeros_(self.up.weight)  # starts as bicubic
        nn.init.zeros_(self.up.bias)

    def forward(self, x):
        h = self.head(x)
        r = self.tail(self.body(h)) + h
        return self.ps(self.up(r)) + F.interpolate(x, scale_factor=2, mode='bicubic', align_corners=False)


def train(net, photo, steps):
    """Brief training on random 48x48 crops, inputs by 2x2 averaging: enough to make it a real upscaler."""
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    t = torch.from_numpy(photo).permute(2, 0, 1).unsqueeze(0)
    for _ in range(steps):
        crops = []
        for _ in range(8):
            y, x = np.random.randint(0, t.shape[2] - 48), np.random.randint(0, t.shape[3] - 48)
            crops.append(t[:, :, y:y + 48, x:x + 48])
        hr = torch.cat(crops)
        lr = F.avg_pool2d(hr, 2)
        loss = F.mse_loss(net(lr), hr)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return float(loss)


def expected(net, img):
    x = torch.from_numpy(img).permute(2, 0, 1).unsqueeze(0)
    with torch.no_grad():
        y = net(F.pad(x, (16, 16, 16, 16), mode='reflect'))[:, :, 32:-32, 32:-32]
    y = np.clip(np.floor(y[0].permute(1, 2, 0).numpy() * 255 + 0.5), 0, 255).astype(np.uint8)
    return y[:, :, 0] if y.shape[2] == 1 else y


def export(net, name, channels):
    net.eval()
    torch.onnx.export(net, torch.rand(1, channels, 40, 40), os.path.join(HERE, name + '.onnx'), opset_version=17,
                      input_names=['input'], output_names=['output'],
                      dynamic_axes={'input': {0: 'batch', 2: 'height', 3: 'width'},
                                    'output': {0: 'batch', 2: 'height2', 3: 'width2'}})


photo = np.asarray(Image.open(SAMPLE).convert('RGB'), dtype=np.float32) / 255
grey_photo = np.asarray(Image.open(SAMPLE).convert('L'), dtype=np.float32)[:, :, None] / 255
rgb = (photo[100:147, 60:121] * 255 + 0.5).astype(np.uint8)          # 61 x 47
grey = (grey_photo[30:83, 140:197, 0] * 255 + 0.5).astype(np.uint8)  # 57 x 53
Image.fromarray(rgb).save(os.path.join(HERE, 'rgb.png'))
Image.fromarray(grey).save(os.path.join(HERE, 'grey.png'))

espcn = ESPCN()
print('espcn loss', train(espcn, grey_photo, 300))
export(espcn, 'espcn-x2-grey', 1)
Image.fromarray(expected(espcn, grey[:, :, None].astype(np.float32) / 255)).save(os.path.join(HERE, 'espcn-x2-grey.expected.png'))

edsr = EDSR()
print('edsr loss', train(edsr, photo, 200))
export(edsr, 'edsr-x2-rgb', 3)
Image.fromarray(expected(edsr, rgb.astype(np.float32) / 255)).save(os.path.join(HERE, 'edsr-x2-rgb.expected.png'))
