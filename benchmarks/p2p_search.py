"""P2P inference costs, measured side by side in one run (CPU by default; `--device cuda` where there is one).

1. The batched dynamic tau search (`P2PModel.predict`: finished images leave the batch, the selector's features are
   computed once) against a per-image loop that re-runs the whole selector at every tau step.
2. Superpixels looked up from the data set's cache against SLIC computed on the fly for each batch.

Run from the repository root: `python benchmarks/p2p_search.py [--n 128] [--size 32] [--device cpu]`.
"""
import argparse, time, warnings

import torch

warnings.filterwarnings('ignore')
from maskinterp.core import mask_in, scatter_groups
from maskinterp.data import SpuriousAnimals
from maskinterp.models import SmallCNN
from maskinterp.p2p import P2PModel, pool_groups, slic_segments, superpixels


def per_image_search(model, x, seg, certainty=0.99):
    "Reference: one image at a time, the full selector re-run at every tau (no batching, no feature reuse)."
    taus = []
    lo, hi = model.tau_range
    for i in range(len(x)):
        xi, si = x[i:i + 1], seg[i:i + 1]
        k = 0
        while True:
            tau = min(lo + k * model.tau_step, hi)
            out = model.selector(xi, torch.full((1,), tau, device=x.device))
            mu, _, _ = pool_groups(out, si)
            keep = scatter_groups((mu > 0).to(x.dtype), si)
            p = torch.softmax(model.classifier(mask_in(xi, keep, fill='black', stats=model.stats)).float(), 1)
            if p.max() >= certainty or tau >= hi - 1e-9: break
            k += 1
        taus.append(tau)
    return torch.tensor(taus)


def timed(f, reps=3):
    f()
    t = time.perf_counter()
    for _ in range(reps): out = f()
    return (time.perf_counter() - t) / reps, out


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--n', type=int, default=128)
    ap.add_argument('--size', type=int, default=32)
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--certainty', type=float, default=0.99)
    a = ap.parse_args(argv)
    torch.manual_seed(0)
    ds = SpuriousAnimals('birds', 'test', n=a.n, size=a.size, seed=0)
    x = torch.stack([ds[i][0] for i in range(len(ds))]).to(a.device)
    seg = superpixels(ds).to(a.device)
    model = P2PModel(SmallCNN(n_out=2), stats=ds.stats).to(a.device).eval()
    with torch.no_grad():
        t_batch, (_, info) = timed(lambda: model.predict(x, seg, certainty=a.certainty))
        t_loop, taus = timed(lambda: per_image_search(model, x, seg, a.certainty), reps=1)
    same = torch.allclose(info['tau'].cpu(), taus, atol=1e-6)
    print(f"tau search, {a.n} images of {a.size} px on {a.device}, certainty {a.certainty} (untrained model: mean tau {info['tau'].mean():.2f})")
    print(f"  batched {t_batch * 1e3:.0f} ms, per-image loop {t_loop * 1e3:.0f} ms: ratio {t_loop / t_batch:.1f}x "
          f"(same taus: {same})")
    t_cache, _ = timed(lambda: superpixels(ds))
    t_slic, _ = timed(lambda: slic_segments(ds.images), reps=1)
    print(f"superpixels of {a.n} images: cached {t_cache * 1e3:.0f} ms, SLIC on the fly {t_slic * 1e3:.0f} ms: "
          f"ratio {t_slic / t_cache:.1f}x ({t_slic / a.n * 1e3:.1f} ms per image)")


if __name__ == '__main__': main()
