"The `maskinterp` console script, as a user runs it."
import subprocess, sys
from pathlib import Path
import pandas as pd

BIN = Path(sys.executable).parent

def _run(*args, **kw):
    return subprocess.run([str(BIN/'maskinterp'), *args], capture_output=True, text=True, timeout=600, **kw)

def test_help_lists_every_setting():
    r = _run('bench', '--help')
    assert r.returncode == 0
    for flag in ('--task', '--rho', '--n-train', '--epochs', '--arch', '--methods', '--out', '--settings'):
        assert flag in r.stdout

def test_bad_flags_give_clear_errors(tmp_path):
    r = _run('bench', '--rho', '1.5', '--out', str(tmp_path))
    assert r.returncode == 2 and 'rho must lie in [0, 1]' in r.stderr
    r = _run('bench', '--methods', 'nosuchmethod', '--out', str(tmp_path))
    assert r.returncode == 2 and 'unknown method' in r.stderr
    r = _run('bench', '--epochs', 'many')
    assert r.returncode == 2 and 'invalid int value' in r.stderr
    assert not any(tmp_path.iterdir())       # nothing was written

def test_tiny_bench_writes_table_and_figures(tmp_path):
    r = _run('bench', '--size', '32', '--n-train', '192', '--n-valid', '64', '--n-test', '96', '--epochs', '1',
             '--bs', '32', '--out', str(tmp_path), '--no-progress')
    assert r.returncode == 0, r.stderr
    assert 'erm+gradcam' in r.stdout and 'worst_group_acc' in r.stdout
    table = pd.read_csv(tmp_path/'bench_results.csv', index_col=0)
    assert {'accuracy', 'worst_group_acc', 'epg'} <= set(table.columns)
    assert table[['accuracy', 'worst_group_acc', 'epg']].apply(lambda c: c.between(0, 1)).all().all()
    assert (tmp_path/'bench_overlays.png').stat().st_size > 1000

def test_bench_on_a_real_format_dataset(tmp_path):
    "`--data NAME --path PATH`: the papers' data sets run through the same command (a Waterbirds fixture here)."
    from maskinterp.datasets import make_waterbirds_fixture
    wb = make_waterbirds_fixture(tmp_path/'wb', n=24)
    r = _run('bench', '--data', 'waterbirds', '--path', str(tmp_path/'nowhere'), '--out', str(tmp_path/'out'))
    assert r.returncode == 2 and 'metadata.csv' in r.stderr       # names the missing file, before any training
    r = _run('bench', '--data', 'waterbirds', '--path', str(wb), '--size', '32', '--n-train', '0', '--n-valid', '0',
             '--n-test', '0', '--epochs', '1', '--bs', '4', '--out', str(tmp_path/'out'), '--no-progress')
    assert r.returncode == 0, r.stderr
    table = pd.read_csv(tmp_path/'out'/'bench_results.csv', index_col=0)
    assert table.loc['erm+gradcam', ['accuracy', 'epg']].between(0, 1).all()

def test_every_method_runs_in_the_bench(tmp_path):
    "`--methods all`: each registered method trains, explains the test split and gets a row of valid scores."
    from maskinterp.bench import BENCH_METHODS
    r = _run('bench', '--methods', 'all', '--size', '32', '--n-train', '128', '--n-valid', '32', '--n-test', '48',
             '--epochs', '1', '--bs', '32', '--out', str(tmp_path), '--no-progress')
    assert r.returncode == 0, r.stderr
    table = pd.read_csv(tmp_path/'bench_results.csv', index_col=0)
    assert list(table.index) == list(BENCH_METHODS)
    assert {'comet', 'p2p', 'aim'} <= set(table.index)
    assert table[['accuracy', 'worst_group_acc', 'epg']].apply(lambda c: c.between(0, 1)).all().all()
