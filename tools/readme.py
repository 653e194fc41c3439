"""Write README.md from nbs/index.ipynb, the notebook that is the project's home page.

    python tools/readme.py           # write README.md
    python tools/readme.py --check   # exit 1 (and say so) when README.md is not index.ipynb rendered

nbdev's `nbdev-readme` does the same through Quarto, which cannot be installed everywhere; this renders
GitHub markdown directly, so the README can be rebuilt and checked on any machine:

- markdown cells as they are, with links and images written for the notebook's folder (`../figures/x.png`) made
  relative to the project root (`figures/x.png`), where README.md sits;
- code cells as ```python blocks without their `#|` directives; cells marked `#| hide`, `#| echo: false` or
  `#| include: false` are left out;
- their outputs after them: text (printed, or a value's plain text) in a plain block, fastai's progress tables and
  other HTML tables as HTML (which GitHub shows as tables); style sheets, widgets, images and standard error are
  left out.
"""
import argparse, json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HIDDEN = {'hide', 'echo:false', 'include:false'}


def _text(v) -> str: return ''.join(v) if isinstance(v, list) else v


def directives(src: str) -> set:
    "The cell's `#|` directives, spaces removed: {'hide', 'echo:false', ...}."
    return {l[2:].strip().replace(' ', '') for l in src.splitlines() if l.startswith('#|')}


def render_output(o: dict) -> str|None:
    "One output as GitHub markdown, or None when the README leaves it out."
    if o['output_type'] == 'stream':
        return f"```\n{_text(o['text']).rstrip()}\n```" if o.get('name') == 'stdout' and _text(o['text']).strip() else None
    if o['output_type'] not in ('execute_result', 'display_data'): return None
    d = {k: _text(v) for k, v in o.get('data', {}).items()}
    html, plain = d.get('text/html', ''), d.get('text/plain', '')
    if html.lstrip().startswith('<style') or not (html or plain): return None
    if '<table' in html: return html.strip()
    if re.fullmatch(r'<[A-Za-z_][\w.]*( [^\n]*)?>', plain.strip()): return None    # a bare repr: <Figure ...>, <IPython... object>
    return f"```\n{plain.rstrip()}\n```" if plain else None


def render(nb: dict) -> str:
    "GitHub markdown of notebook `nb` (a dict, as json.load reads a .ipynb)."
    parts = []
    for c in nb['cells']:
        src = _text(c['source'])
        if c['cell_type'] == 'markdown':
            parts.append(re.sub(r'\]\(\.\./', '](', src.strip()))
        elif c['cell_type'] == 'code':
            if directives(src) & HIDDEN: continue
            code = '\n'.join(l for l in src.splitlines() if not l.startswith('#|')).strip()
            if code: parts.append(f"```python\n{code}\n```")
            parts += [r for r in map(render_output, c.get('outputs', [])) if r]
    return '\n\n'.join(parts) + '\n'


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--check', action='store_true', help='do not write: exit 1 when README.md differs')
    p.add_argument('--nb', type=Path, default=ROOT/'nbs'/'index.ipynb')
    p.add_argument('--out', type=Path, default=ROOT/'README.md')
    a = p.parse_args(argv)
    text = render(json.loads(a.nb.read_text()))
    if a.check:
        if not a.out.exists() or a.out.read_text() != text:
            print(f"{a.out.name} is not {a.nb.name} rendered: run python tools/readme.py and commit both", file=sys.stderr)
            return 1
        return 0
    a.out.write_text(text)
    print(f"wrote {a.out} from {a.nb}")
    return 0


if __name__ == '__main__':
    sys.exit(main())
