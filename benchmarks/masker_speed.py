"""Speed of the saliency masker (maskinterp.masker) against its floor and against post-hoc explainers, in one run.

On the same backbone (SmallCNN by default, or any timm name with --arch), the same batch size and the same images,
it times:

- the classifier's own forward pass alone (eval, no gradients): the floor. Goal: the masker within 1.5x of it;
- the masker's explanation (`SaliencyMasker`: one forward pass of the classifier's stages plus the masker head);
- Grad-CAM (`maskinterp.models.GradCAM`: a forward and a backward pass);
- occlusion: a batched sliding-window occlusion written here (a window of --window pixels, stride --stride, filled
  with 0 = the mean colour of normalised images; the map is the mean drop of the target's probability over the
  windows covering a pixel). If `maskinterp.marc` exists, MaRC (`maskinterp.marc.MaRC`, per-image mask
  optimisation) is timed too, on 2 images, capped at --marc-steps steps (a lower bound on its real cost: it stops
  by an EMA rule after 250 to 7500 steps). Goal: the masker at least 50x faster than these;
- training time per epoch: plain ERM training (`classifier_learner`) against masker training (`masker_learner`,
  classifier 'trained' and 'fixed'), on the same synthetic data. Goal: at most 3x. In 'trained' mode a coin with
  probability p_masked = 0.5 decides per batch whether the classifier also trains on the masked images (the dearer
  kind of batch), so the p=0 and p=1 extremes are timed too and their mean is the expected cost per epoch.

Everything is reported as images (or explanations) per second and as ratios measured side by side. The weights are
random (speed does not depend on them). The default run takes about 3 minutes on 2 idle CPU cores (longer when they
are shared). Numbers measured on 2 heavily shared CPU cores are noisy: repeat the run before reading small ratios.

Usage: python benchmarks/masker_speed.py [--arch smallcnn] [--size 64] [--bs 64] [--n-images 256] [--n-train 512]
       [--train-repeats 3] [--window 8] [--stride 4] [--repeats 3] [--marc-steps 300] [--device cpu|cuda] [--threads N] [--no-train]
"""
import argparse, importlib.util, sys, time, warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.filterwarnings('ignore', category=FutureWarning)
warnings.filterwarnings('ignore', category=DeprecationWarning)

import torch
import torch.nn.functional as F

from maskinterp.models import create_model, classifier_learner, GradCAM, Explainer, resolve_target
from maskinterp.core import eval_mode, mask_out, normalize_maps
from maskinterp.masker import MaskerModel, SaliencyMasker, masker_learner


class Occlusion(Explainer):
    "Batched sliding-window occlusion: mean drop of the target's probability over the windows covering each pixel."
    def __init__(self, model, window=8, stride=4, batch_size=256):
        self.model, self.window, self.stride, self.batch_size = model, window, stride, batch_size

    def explain(self, x, target=None):
        B, C, H, W = x.shape
        k, s = self.window, self.stride
        ys, xs = list(range(0, H - k + 1, s)), list(range(0, W - k + 1, s))
        wins = torch.zeros(len(ys) * len(xs), 1, H, W, device=x.device)
        for i, (a, b) in enumerate((a, b) for a in ys for b in xs): wins[i, :, a:a + k, b:b + k] = 1
        n = wins.shape[0]
        with eval_mode(self.model), torch.no_grad():
            p0 = F.softmax(self.model(x).float(), dim=1)
            t = resolve_target(target, p0)
            p0 = p0.gather(1, t[:, None])[:, 0]
            xi = x.repeat_interleave(n, dim=0)                       # (B*n, C, H, W), image-major
            mi = wins.repeat(B, 1, 1, 1)
            ti = t.repeat_interleave(n)
            drops = []
            for j in range(0, B * n, self.batch_size):
                p = F.softmax(self.model(mask_out(xi[j:j + self.batch_size], mi[j:j + self.batch_size])).float(), dim=1)
                drops.append(p.gather(1, ti[j:j + self.batch_size, None])[:, 0])
            drop = (p0.repeat_interleave(n) - torch.cat(drops)).view(B, n, 1, 1)
        cover = wins.sum(0)
        maps = (drop * wins[None, :, 0]).sum(1, keepdim=True) / cover.clamp_min(1)
        return normalize_maps(maps)


