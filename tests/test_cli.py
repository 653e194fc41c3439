"The `maskinterp` console script, as a user runs it."
import os, subprocess, sys
from pathlib import Path
import pandas as pd

BIN = Path(sys.executable).parent
SMALL = ('--size', '32', '--n-valid', '32', '--epochs', '1', '--bs', '32', '--no-progress')

def _run(*args, **kw):
    return subprocess.run([str(BIN/'maskinterp'), *args], capture_output=True, text=True, timeout=900, **kw)

def _results(folder):
    return pd.read_csv(Path(folder)/'bench_results.csv', index_col=[0, 1])

def test_help_lists_every_setting():
    r = _run('bench', '--help')
    assert r.returncode == 0
    for flag in ('--task', '--rho', '--n-train', '--epochs', '--arch', '--methods', '--out', '--settings',
                 '--pretrained', '--freeze-epochs', '--lr-mult', '--seeds', '--tracks', '--n-causal'):
        assert flag in r.stdout
    assert 'the pretrained body learns at lr / lr_mult' in ' '.join(r.stdout.split())   # help from the field comments
    r = subprocess.run([sys.executable, '-m', 'maskinterp.bench', 'bench', '--help'], capture_output=True, text=True)
    assert r.returncode == 0 and '--pretrained' in r.stdout             # `python -m maskinterp.bench` is the same command
    r = _run('pretrain', '--help')
    assert r.returncode == 0 and '--arch' in r.stdout and '--rebuild' in r.stdout

def test_bad_flags_give_clear_errors(tmp_path):
    r = _run('bench', '--rho', '1.5', '--out', str(tmp_path))
    assert r.returncode == 2 and 'rho must lie in [0, 1]' in r.stderr
    r = _run('bench', '--methods', 'nosuchmethod', '--out', str(tmp_path))
    assert r.returncode == 2 and 'unknown method' in r.stderr
    r = _run('bench', '--epochs', 'many')
    assert r.returncode == 2 and 'invalid int value' in r.stderr
    r = _run('bench', '--n-train', '16', '--bs', '32', '--out', str(tmp_path))
    assert r.returncode == 2 and 'below the batch size' in r.stderr
    r = _run('bench', '--pretrained', str(tmp_path/'missing.pt'), '--out', str(tmp_path))
    assert r.returncode == 2 and 'file not found' in r.stderr
    assert not any(tmp_path.iterdir())       # nothing was written

