"The notebooks are the source of truth: cleaning them and exporting the library must change nothing."
import filecmp, shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

def _tree(d: Path):
    return {p.relative_to(d): p for p in d.rglob('*') if p.is_file() and '__pycache__' not in p.parts
            and '.ipynb_checkpoints' not in p.parts}

def test_clean_and_export_change_nothing(tmp_path):
    for name in ('nbs', 'maskinterp'): shutil.copytree(ROOT/name, tmp_path/name, ignore=shutil.ignore_patterns('__pycache__'))
    for name in ('pyproject.toml', 'README.md'): shutil.copy(ROOT/name, tmp_path/name)
    for cmd in ('nbdev-clean', 'nbdev-export'):
        r = subprocess.run([str(BIN/cmd)], cwd=tmp_path, capture_output=True, text=True)
        assert r.returncode == 0, f"{cmd} failed:\n{r.stdout}\n{r.stderr}"
    changed = []
    for name in ('nbs', 'maskinterp'):
        before, after = _tree(ROOT/name), _tree(tmp_path/name)
        changed += [f"{name}/{k}" for k in sorted(set(before) | set(after))
                    if k not in before or k not in after or not filecmp.cmp(before[k], after[k], shallow=False)]
    assert not changed, ("notebooks and library are out of sync; run `nbdev-clean && nbdev-export` and commit: "
                         + ", ".join(map(str, changed)))
