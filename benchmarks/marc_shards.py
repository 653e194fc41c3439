"""Explain a test split with MaRC in one process and in shards over several processes: the same masks, and the speedup.

MaRC optimises one mask per image, so a split parallelises over images: `maskinterp.distributed.explain_shards`
gives each process a contiguous shard and gathers the masks in order. The one-process run uses every CPU thread
(torch's default); the sharded run starts --world processes on gloo, each with the cores divided among them
(`launch`'s default), so both use the same cores. Reported, side by side in one run:
  one process   seconds for the split (explanation only)
  shards        seconds inside the ranks (the slowest rank's explanation and the gather), and the wall time of the
                whole launch (process start-up and imports included)
  speedup       one process / shards, for both; and the largest difference between the masks of the two runs.
Every image runs exactly --steps steps (min_steps = max_steps), so the two runs do the same work; the masks then
agree up to floating-point rounding (a different number of threads sums in another order).

Usage: python benchmarks/marc_shards.py [--n-images 64] [--size 32] [--resolution 8] [--steps 40] [--bs 16]
       [--world 2] [--device cpu|cuda] [--one-threads N]   (--device cuda: one GPU per process, backend nccl)
"""
import argparse, os, sys, time, warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.filterwarnings('ignore', category=FutureWarning)
os.environ.setdefault('PYTHONWARNINGS', 'ignore::FutureWarning')     # the same, in the spawned processes

import torch
import torch.distributed as dist
from fastai.torch_core import set_seed

from maskinterp.data import SpuriousAnimals, spurious_dls
from maskinterp.distributed import explain_shards, gather_cat, launch, rank_world
from maskinterp.marc import MaRC
from maskinterp.models import classifier_learner


def timed_shards(explainer, ds, bs, device):
    "In each rank: explain this rank's shard and gather the split; (masks, seconds of the slowest rank)."
    if device == 'cuda': explainer.model.to(f'cuda:{rank_world()[0]}')
    dev = next(explainer.model.parameters()).device
    dist.barrier(); t0 = time.perf_counter()
    maps, _, _ = explain_shards(explainer, ds, bs=bs, device=dev, gather=False)
    maps = gather_cat(maps)
    secs = max(gather_cat(torch.tensor([time.perf_counter() - t0])).tolist())
    return maps, secs


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--n-images', type=int, default=64)
    p.add_argument('--size', type=int, default=32)
    p.add_argument('--resolution', type=int, default=8, help='mask grid')
    p.add_argument('--steps', type=int, default=40, help='optimisation steps per image (fixed)')
    p.add_argument('--bs', type=int, default=16, help="images per MaRC batch in each process")
    p.add_argument('--world', type=int, default=2, help='processes of the sharded run')
    p.add_argument('--device', default='cpu', choices=('cpu', 'cuda'))
    p.add_argument('--one-threads', type=int, default=None,
                   help="CPU threads of the one-process run (default: torch's, all cores); the shards' count gives equal masks")
    a = p.parse_args(argv)
    if a.one_threads: torch.set_num_threads(a.one_threads)
    set_seed(0)
    learn = classifier_learner(spurious_dls('birds', bs=32, size=a.size, n_train=512, n_valid=64, rho=0.5, seed=0),
                               'smallcnn', n_out=2)
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(4, 3e-3)
    model = learn.model.cpu().eval()
    ds = SpuriousAnimals('birds', 'test', n=a.n_images, size=a.size, seed=0)
    marc = MaRC(model, stats=ds.stats, resolution=a.resolution, max_steps=a.steps, min_steps=a.steps)
    dev = torch.device(a.device)
    print(f"MaRC, {len(ds)} test images {a.size}x{a.size}, grid {a.resolution}, {a.steps} steps, batches of {a.bs}, "
          f"device {dev}; one process: {torch.get_num_threads()} threads; shards: {a.world} processes of "
          f"{max(1, (os.cpu_count() or 1) // a.world) if a.device == 'cpu' else 'one GPU'} "
          f"{'threads' if a.device == 'cpu' else ''}")
    marc.model.to(dev)
    t0 = time.perf_counter()
    one, _, _ = explain_shards(marc, ds, bs=a.bs, device=dev)
    if dev.type == 'cuda': torch.cuda.synchronize()
    t_one = time.perf_counter() - t0
    marc.model.cpu()
    t0 = time.perf_counter()
    res = launch(timed_shards, marc, ds, a.bs, a.device, world_size=a.world,
                 backend='nccl' if a.device == 'cuda' else 'gloo')
    t_wall = time.perf_counter() - t0
    maps, t_ranks = res[0]
    diff = (maps - one.cpu()).abs().max().item()
    print(f"one process: {t_one:7.2f} s   shards: {t_ranks:7.2f} s in the ranks, {t_wall:7.2f} s with start-up   "
          f"speedup {t_one / t_ranks:4.2f}x ({t_one / t_wall:4.2f}x with start-up)   max |mask diff| {diff:.1e}")
    return 0 if diff <= 1e-3 else 1


if __name__ == '__main__': sys.exit(main())
