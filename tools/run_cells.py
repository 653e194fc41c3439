"""Re-run part of a notebook's evidence and keep the rest of its outputs.

    python tools/run_cells.py nbs/10_bench.ipynb e006 e008

executes, in one kernel and in order, every cell that is not `#| slow` and the slow cells named by id; the other
slow cells keep their committed outputs untouched. Use it when a change touches a few evidence cells whose inputs
(the records the skipped cells wrote, under `figures/`) are still current; `make evidence NB=...` re-runs everything.
"""
import argparse, sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def is_slow(cell) -> bool:
    return cell.cell_type == 'code' and any(l.strip().replace(' ', '') == '#|slow' for l in cell.source.splitlines())


def skipped(cell) -> bool:
    "Cells nbdev's test run skips too: `#| eval: false`."
    return cell.cell_type == 'code' and any(l.strip().replace(' ', '') == '#|eval:false' for l in cell.source.splitlines())


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('notebook', type=Path)
    p.add_argument('cells', nargs='*', help='ids of the slow cells to run (none: only the cells that are not slow, the tutorial outputs)')
    a = p.parse_args(argv)
    nb = nbformat.read(a.notebook, as_version=4)
    ids = {c.get('id') for c in nb.cells}
    missing = [c for c in a.cells if c not in ids]
    if missing: sys.exit(f"no cell with id {', '.join(missing)} in {a.notebook}")
    not_slow = [c.id for c in nb.cells if c.get('id') in a.cells and not is_slow(c)]
    if not_slow: sys.exit(f"cells {', '.join(not_slow)} are not slow: they run anyway")
    client = NotebookClient(nb, timeout=-1, kernel_name='python3', resources={'metadata': {'path': str(a.notebook.parent)}})
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != 'code' or skipped(cell) or (is_slow(cell) and cell.id not in a.cells): continue
            print(f"[{i}] {cell.id}", flush=True)
            client.execute_cell(cell, i)
    nbformat.write(nb, a.notebook)


if __name__ == '__main__': main()
