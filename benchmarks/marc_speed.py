"""Time MaRC's batched optimisation against optimising the same images one at a time, with the same settings.

MaRC optimises one mask per image. `MaRC.explain` does it for a whole batch at once: one forward and one backward
pass per step over all B x n_backgrounds masked-in and masked-out images, Adam on every image's parameters as rows
of one tensor, and the stopping rule applied per image (finished images leave the batch). The reference is the
same explainer called on one image at a time, which is what the authors' code does (one image per optimisation).

Two comparisons, on the same model, images, targets and settings:
  fixed  every image runs exactly --steps steps (min_steps = max_steps), so both do the same number of steps;
  rule   the paper's stopping rule (EMA 0.95 of the mean mask's decrease < --tol, mean mask < 0.5, at least
         --min-steps), capped at --rule-steps; reports the mean number of steps to the rule.
The masks of the two versions must agree (max |difference| is printed; exit status 1 above --atol). With a
fixed number of steps they agree to ~1e-7. Under the stopping rule over hundreds of steps they may not: a convolution
over 6 images and over 96 rounds differently (by ~1e-7), the trajectories drift apart by tiny amounts, and the rule
(an EMA of the mean mask's decrease against --tol) can then stop an image a few steps earlier in one version than in
the other, while its mask is still moving. That is rounding, not a difference in the algorithm (the batched code is
bit-identical to a version that gathers every image at every step).

The model is a SmallCNN trained for one epoch on maskinterp's toy data (so the stopping rule sees a real signal).
On a few CPU cores a batch of images costs more compute per step than one image, but per-step overhead (Python,
dispatch, the small mask ops) is paid once per step instead of once per image per step; on a GPU the one-image
loop is launch-bound and the gap is much larger.

Usage: python benchmarks/marc_speed.py [--n-images 16] [--size 32] [--resolution 8] [--steps 30] [--rule-steps 100]
       [--min-steps 20] [--backgrounds black,white,zero] [--widths 8,16,32] [--device cpu|cuda] [--skip-rule]
       [--repeats 1]
Bigger: --size 64 --resolution 16 --widths 16,32,64,128 --n-images 64 --rule-steps 7500 --min-steps 250 --lr 0.03
(the paper's step limits and learning rate; only sensible on a GPU).
"""
import argparse, sys, time, warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.filterwarnings('ignore', category=FutureWarning)

import torch

from maskinterp.marc import MaRC
from maskinterp.models import classifier_learner, toy_dls


def sync(device):
    if str(device).startswith('cuda'): torch.cuda.synchronize()


def run(make, x, t, device, one_at_a_time):
    "Masks, steps per image and seconds, batched or one image at a time."
    sync(device); t0 = time.perf_counter()
    if one_at_a_time:
        maps, steps = [], []
        for i in range(len(x)):
            e = make(); maps.append(e(x[i:i + 1], t[i:i + 1])); steps.append(e.n_steps)
        maps, steps = torch.cat(maps), torch.cat(steps)
    else:
        e = make(); maps = e(x, t); steps = e.n_steps
    sync(device)
    return maps, steps, time.perf_counter() - t0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--n-images', type=int, default=16)
    p.add_argument('--size', type=int, default=32)
    p.add_argument('--resolution', type=int, default=8, help='mask grid (0: full resolution)')
    p.add_argument('--steps', type=int, default=30, help='steps of the fixed-steps comparison')
    p.add_argument('--rule-steps', type=int, default=100, help="stopping rule's step limit")
    p.add_argument('--min-steps', type=int, default=20, help="stopping rule's minimum number of steps")
    p.add_argument('--repeats', type=int, default=1, help='timings are the minimum over this many interleaved runs')
    p.add_argument('--tol', type=float, default=2e-4)
    p.add_argument('--lr', type=float, default=0.1)
    p.add_argument('--backgrounds', default='black,white,zero')
    p.add_argument('--widths', default='8,16,32', help='SmallCNN stage widths')
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--skip-rule', action='store_true', help='only the fixed-steps comparison')
    p.add_argument('--atol', type=float, default=1e-3)
    a = p.parse_args(argv)
    torch.manual_seed(0)
    dev = torch.device(a.device)
    dls = toy_dls(n=256, size=a.size, bs=32, seed=0, device=dev)
    learn = classifier_learner(dls, n_out=2, model_kwargs=dict(widths=tuple(int(w) for w in a.widths.split(','))))
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(1, 1e-2)
    model = learn.model.to(dev).eval()
    x = torch.cat([b[0] for b in dls.valid])[:a.n_images].to(dev)
    y = torch.cat([b[1] for b in dls.valid])[:a.n_images].to(dev)
    stats = ((0., 0., 0.), (1., 1., 1.))                      # toy images are not normalised
    base = dict(backgrounds=tuple(a.backgrounds.split(',')), stats=stats, resolution=a.resolution or None,
                lr=a.lr, tol=a.tol)
    print(f"MaRC, {len(x)} images {a.size}x{a.size}, grid {a.resolution or 'full'}, backgrounds {base['backgrounds']}, "
          f"SmallCNN{tuple(int(w) for w in a.widths.split(','))}, device {dev}, torch threads {torch.get_num_threads()}")
    modes = [('fixed', dict(max_steps=a.steps, min_steps=a.steps))]
    if not a.skip_rule: modes.append(('rule', dict(max_steps=a.rule_steps, min_steps=a.min_steps)))
    ok = True
    for name, kw in modes:
        make = lambda: MaRC(model, **base, **kw)
        run(make, x[:2], y[:2], dev, False)                     # warm-up
        tb = t1 = float('inf')
        for _ in range(a.repeats):                              # interleaved, so load changes hit both alike
            mb, sb, t = run(make, x, y, dev, False); tb = min(tb, t)
            m1, s1, t = run(make, x, y, dev, True); t1 = min(t1, t)
        diff = (mb - m1).abs().max().item()
        same_steps = bool((sb == s1).all())
        ok &= diff <= a.atol and same_steps
        print(f"[{name}] batched: {1000 * tb / len(x):8.1f} ms/image   one at a time: {1000 * t1 / len(x):8.1f} ms/image"
              f"   ratio {t1 / tb:5.1f}x   mean steps {sb.float().mean():.1f} (min {sb.min()}, max {sb.max()})"
              f"   same steps: {same_steps}   max |mask diff| {diff:.1e}")
    return 0 if ok else 1


if __name__ == '__main__': sys.exit(main())
