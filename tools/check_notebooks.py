"""Notebooks speak to a reader of the package: this check fails on stored outputs and prose that would not.

    python tools/check_notebooks.py [nbs]       # exit 1 when anything is found
    python tools/check_notebooks.py --self-test  # first shows it fails on a made-up notebook that narrates its making

It reports, per notebook and cell:
- widget residue (a stored widget view with no saved state renders as nothing) and HTML progress tables;
- local paths in outputs (a reader's machine has none of them);
- narration of how the project was made rather than what the package does, in markdown and in code comments:
  issues, sessions, variants tried and not kept, earlier recipes, what a setting was before a fix. A study of
  alternatives belongs in results/, linked from where its conclusion is used.
"""

import json
import re
import sys
import tempfile
from pathlib import Path

LOCAL_PATH = re.compile(r'(?<![\w.])(/work/|/root/|/home/\w+|/tmp/\w|/private/var/|C:\\\\Users)')
NARRATION = [
    r'\bour trials?\b',
    r"\bthe trial's\b",
    r'\b(this|last|the previous|an earlier|the next) (session|stop|sprint|round of work|refactor)\b',
    r'\bthe (training|interpretation|editor|speed) issue\b',
    r'\bissues? #?\d+\b',
    r'\bstop \d+\b',
    r'\b(we|I) (tried|chose|kept|dropped|measured|found|decided)\b',
    r'\btried\b',
    r'\bnot kept\b',
    r'\bvariants? (tried|considered|we)\b',
    r'\b(earlier|older|previous|old) (recipes?|versions? of (the|this) (code|library|recipe))\b',
    r'\bbefore (the|this) (fix|change|refactor)\b',
    r'\b(was|were) (later )?(replaced|dropped|abandoned)\b',
    r'\.\./shared/',
]
PROCESS_WORDS = re.compile('|'.join(NARRATION), re.I)


def prose(cell) -> str:
    "The words of a cell a reader reads as prose: all of a markdown cell, the comments of a code cell."
    src = ''.join(cell['source'])
    if cell['cell_type'] == 'markdown':
        return src
    return '\n'.join(
        line.split('#', 1)[1] for line in src.splitlines() if '#' in line and not line.lstrip().startswith('#|')
    )


def problems(path: Path) -> list[str]:
    nb, found = json.loads(path.read_text()), []
    if 'widgets' in nb.get('metadata', {}):
        found.append("saved widget state in the notebook's metadata (progress bars of a run)")
    for i, cell in enumerate(nb['cells']):
        if m := PROCESS_WORDS.search(prose(cell)):
            found.append(f"cell {i}: speaks of how the project was made: {m.group(0)!r}")
        for out in cell.get('outputs', []):
            data = out.get('data', {})
            if 'application/vnd.jupyter.widget-view+json' in data:
                found.append(f"cell {i}: a stored widget view (residue of a progress bar?)")
            html = ''.join(data.get('text/html', ''))
            if '<progress' in html:
                found.append(f"cell {i}: an HTML progress table")
            text = ''.join(out.get('text', '')) + ''.join(data.get('text/plain', '')) + html
            text += ''.join(out.get('traceback', []))
            if m := LOCAL_PATH.search(text):
                found.append(f"cell {i}: a local path in an output: {text[max(0, m.start() - 30) : m.end() + 30]!r}")
    return found


def self_test():
    "The check must be able to fail: a made-up notebook that narrates its making, and one that only teaches."

    def notebook(*cells):
        return {
            'cells': [
                {'cell_type': kind, 'source': [src], 'metadata': {}, **({'outputs': []} if kind == 'code' else {})}
                for kind, src in cells
            ],
            'metadata': {},
            'nbformat': 4,
            'nbformat_minor': 5,
        }

    narrating = notebook(
        ('markdown', '# Explanations\n\nWe tried three heads on the validation split; two were not kept.'),
        ('code', '#| export\ndef head(x):\n    return x  # the one-genre variant tried in stop 34, replaced'),
        ('markdown', 'An earlier recipe used 300 steps; the previous session raised it.'),
    )
    teaching = notebook(
        (
            'markdown',
            '# Explanations\n\nThe head names the genre the vector shows best (chosen on the validation split).',
        ),
        ('code', '#| export\ndef head(x):\n    return x  # the likeliest genre'),
    )
    with tempfile.TemporaryDirectory() as tmp:
        bad, good = Path(tmp) / 'bad.ipynb', Path(tmp) / 'good.ipynb'
        bad.write_text(json.dumps(narrating))
        good.write_text(json.dumps(teaching))
        found = problems(bad)
        assert len(found) == 3, found
        assert not problems(good), problems(good)
    print(f"self-test: the made-up narrating notebook fails ({len(found)} cells), a teaching one passes")


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
    args = sys.argv[1:]
    if '--self-test' in args:
        self_test()
        args.remove('--self-test')
    sys.exit(main(*args))
