"""Which commit produced each notebook's committed outputs, and whether the notebook's code changed since.

`make evidence` appends a row to `nbs/outputs_log.csv` after it re-runs a notebook (all of it, or the named cells):
the notebook, the cells, the commit checked out then (with `+changes` when the working tree differed from it, as it
does while a change is being made: the outputs then land with the next commit), the time (UTC) and a digest of the
notebook's code cells. `status` compares that digest with the notebook as it is now.

    python tools/outputs_log.py stamp nbs/05_marc.ipynb [CELL ...]    # after re-running it (or the named cells)
    python tools/outputs_log.py stamp nbs/05_marc.ipynb non-slow      # after tools/run_cells.py without cell ids
    python tools/outputs_log.py status                                # every notebook: last run, commit, code changed?
"""
import csv, datetime, hashlib, json, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT/'nbs'/'outputs_log.csv'
FIELDS = ('notebook', 'cells', 'commit', 'utc', 'code_digest')


def code_digest(nb_path) -> str:
    "sha256 (first 16 hex digits) of the notebook's code cells, their ids and sources in order: what its outputs depend on."
    nb = json.loads(Path(nb_path).read_text())
    h = hashlib.sha256()
    for c in nb['cells']:
        if c['cell_type'] == 'code': h.update(json.dumps([c.get('id'), ''.join(c['source'])]).encode())
    return h.hexdigest()[:16]


def current_commit(root=ROOT) -> str:
    "HEAD's hash, with '+changes' when tracked files differ from it."
    def git(*a): return subprocess.run(['git', *a], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    try: head, dirty = git('rev-parse', 'HEAD'), git('status', '--porcelain', '--untracked-files=no')
    except (subprocess.CalledProcessError, FileNotFoundError): return 'unknown (not a git checkout)'
    return head + ('+changes' if dirty else '')


def read_log(log=LOG) -> list[dict]:
    if not Path(log).exists(): return []
    with open(log, newline='') as f: rows = list(csv.DictReader(f))
    if rows and tuple(rows[0]) != FIELDS: raise ValueError(f"{log} has columns {tuple(rows[0])}, expected {FIELDS}")
    return rows


def stamp(nb_path, cells=(), log=LOG, root=ROOT) -> dict:
    "Append the row for a re-run of `nb_path` (all cells, or `cells`) to `log`; returns the row."
    nb_path = Path(nb_path)
    if not nb_path.exists(): raise FileNotFoundError(f"no notebook {nb_path}")
    row = dict(notebook=nb_path.name, cells=' '.join(cells) or 'all', commit=current_commit(root),
               utc=datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
               code_digest=code_digest(nb_path))
    new = not Path(log).exists()
    with open(log, 'a', newline='') as f:
        w = csv.DictWriter(f, FIELDS)
        if new: w.writeheader()
        w.writerow(row)
    return row


def status(nbs=ROOT/'nbs', log=LOG) -> list[dict]:
    "For every notebook of `nbs`: its last logged run (of all cells or some) and whether its code changed since."
    last = {}
    for r in read_log(log): last[r['notebook']] = r
    out = []
    for nb in sorted(Path(nbs).glob('*.ipynb')):
        r = last.get(nb.name)
        state = 'not logged' if r is None else ('current' if r['code_digest'] == code_digest(nb) else 'code changed since')
        out.append(dict(notebook=nb.name, cells=r['cells'] if r else '', commit=r['commit'] if r else '',
                        utc=r['utc'] if r else '', state=state))
    return out


def main(argv):
    if argv[:1] == ['stamp'] and len(argv) >= 2: print(stamp(argv[1], argv[2:]))
    elif argv == ['status']:
        for r in status(): print(f"{r['notebook']:24s} {r['state']:20s} {r['utc']:22s} {r['commit'][:19]:19s} {r['cells']}")
    else: sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv[1:])
