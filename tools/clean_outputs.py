"""Take local paths out of notebooks' committed outputs.

    python tools/clean_outputs.py [notebooks...]      (default: every notebook under nbs/)

Warnings printed while a notebook runs name the files they come from: the virtual environment's
`.../site-packages/torch/...` and this checkout's `.../maskinterp/metrics.py`. Those paths are the machine's,
not the project's, and must not be committed: each becomes relative (`torch/...`, `maskinterp/metrics.py`), and the
home folder becomes `~`. A warning that points at the notebook cell that called the library names the kernel's
temporary file of that cell (`/tmp/ipykernel_123/456.py:5`), which becomes `<cell>:5`. `make evidence` runs this after the notebook; `tests/test_notebooks.py` checks the result.
"""
import re, sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SITE = re.compile(r"(?:/[^\s\"'<>:|]+)*/(?:site|dist)-packages/")
CELL = re.compile(r"(?:/[^\s\"'<>:|]+)*/ipykernel_\d+/\d+\.py")


def clean_text(s: str, root: Path=ROOT, home: Path=Path.home()) -> str:
    "`s` with installed packages' paths relative to site-packages, notebook cells' files as `<cell>`, `root`'s relative to it, `home` as `~`."
    s = SITE.sub('', s)
    s = CELL.sub('<cell>', s)
    s = s.replace(f"{root}/", '').replace(str(root), '.')
    return s.replace(f"{home}/", '~/') if str(home) not in ('/', '') else s


def clean_outputs(nb) -> int:
    "Clean every text output of `nb` in place; returns how many outputs changed."
    n = 0
    for cell in nb.cells:
        for out in cell.get('outputs', []):
            if 'text' in out:
                new = clean_text(out['text']); n += new != out['text']; out['text'] = new
            for k, v in out.get('data', {}).items():
                if k.startswith('text/') and isinstance(v, str):
                    new = clean_text(v); n += new != v; out['data'][k] = new
    return n


def main(argv=None):
    paths = [Path(p) for p in (sys.argv[1:] if argv is None else argv)] or sorted((ROOT/'nbs').glob('*.ipynb'))
    for p in paths:
        nb = nbformat.read(p, as_version=4)
        if clean_outputs(nb):
            nbformat.write(nb, p)
            print(f"cleaned local paths in {p}")


if __name__ == '__main__': main()
