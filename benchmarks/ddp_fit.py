"""Training a method in one process and on several processes with DDP: time per epoch side by side, same global batch.

Each method's learner (maskinterp.test_utils.tiny_method_learner's recipe at a larger size: SpuriousAnimals birds,
a SmallCNN backbone) is fitted for --epochs epochs at a constant learning rate
  one process   batches of --bs, every CPU thread (torch's default);
  DDP           --world processes on gloo (`maskinterp.distributed.launch`, the cores divided among them), each a
                share of --bs per step through `DDPTrainer`, so the global batch and the number of steps are the same.
Reported, side by side in one run: seconds per epoch of each (inside the ranks for DDP: the slowest rank, start-up
excluded), the speedup, the wall time of the launch (process start-up and imports included), and the largest
difference between the ranks' parameters after the fit (0: DDP kept them equal).

Usage: python benchmarks/ddp_fit.py [--methods erm,masker,comet,aim] [--size 32] [--n-train 512] [--bs 64]
       [--epochs 2] [--world 2] [--device cpu|cuda]   (--device cuda: one GPU per process, backend nccl)
"""
import argparse, os, sys, time, warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.filterwarnings('ignore')
os.environ.setdefault('PYTHONWARNINGS', 'ignore')                    # the same, in the spawned processes

import torch
import torch.distributed as dist

from maskinterp.distributed import DDPTrainer, gather_objects, launch, rank_world
from maskinterp.test_utils import tiny_method_learner


def make(name, a, bs):
    learn = tiny_method_learner(name, n=a.n_train, bs=bs, size=a.size)
    learn.dls.train.shuffle = True                                      # as a real fit; rank 0 draws the order
    return learn


def fit_seconds(learn, a, cbs=()):
    with learn.no_bar(), learn.no_logging():
        learn.fit(1, 1e-3, cbs=list(cbs))                               # warm-up epoch: first-call costs
        t0 = time.perf_counter()
        learn.fit(a.epochs, 1e-3, cbs=list(cbs))
    return (time.perf_counter() - t0) / a.epochs


def ddp_run(name, a):
    "In each rank: seconds per epoch under DDPTrainer (the slowest rank) and the largest parameter difference to rank 0."
    rank, world = rank_world()
    if a.device == 'cuda': torch.cuda.set_device(rank)
    learn = make(name, a, a.bs // world)
    if a.device == 'cuda': learn.dls.to(f'cuda:{rank}'); learn.model.to(f'cuda:{rank}')
    dist.barrier()
    secs = fit_seconds(learn, a, [DDPTrainer()])
    params = [p.detach().cpu() for p in learn.model.parameters()]
    ranks = gather_objects((secs, params))
    diff = max((p - q).abs().max().item() for _, ps in ranks for p, q in zip(ps, ranks[0][1]))
    return max(s for s, _ in ranks), diff


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--methods', default='erm,masker,comet,aim', help="comma-separated: erm, masker, comet, p2p, aim")
    p.add_argument('--size', type=int, default=32)
    p.add_argument('--n-train', type=int, default=512)
    p.add_argument('--bs', type=int, default=64, help='global batch: one process takes it whole, each of --world a share')
    p.add_argument('--epochs', type=int, default=2, help='timed epochs, after one warm-up epoch')
    p.add_argument('--world', type=int, default=2)
    p.add_argument('--device', default='cpu', choices=('cpu', 'cuda'))
    a = p.parse_args(argv)
    if a.bs % a.world: p.error(f"--bs {a.bs} does not split into {a.world} processes")
    print(f"{a.n_train} images {a.size}x{a.size}, global batch {a.bs}, {a.epochs} timed epochs, device {a.device}; "
          f"one process: {torch.get_num_threads()} threads; DDP: {a.world} processes of "
          f"{max(1, (os.cpu_count() or 1) // a.world) if a.device == 'cpu' else 'one GPU'}"
          f"{' threads' if a.device == 'cpu' else ''}, batches of {a.bs // a.world}")
    print(f"{'method':8s} {'1 process s/epoch':>18s} {'DDP s/epoch':>12s} {'speedup':>8s} {'DDP wall s':>11s} {'max rank diff':>14s}")
    for name in a.methods.split(','):
        learn = make(name, a, a.bs)
        if a.device == 'cuda': learn.dls.to('cuda'); learn.model.cuda()
        one = fit_seconds(learn, a)
        t0 = time.perf_counter()
        ddp, diff = launch(ddp_run, name, a, world_size=a.world, backend='nccl' if a.device == 'cuda' else 'gloo')[0]
        wall = time.perf_counter() - t0
        print(f"{name:8s} {one:18.2f} {ddp:12.2f} {one / ddp:7.2f}x {wall:11.1f} {diff:14.1e}", flush=True)
    return 0


if __name__ == '__main__': sys.exit(main())
