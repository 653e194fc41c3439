"""Speed of COMET (maskinterp.comet) against plain training and a plain forward pass, measured side by side in one run.

On the same synthetic images (SpuriousAnimals-sized, random), the same batch size and a SmallCNN (or a timm name with
--arch), it times:

- training, seconds per epoch: plain ERM (`classifier_learner`) against COMET (`comet_learner`) with the detector
  term (hinge form, soft mask), without it (`w_det=0`: no detector pass), and with hard straight-through masks.
  COMET runs the selector, the predictor twice (its own step on the detached mask; the selector's view, frozen) and
  the frozen detector per batch, so expect roughly 3-4x;
- inference, images per second: the classifier's forward pass alone against COMET's explainable prediction
  (`CometModel.forward`: selector + predictor) and its explanation (`CometExplainer`: the selector alone).

Ratios are printed against the plain numbers of the same run. Numbers on 2 heavily shared CPU cores are noisy:
repeat the run before reading small ratios.

Usage: python benchmarks/comet_speed.py [--arch smallcnn] [--size 32] [--bs 64] [--n-train 512] [--epochs 1]
       [--repeats 3] [--device cpu|cuda] [--threads N]
"""
import argparse, sys, time, warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.filterwarnings('ignore', category=FutureWarning)
warnings.filterwarnings('ignore', category=DeprecationWarning)

import torch
from fastai.data.core import DataLoaders
from fastai.data.load import DataLoader

from maskinterp.models import create_model, classifier_learner
from maskinterp.core import eval_mode
from maskinterp.comet import CometExplainer, CometLoss, comet_learner


def sync(device):
    if str(device).startswith('cuda'): torch.cuda.synchronize()


def make_dls(n, size, bs, device, n_classes=10):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, 3, size, size, generator=g)
    y = torch.randint(0, n_classes, (n,), generator=g)
    items = list(zip(x, y))
    return DataLoaders(DataLoader(items, bs=bs, shuffle=True, drop_last=True, device=device),
                       DataLoader(items[:bs], bs=bs, device=device), device=device)


def epoch_seconds(learn, epochs, device):
    with learn.no_bar(), learn.no_logging():
        learn.fit(1, 1e-3)                                      # warm-up epoch, not timed
        sync(device); t = time.perf_counter()
        learn.fit(epochs, 1e-3)
        sync(device)
    return (time.perf_counter() - t) / epochs


def rate(f, x, device, repeats):
    with torch.no_grad():
        f(x); sync(device)
        best = float('inf')
        for _ in range(repeats):
            t = time.perf_counter(); f(x); sync(device)
            best = min(best, time.perf_counter() - t)
    return len(x) / best


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--arch', default='smallcnn'); p.add_argument('--size', type=int, default=32)
    p.add_argument('--bs', type=int, default=64); p.add_argument('--n-train', type=int, default=512)
    p.add_argument('--epochs', type=int, default=1); p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--threads', type=int, default=None)
    a = p.parse_args(argv)
    if a.threads: torch.set_num_threads(a.threads)
    dev = torch.device(a.device)
    dls = make_dls(a.n_train + a.bs, a.size, a.bs, dev)
    torch.manual_seed(0)
    erm = classifier_learner(dls, a.arch, n_out=10)
    detector = create_model(a.arch, 10).to(dev)
    runs = {'ERM': erm,
            'COMET hinge (detector)': comet_learner(dls, detector, arch=a.arch, n_out=10),
            'COMET no detector': comet_learner(dls, detector, arch=a.arch, n_out=10, loss=CometLoss(w_det=0)),
            'COMET hard (ST)': comet_learner(dls, detector, arch=a.arch, n_out=10, hard=True)}
    print(f"device {dev}, arch {a.arch}, {a.size} px, batch {a.bs}, {a.n_train} training images, threads {torch.get_num_threads()}")
    print("\ntraining, seconds per epoch (ratio to ERM):")
    secs = {k: epoch_seconds(l, a.epochs, dev) for k, l in runs.items()}
    for k, s in secs.items(): print(f"  {k:26s} {s:7.2f} s   {s / secs['ERM']:5.2f}x")
    model = runs['COMET hinge (detector)'].model
    x = torch.randn(256, 3, a.size, a.size, device=dev)
    with eval_mode(erm.model), eval_mode(model):
        r_plain = rate(erm.model, x, dev, a.repeats)
        r_pred = rate(model, x, dev, a.repeats)
        r_expl = rate(CometExplainer(model), x, dev, a.repeats)
    print("\ninference, images per second (ratio to the plain classifier's forward pass):")
    for k, r in [('classifier forward', r_plain), ('COMET predict (select+predict)', r_pred), ('COMET explain (selector)', r_expl)]:
        print(f"  {k:32s} {r:9.0f}   {r / r_plain:5.2f}x")


if __name__ == '__main__': main()