IMAGENET_STATS = ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])


def sync(device):
    if str(device).startswith('cuda'): torch.cuda.synchronize()


def rate(f, batches, device, repeats):
    "Images per second of `f` over `batches` (best of `repeats` passes, after one warm-up batch)."
    if repeats == 0:            # no warm-up: one timed pass (for very slow methods)
        sync(device); t = time.perf_counter()
        for b in batches: f(b)
        sync(device); return sum(len(b) for b in batches) / (time.perf_counter() - t)
    f(batches[0]); sync(device)
    best = float('inf')
    for _ in range(repeats):
        sync(device); t = time.perf_counter()
        for b in batches: f(b)
        sync(device); best = min(best, time.perf_counter() - t)
    return sum(len(b) for b in batches) / best


def synthetic_dls(n, size, bs, n_classes, device, seed=0):
    "Synthetic DataLoaders (random images, a class-dependent bright square) for the training-time comparison."
    from fastai.data.core import DataLoaders
    from fastai.data.load import DataLoader
    g = torch.Generator().manual_seed(seed)
    def make(n):
        x = torch.randn(n, 3, size, size, generator=g) * 0.5
        y = torch.randint(0, n_classes, (n,), generator=g)
        for c in range(n_classes):
            r = (c * 7) % (size - 8)
            x[y == c, :, r:r + 8, r:r + 8] += 2.
        return list(zip(x, y))
    return DataLoaders(DataLoader(make(n), bs=bs, shuffle=True, drop_last=True, num_workers=0, device=device),
                       DataLoader(make(max(bs, n // 8)), bs=bs, num_workers=0, device=device), device=device)


def epoch_time(learn):
    "Seconds of one one-epoch fit (training and validation)."
    t = time.perf_counter()
    with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-3)
    return time.perf_counter() - t


def epoch_times(learners: dict, repeats: int) -> dict:
    """Best of `repeats` epoch times per learner, the learners interleaved (so a load change hits all alike); one warm-up each.
    Each round reseeds torch before every learner, so all of them see the same shuffles and the same random draws
    (the masker's coin for the classifier's masked update): the best-of-`repeats` cannot pick a lucky epoch for one
    learner only."""
    for l in learners.values(): epoch_time(l)
    times = {k: [] for k in learners}
    for r in range(repeats):
        for k, l in learners.items():
            torch.manual_seed(1000 + r)
            times[k].append(epoch_time(l))
    return {k: min(v) for k, v in times.items()}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--arch', default='smallcnn')
    p.add_argument('--n-classes', type=int, default=10)
    p.add_argument('--size', type=int, default=64)
    p.add_argument('--bs', type=int, default=64)
    p.add_argument('--n-images', type=int, default=256, help='images explained by the fast methods')
    p.add_argument('--n-slow', type=int, default=16, help='images explained by occlusion / MaRC')
    p.add_argument('--n-train', type=int, default=512, help='training images for the per-epoch comparison')
    p.add_argument('--train-repeats', type=int, default=3, help='timed one-epoch fits per learner (interleaved; the best counts)')
    p.add_argument('--window', type=int, default=8)
    p.add_argument('--stride', type=int, default=4)
    p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--marc-steps', type=int, default=20,
                   help="cap on MaRC's optimisation steps (its default is up to 7500): a lower bound on its cost")
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--threads', type=int, default=None)
    p.add_argument('--no-train', action='store_true', help='skip the training-time comparison')
    a = p.parse_args(argv)
    if a.threads: torch.set_num_threads(a.threads)
    dev = torch.device(a.device)
    torch.manual_seed(0)
    clf = create_model(a.arch, a.n_classes).to(dev).eval()
    mm = MaskerModel(clf).to(dev).eval()
    x = torch.randn(a.n_images, 3, a.size, a.size, device=dev)
    batches = list(x.split(a.bs))
    slow = list(x[:a.n_slow].split(a.bs))
    print(f"masker speed: arch {a.arch}, {a.size}px, batch {a.bs}, device {dev}, {torch.get_num_threads()} threads")

    def forward(b):
        with torch.no_grad(): clf(b)
    masker, gradcam = SaliencyMasker(mm), GradCAM(clf)
    occ = Occlusion(clf, a.window, a.stride, batch_size=max(a.bs, 256))
    res = {'classifier forward (floor)': rate(forward, batches, dev, a.repeats),
           'saliency masker': rate(lambda b: masker(b), batches, dev, a.repeats),
           'Grad-CAM': rate(lambda b: gradcam(b), batches, dev, a.repeats),
           f'occlusion ({a.window}px window, stride {a.stride})': rate(lambda b: occ(b), slow, dev, 1)}
    if importlib.util.find_spec('maskinterp.marc') is not None:
        try:
            from maskinterp.marc import MaRC
            marc = MaRC(clf, stats=IMAGENET_STATS, max_steps=a.marc_steps, min_steps=min(250, a.marc_steps))
            res[f'MaRC (at most {a.marc_steps} steps)'] = rate(lambda b: marc(b), [x[:2]], dev, 0)
        except Exception as e: print(f"(MaRC not timed: {type(e).__name__}: {e})")
    m = res['saliency masker']
    print(f"\n{'method':42s} {'images/s':>10s} {'masker speed-up':>16s}")
    for k, v in res.items(): print(f"{k:42s} {v:10.3g} {m / v:15.3g}x")
    floor = res['classifier forward (floor)']
    print(f"\nmasker time / forward-pass time: {floor / m:.2f}x (goal <= 1.5x)")
    for k, v in res.items():
        if k.startswith(('occlusion', 'MaRC')): print(f"masker vs {k}: {m / v:.0f}x faster (goal >= 50x)")

    if not a.no_train:
        dls = synthetic_dls(a.n_train, a.size, a.bs, a.n_classes, dev)
        torch.manual_seed(0)
        learners = {'plain': classifier_learner(dls, a.arch, n_out=a.n_classes),
                    'trained': masker_learner(dls, a.arch, n_out=a.n_classes, mode='trained'),
                    'p0': masker_learner(dls, a.arch, n_out=a.n_classes, mode='trained', p_masked=0.),
                    'p1': masker_learner(dls, a.arch, n_out=a.n_classes, mode='trained', p_masked=1.),
                    'fixed': masker_learner(dls, a.arch, n_out=a.n_classes, mode='fixed')}
        t = epoch_times(learners, a.train_repeats)
        t0 = t['plain']
        print(f"\ntraining, seconds per epoch of {a.n_train} images (batch {a.bs}):")
        print(f"{'plain (ERM)':50s} {t0:8.2f} s")
        rows = [('trained', 'masker, classifier trained alongside (p=0.5)'),
                ('p0', '  the same, no masked classifier update (p=0)'),
                ('p1', '  the same, masked classifier update always (p=1)')]
        for k, name in rows: print(f"{name:50s} {t[k]:8.2f} s  {t[k] / t0:5.2f}x")
        exp = (t['p0'] + t['p1']) / 2
        print(f"{'  expectation at p=0.5: (p=0 + p=1) / 2':50s} {exp:8.2f} s  {exp / t0:5.2f}x (goal <= 3x)")
        print(f"{'masker, classifier fixed':50s} {t['fixed']:8.2f} s  {t['fixed'] / t0:5.2f}x (goal <= 3x)")
        print("(p=0.5 draws its coin per batch: with few batches an epoch's cost depends on the draws, which the "
              "expectation line averages out)")

if __name__ == '__main__': main()