def test_tiny_bench_writes_tables_and_figures(tmp_path):
    r = _run('bench', *SMALL, '--n-train', '192', '--n-test', '96', '--n-causal', '16', '--pretrained', 'scratch',
             '--out', str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert 'erm+gradcam' in r.stdout and 'worst_group_acc' in r.stdout
    assert 'which explanations find the animal' in r.stdout and 'background is a shortcut' in r.stdout
    assert 'settings:' in r.stdout
    table = _results(tmp_path)
    assert list(table.index.unique(0)) == ['localisation', 'spurious']
    assert {'accuracy', 'worst_group_acc', 'epg', 'insertion', 'deletion', 'sufficiency', 'comprehensiveness'} <= set(table.columns)
    assert table[['accuracy', 'worst_group_acc', 'epg', 'insertion', 'deletion']].apply(lambda c: c.between(0, 1)).all().all()
    assert (table['mask_area'] > 0).all()          # an all-zero map would score 0 here
    assert (tmp_path/'bench_overlays.png').stat().st_size > 1000
    runs = pd.read_csv(tmp_path/'bench_runs.csv')
    assert list(runs.columns[:3]) == ['track', 'seed', 'method'] and len(runs) == 4

def test_pretrain_then_bench_from_the_file(tmp_path):
    "`maskinterp pretrain` builds a backbone; the bench starts from its file; a damaged copy is refused before any work."
    r = _run('pretrain', '--size', '32', '--n-train', '64', '--n-valid', '32', '--epochs', '1', '--bs', '32', '--quiet')
    assert r.returncode == 0, r.stderr
    weights = Path(r.stdout.strip().splitlines()[-1])
    assert weights.is_file() and 'source validation accuracy' in r.stdout
    r = _run('bench', *SMALL, '--n-train', '64', '--n-test', '32', '--n-causal', '0', '--tracks', 'spurious',
             '--pretrained', str(weights), '--out', str(tmp_path/'out'))
    assert r.returncode == 0, r.stderr
    assert f'from weights {weights}' in r.stdout
    assert list(_results(tmp_path/'out').index.unique(0)) == ['spurious']
    cut = tmp_path/'cut.pt'; cut.write_bytes(weights.read_bytes()[:2000])
    r = _run('bench', *SMALL, '--n-train', '64', '--pretrained', str(cut), '--out', str(tmp_path/'out2'))
    assert r.returncode == 2 and 'cannot read weights file' in r.stderr and not (tmp_path/'out2').exists()
    r = _run('bench', *SMALL, '--n-train', '64', '--arch', 'resnet10t', '--pretrained', str(weights), '--out', str(tmp_path/'out2'))
    assert r.returncode == 2 and "holds a 'smallcnn' model, not 'resnet10t'" in r.stderr

def test_bench_on_a_real_format_dataset(tmp_path):
    "`--data NAME --path PATH`: the papers' data sets run through the same command (a Waterbirds fixture here)."
    from maskinterp.datasets import make_waterbirds_fixture
    wb = make_waterbirds_fixture(tmp_path/'wb', n=24)
    r = _run('bench', '--data', 'waterbirds', '--path', str(tmp_path/'nowhere'), '--out', str(tmp_path/'out'))
    assert r.returncode == 2 and 'metadata.csv' in r.stderr       # names the missing file, before any training
    r = _run('bench', '--data', 'waterbirds', '--path', str(wb), '--size', '32', '--n-train', '0', '--n-valid', '0',
             '--n-test', '0', '--n-causal', '4', '--epochs', '1', '--bs', '4', '--pretrained', 'scratch',
             '--out', str(tmp_path/'out'), '--no-progress')
    assert r.returncode == 0, r.stderr
    table = _results(tmp_path/'out')
    assert table.loc[('waterbirds', 'erm+gradcam'), ['accuracy', 'epg']].between(0, 1).all()

def test_every_method_runs_in_the_bench(tmp_path):
    "`--methods all`: each registered method trains, explains the test split and gets a row of valid scores."
    from maskinterp.bench import BENCH_METHODS
    r = _run('bench', *SMALL, '--methods', 'all', '--n-train', '128', '--n-test', '48', '--n-causal', '8',
             '--tracks', 'spurious', '--pretrained', 'scratch', '--out', str(tmp_path))
    assert r.returncode == 0, r.stderr
    table = _results(tmp_path).loc['spurious']
    assert list(table.index) == list(BENCH_METHODS)
    assert {'comet', 'p2p', 'aim'} <= set(table.index)
    assert table[['accuracy', 'worst_group_acc', 'epg', 'insertion', 'deletion']].apply(lambda c: c.between(0, 1)).all().all()

def test_bench_under_torchrun(tmp_path):
    "`maskinterp bench` under torchrun on two CPU processes: every method trains under DDP and explains its share; one process prints and writes."
    from maskinterp.bench import BENCH_METHODS
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc-per-node', '2', '-m', 'maskinterp.bench',
           'bench', *SMALL, '--methods', 'all', '--n-train', '128', '--n-test', '48', '--n-causal', '8',
           '--tracks', 'spurious', '--pretrained', 'scratch', '--out', str(tmp_path)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env={**os.environ, 'OMP_NUM_THREADS': '1'})
    assert r.returncode == 0, r.stderr[-4000:]
    assert r.stdout.count('maskinterp bench:') == 1 and '2 processes' in r.stdout      # rank 0 alone speaks
    table = _results(tmp_path).loc['spurious']
    assert list(table.index) == list(BENCH_METHODS)
    assert table[['accuracy', 'worst_group_acc', 'epg', 'insertion', 'deletion']].apply(lambda c: c.between(0, 1)).all().all()
    assert len(pd.read_csv(tmp_path/'bench_runs.csv')) == len(BENCH_METHODS)        # written once
