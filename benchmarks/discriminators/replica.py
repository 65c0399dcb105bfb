"""Discriminator-design comparison: real HR crops vs SRResNet-x4 output crops.
Usage: OMP_NUM_THREADS=1 /usr/bin/python3 replica.py VARIANT [--steps N] [--lr LR] [--out results.jsonl]
Data as benchmarks/discriminators/run.sh prepares it (DEXP: work folder, DEXP_DATA: data/ with train, val).
Written for issue 16 to measure, outside our SameDiff code, which discriminator design learns; results
in docs/training.md."""
import argparse, glob, json, os, time, math
import numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from PIL import Image
torch.set_num_threads(1)
WORK = os.environ.get("DEXP", "/tmp/dexp")
DATA = os.environ.get("DEXP_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "data"))

CROP = 96
CL = torch.channels_last  # ~1.7x faster than NCHW for these convs on 1 CPU thread

def load(split):
    hr, sr, lr = [], [], []
    for p in sorted(glob.glob(f"{DATA}/{split}/*.png")):
        n = os.path.basename(p)
        l = np.asarray(Image.open(f"{WORK}/lr/{split}/{n}").convert("RGB"))
        h4, w4 = l.shape[0] * 4, l.shape[1] * 4
        h = np.asarray(Image.open(p).convert("RGB"))[:h4, :w4]
        s = np.asarray(Image.open(f"{WORK}/sr/{split}/{n}").convert("RGB"))
        assert h.shape == s.shape, (n, h.shape, s.shape)
        hr.append(torch.from_numpy(h.copy()).permute(2, 0, 1).contiguous())
        sr.append(torch.from_numpy(s.copy()).permute(2, 0, 1).contiguous())
        lr.append(torch.from_numpy(l.copy()).permute(2, 0, 1).float().div(255).unsqueeze(0))
    return hr, sr, lr

def crops(rng, imgs, lrs, n, aligned, with_lr):
    xs, cs = [], []
    for _ in range(n):
        k = rng.integers(len(imgs)); im = imgs[k]
        H, W = im.shape[1], im.shape[2]
        if aligned:
            y = 4 * rng.integers((H - CROP) // 4 + 1); x = 4 * rng.integers((W - CROP) // 4 + 1)
        else:
            y = rng.integers(H - CROP + 1); x = rng.integers(W - CROP + 1)
        xs.append(im[:, y:y + CROP, x:x + CROP].float().div(255))
        if with_lr:
            l = lrs[k][:, :, y // 4:(y + CROP) // 4, x // 4:(x + CROP) // 4]
            cs.append(F.interpolate(l, scale_factor=4, mode="bicubic", align_corners=False).clamp(0, 1)[0])
    x = torch.stack(xs)
    return torch.cat([x, torch.stack(cs)], 1) if with_lr else x

def gauss_kernel(sigma=1.0, radius=3):
    t = torch.arange(-radius, radius + 1, dtype=torch.float32)
    g = torch.exp(-t ** 2 / (2 * sigma ** 2)); g /= g.sum()
    return g

_G = gauss_kernel()
def blur(x):
    c = x.shape[1]; r = len(_G) // 2
    x = F.pad(x, (r, r, r, r), mode="reflect")
    x = F.conv2d(x, _G.view(1, 1, 1, -1).repeat(c, 1, 1, 1), groups=c)
    return F.conv2d(x, _G.view(1, 1, -1, 1).repeat(c, 1, 1, 1), groups=c)

def highpass(x): return x - blur(x)

class D(nn.Module):
    def __init__(self, in_ch=3, widths=(64, 64, 128, 128, 256, 256, 512, 512), bn=True,
                 head="dense", pre=None):
        super().__init__()
        L, c = [], in_ch
        for i, w in enumerate(widths):
            L.append(nn.Conv2d(c, w, 3, stride=2 if i % 2 == 1 else 1, padding=1))
            if bn and i > 0: L.append(nn.BatchNorm2d(w))
            L.append(nn.LeakyReLU(0.2)); c = w
        self.convs = nn.Sequential(*L); self.head = head; self.pre = pre
        s = CROP // 16
        if head == "dense":   # SRGAN: flatten -> 1024 -> 1
            self.fc = nn.Sequential(nn.Flatten(), nn.Linear(c * s * s, 1024), nn.LeakyReLU(0.2), nn.Linear(1024, 1))
        elif head == "gap":   # conv-light: global avg pool -> 1024 -> 1
            self.fc = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 1024), nn.LeakyReLU(0.2), nn.Linear(1024, 1))
        elif head == "patch": # PatchGAN: 1x1 conv -> logit per position
            self.fc = nn.Conv2d(c, 1, 1)
    def forward(self, x):
        if self.pre == "highpass": x = 4.0 * highpass(x)
        elif self.pre == "hp_cond":  # extra: conditional + high-pass: [4*hp(x), 4*(x - bicubic_up(LR))]
            x = 4.0 * torch.cat([highpass(x[:, :3]), x[:, :3] - x[:, 3:]], 1)
        return self.fc(self.convs(x))  # (N,1) or (N,1,h,w)

HALF = (32, 32, 64, 64, 128, 128, 256, 256)
VARIANTS = {  # name: (kwargs, default lr, conditional)
    "A":     (dict(head="dense"), 2e-4, False),
    "B":     (dict(head="dense"), 1e-3, False),
    "C":     (dict(head="gap"), 2e-4, False),
    "C1e-3": (dict(head="gap"), 1e-3, False),
    "D":     (dict(head="dense", bn=False), 2e-4, False),
    "D1e-3": (dict(head="dense", bn=False), 1e-3, False),
    "E":     (dict(head="gap", in_ch=6), 1e-3, True),
    "F":     (dict(head="gap", pre="highpass"), 1e-3, False),
    "G":     (dict(head="gap", widths=HALF), 1e-3, False),
    "H":     (dict(head="patch"), 1e-3, False),
    "Fnobn": (dict(head="gap", pre="highpass", bn=False), 1e-3, False),
    "EF":    (dict(head="gap", in_ch=6, pre="hp_cond"), 1e-3, True),
}

def bce(logits, y):
    if logits.dim() == 4: y = y.view(-1, 1, 1, 1).expand_as(logits)
    else: y = y.view(-1, 1)
    return F.binary_cross_entropy_with_logits(logits, y)

def score(logits):  # per-image score (mean logit over positions for PatchGAN)
    return logits.flatten(1).mean(1)

@torch.no_grad()
def evaluate(model, ev_real, ev_fake, batch_stats=False):
    """eval-mode (BN running stats) by default; batch_stats=True -> BN in train mode on mixed 16+16 batches."""
    was = model.training
    if batch_stats:
        model.train()
        saved = {k: v.clone() for k, v in model.state_dict().items() if "running" in k or "num_batches" in k}
    else: model.eval()
    losses, correct, n = 0.0, 0, 0
    for i in range(0, len(ev_real), 16):
        x = torch.cat([ev_real[i:i + 16], ev_fake[i:i + 16]])
        y = torch.cat([torch.ones(len(ev_real[i:i + 16])), torch.zeros(len(ev_fake[i:i + 16]))])
        lg = model(x.contiguous(memory_format=CL))
        losses += bce(lg, y).item() * len(y)
        correct += ((score(lg) > 0).float() == y).sum().item(); n += len(y)
    if batch_stats: model.load_state_dict(saved, strict=False)
    model.train(was)
    return correct / n, losses / n

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("variant"); ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--lr", type=float); ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--evals", default="25,50,100,200,300"); ap.add_argument("--out", default=os.path.join(WORK, "results.jsonl"))
    a = ap.parse_args()
    kw, lr0, cond = VARIANTS[a.variant]; lr = a.lr or lr0
    hr, sr, lr_tr = load("train"); vhr, vsr, vlr = load("val")
    # fixed held-out set (same seed for every variant; aligned crops only for the conditional one)
    erng = np.random.default_rng(12345)
    ev_real = crops(erng, vhr, vlr, 256, cond, cond); ev_fake = crops(erng, vsr, vlr, 256, cond, cond)
    torch.manual_seed(a.seed); rng = np.random.default_rng(a.seed)
    model = D(**kw).to(memory_format=CL); opt = torch.optim.Adam(model.parameters(), lr=lr, betas=(0.9, 0.999))
    has_bn = kw.get("bn", True)
    evals = set(int(s) for s in a.evals.split(","))
    rec = dict(variant=a.variant, lr=lr, params=sum(p.numel() for p in model.parameters()), evals={}, train_loss=[])
    y = torch.cat([torch.ones(16), torch.zeros(16)])
    ttrain = 0.0
    for step in range(1, a.steps + 1):
        xr = crops(rng, hr, lr_tr, 16, cond, cond); xf = crops(rng, sr, lr_tr, 16, cond, cond)
        t0 = time.time()
        loss = bce(model(torch.cat([xr, xf]).contiguous(memory_format=CL)), y)  # one mixed batch, as DiscriminatorTrainer does
        opt.zero_grad(); loss.backward(); opt.step()
        ttrain += time.time() - t0
        rec["train_loss"].append(round(loss.item(), 4))
        if step in evals:
            acc, l = evaluate(model, ev_real, ev_fake)
            e = dict(acc=acc, bce=l)
            if has_bn: e["acc_bs"], e["bce_bs"] = evaluate(model, ev_real, ev_fake, batch_stats=True)
            rec["evals"][step] = e
            print(f"{a.variant} lr={lr:g} step {step} acc={acc:.3f} bce={l:.3f}" +
                  (f" [batch-stat acc={e['acc_bs']:.3f} bce={e['bce_bs']:.3f}]" if has_bn else "") +
                  f" s/step={ttrain/step:.2f} trainloss(last25)={np.mean(rec['train_loss'][-25:]):.3f}", flush=True)
    rec["s_per_step"] = ttrain / a.steps; rec["steps"] = a.steps
    with open(a.out, "a") as f: f.write(json.dumps(rec) + "\n")

if __name__ == "__main__":
    main()
