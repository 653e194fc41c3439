"The maintainers' tools: the log of which commit produced each notebook's committed outputs."
import json, shutil, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'tools'))
import outputs_log as ol

def _edit(nb_path, kind, text):
    nb = json.loads(nb_path.read_text())
    c = next(c for c in nb['cells'] if c['cell_type'] == kind)
    c['source'] = [text]
    nb_path.write_text(json.dumps(nb))

def test_digest_follows_code_only(tmp_path):
    nb = tmp_path/'00_core.ipynb'; shutil.copy(ROOT/'nbs'/'00_core.ipynb', nb)
    d = ol.code_digest(nb)
    _edit(nb, 'markdown', 'other prose')
    assert ol.code_digest(nb) == d                      # prose does not change what the outputs depend on
    _edit(nb, 'code', 'x = 1')
    assert ol.code_digest(nb) != d

def test_stamp_and_status(tmp_path):
    nbs, log = tmp_path/'nbs', tmp_path/'log.csv'; nbs.mkdir()
    for n in ('00_core.ipynb', '02_metrics.ipynb'): shutil.copy(ROOT/'nbs'/n, nbs/n)
    row = ol.stamp(nbs/'00_core.ipynb', log=log)
    assert row['cells'] == 'all' and row['code_digest'] == ol.code_digest(nbs/'00_core.ipynb')
    ol.stamp(nbs/'02_metrics.ipynb', ['c047w'], log=log)
    st = {r['notebook']: r for r in ol.status(nbs, log)}
    assert st['00_core.ipynb']['state'] == 'current' and st['02_metrics.ipynb']['cells'] == 'c047w'
    _edit(nbs/'00_core.ipynb', 'code', 'x = 1')
    shutil.copy(ROOT/'nbs'/'01_data.ipynb', nbs/'01_data.ipynb')
    st = {r['notebook']: r['state'] for r in ol.status(nbs, log)}
    assert st == {'00_core.ipynb': 'code changed since', '01_data.ipynb': 'not logged', '02_metrics.ipynb': 'current'}
    with pytest.raises(FileNotFoundError, match='no notebook'): ol.stamp(nbs/'missing.ipynb', log=log)
    bad = tmp_path/'bad.csv'; bad.write_text('a,b\n1,2\n')
    with pytest.raises(ValueError, match='expected'): ol.read_log(bad)

def test_commit_says_when_the_tree_differs(tmp_path):
    def git(*a): subprocess.run(['git', *a], cwd=tmp_path, check=True, capture_output=True)
    git('init', '-q'); (tmp_path/'f.txt').write_text('a')
    git('add', 'f.txt'); git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'one')
    c = ol.current_commit(tmp_path)
    assert len(c) == 40 and all(ch in '0123456789abcdef' for ch in c)
    (tmp_path/'f.txt').write_text('b')
    assert ol.current_commit(tmp_path) == c + '+changes'

def test_log_names_notebooks_that_exist():
    for r in ol.read_log():
        assert (ROOT/'nbs'/r['notebook']).exists(), r
        assert r['commit'].split('+')[0].isalnum() and r['code_digest']


import readme

def test_readme_render_rules():
    cell = lambda kind, src, outputs=(): dict(cell_type=kind, source=src, outputs=list(outputs), metadata={})
    out = lambda data, kind='execute_result': dict(output_type=kind, data=data, metadata={})
    nb = dict(cells=[
        cell('markdown', '# Title\n\n![a picture](../figures/x.png) and [a link](../nbs/y.ipynb)'),
        cell('code', '#| hide\nimport secret'),
        cell('code', '#| echo: false\nprint(1)'),
        cell('code', '#| export\nx = 1\nx', [out({'text/plain': '1'})]),
        cell('code', 'fit()', [out({'text/html': '<style>progress {}</style>', 'text/plain': '<IPython.core.display.HTML object>'}, 'display_data'),
                               out({'text/html': '<table><tr><td>0</td></tr></table>', 'text/plain': '...'}, 'display_data'),
                               dict(output_type='stream', name='stderr', text='a warning'),
                               dict(output_type='stream', name='stdout', text='printed\n'),
                               out({'image/png': 'AAAA', 'text/plain': '<Figure size 640x480 with 1 Axes>'}, 'display_data')]),
    ])
    text = readme.render(nb)
    assert text == ("# Title\n\n![a picture](figures/x.png) and [a link](nbs/y.ipynb)\n\n"
                    "```python\nx = 1\nx\n```\n\n```\n1\n```\n\n```python\nfit()\n```\n\n"
                    "<table><tr><td>0</td></tr></table>\n\n```\nprinted\n```\n")

def test_readme_is_index_rendered():
    "README.md is nbs/index.ipynb rendered: `python tools/readme.py` rewrites it after the notebook changes."
    r = subprocess.run([sys.executable, str(ROOT/'tools'/'readme.py'), '--check'], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr

def test_readme_check_fails_on_a_stale_readme(tmp_path):
    stale = tmp_path/'README.md'; stale.write_text('# an old README\n')
    assert readme.main(['--check', '--out', str(stale)]) == 1
    assert readme.main(['--out', str(stale)]) == 0 and readme.main(['--check', '--out', str(stale)]) == 0
