"Every notebook under nbs/ is a test: run by nbdev's own runner, one pytest item per notebook, honouring `#| slow`."
import json, re, sys
from pathlib import Path
import pytest
from nbdev.config import get_config
from nbdev.test import test_nb as run_nb   # aliased: pytest would collect the name `test_nb`

ROOT = Path(__file__).resolve().parents[1]
NBS = sorted(p for p in (ROOT/'nbs').rglob('*.ipynb')
             if not any(part.startswith(('_', '.')) for part in p.relative_to(ROOT/'nbs').parts))

def _skip_flags():
    f = get_config(path=ROOT).tst_flags
    return f.split() if isinstance(f, str) else list(f)

@pytest.mark.parametrize('nb', NBS, ids=lambda p: p.name)
def test_notebook(nb):
    ok, secs = run_nb(nb, skip_flags=_skip_flags(), basepath=ROOT, do_print=False)
    assert ok, f"{nb.name} failed (run `nbdev-test {nb.relative_to(ROOT)} --do-print` to see the failing cell)"

def test_notebooks_found():
    assert len(NBS) >= 4 and (ROOT/'nbs'/'index.ipynb') in NBS

LOCAL = re.compile(r"(?<![\w.~-])/(?:root|home|Users|work|tmp|private|var/folders|opt/conda)/|site-packages/")

def _output_texts(nb):
    for cell in json.loads(nb.read_text())['cells']:
        for out in cell.get('outputs', []):
            yield ''.join(out.get('text', ''))
            for k, v in out.get('data', {}).items():
                if k.startswith('text/'): yield ''.join(v)

@pytest.mark.parametrize('nb', NBS, ids=lambda p: p.name)
def test_outputs_name_no_local_paths(nb):
    "Committed outputs show no path of the machine that ran them (`tools/clean_outputs.py` makes them relative)."
    hits = [m.group(0) for t in _output_texts(nb) for m in [LOCAL.search(t)] if m]
    assert not hits, f"{nb.name}: outputs name local paths ({hits[:3]}); run `python tools/clean_outputs.py {nb.relative_to(ROOT)}`"

def test_clean_outputs_makes_paths_relative():
    sys.path.insert(0, str(ROOT/'tools'))
    try: from clean_outputs import clean_text
    finally: sys.path.remove(str(ROOT/'tools'))
    root, home = Path('/srv/ck/maskinterp'), Path('/home/u')
    s = clean_text('/home/u/.venv/lib/python3.11/site-packages/torch/jit/_script.py:1: FutureWarning\n'
                   '/srv/ck/maskinterp/maskinterp/metrics.py:134: UserWarning: x\n/home/u/data/a.pt\n', root, home)
    assert s == 'torch/jit/_script.py:1: FutureWarning\nmaskinterp/metrics.py:134: UserWarning: x\n~/data/a.pt\n'
    assert not LOCAL.search(s)
    assert clean_text('/tmp/ipykernel_18979/3449464989.py:5: UserWarning: y', root, home) == '<cell>:5: UserWarning: y'
