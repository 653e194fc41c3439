"Every notebook under nbs/ is a test: run by nbdev's own runner, one pytest item per notebook, honouring `#| slow`."
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
