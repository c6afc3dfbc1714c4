"""Notebooks speak to a reader of the package: this check fails on stored outputs and prose that would not.

    python tools/check_notebooks.py [nbs]

It reports, per notebook and cell:
- widget residue (a stored widget view with no saved state renders as nothing) and HTML progress tables;
- local paths in outputs (a reader's machine has none of them);
- words about how the project was made rather than about the package (issues, sessions, our trials,
  files outside the repository).
Exit status 1 when anything is found.
"""

import json
import re
import sys
from pathlib import Path

LOCAL_PATH = re.compile(r'(?<![\w.])(/work/|/root/|/home/\w+|/tmp/\w|/private/var/|C:\\\\Users)')
PROCESS_WORDS = re.compile(
    r'\b(our trials?|the trial\'s|this session|the (training|interpretation|editor) issue|issue #?\d+)\b|\.\./shared/',
    re.I,
)


def problems(path: Path) -> list[str]:
    nb, found = json.loads(path.read_text()), []
    if 'widgets' in nb.get('metadata', {}):
        found.append("saved widget state in the notebook's metadata (progress bars of a run)")
    for i, cell in enumerate(nb['cells']):
        src = ''.join(cell['source'])
        if cell['cell_type'] == 'markdown' or not src.lstrip().startswith('#| export'):
            text = (
                src
                if cell['cell_type'] == 'markdown'
                else '\n'.join(l for l in src.splitlines() if l.lstrip().startswith('#'))
            )
            if m := PROCESS_WORDS.search(text):
                found.append(f"cell {i}: speaks of how the project was made: {m.group(0)!r}")
        for out in cell.get('outputs', []):
            data = out.get('data', {})
            if 'application/vnd.jupyter.widget-view+json' in data:
                found.append(f"cell {i}: a stored widget view (residue of a progress bar?)")
            html = ''.join(data.get('text/html', ''))
            if '<progress' in html:
                found.append(f"cell {i}: an HTML progress table")
            text = (
                ''.join(out.get('text', ''))
                + ''.join(data.get('text/plain', ''))
                + html
                + ''.join(out.get('traceback', []))
            )
            if m := LOCAL_PATH.search(text):
                found.append(f"cell {i}: a local path in an output: {text[max(0, m.start() - 30) : m.end() + 30]!r}")
    return found


def main(folder='nbs'):
    bad = 0
    for path in sorted(Path(folder).rglob('*.ipynb')):
        if '.ipynb_checkpoints' in path.parts:
            continue
        for p in problems(path):
            print(f"{path}: {p}")
            bad += 1
    print(f"notebook outputs and prose: {bad} problem(s)")
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
