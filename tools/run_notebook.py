"""Execute a notebook in place so its stored outputs are fresh, skipping cells flagged with given directives.

    python tools/run_notebook.py nbs/06_train.ipynb            # skips `#| slow` and `#| cuda` cells
    python tools/run_notebook.py nbs/06_train.ipynb cuda       # runs the slow cells too

The closing `nbdev_export()` cell is skipped too. Skipped cells keep the outputs they had, so a fast re-run does not
wipe what a slow run stored. The outputs are then cleaned for a reader (`tools/check_notebooks.py` checks the
result): live progress bars (widget views that render as nothing without a kernel, their saved state, and Trainer's
HTML progress tables) are dropped, and local paths in warnings become `<site-packages>/...` or `<tmp>`. Run
`nbdev_clean` afterwards."""

import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

SITE = re.compile(r'(?:/[^\s:\'"]+)?/(?:site|dist)-packages/')
TMP = re.compile(r'/tmp/(?:tmp[\w-]+|ipykernel_\d+/\d+\.py)')


def clean_outputs(cell):
    "Outputs a reader should see: no progress-bar residue, no local paths."
    kept = []
    for out in cell.get('outputs', []):
        data = out.get('data', {})
        if 'application/vnd.jupyter.widget-view+json' in data:
            continue
        if '<progress' in ''.join(data.get('text/html', '')):
            continue
        if out.get('output_type') == 'stream':
            out['text'] = TMP.sub('<tmp>', SITE.sub('<site-packages>/', out['text']))
        for key in ('text/plain', 'text/html'):
            if key in data:
                data[key] = TMP.sub('<tmp>', SITE.sub('<site-packages>/', ''.join(data[key])))
        kept.append(out)
    cell['outputs'] = kept


def main(path: str, skip: list[str]):
    nb = nbformat.read(path, as_version=4)
    kept = {}
    for i, c in enumerate(nb.cells):
        flagged = any(re.search(rf'^#\|\s*{f}\s*$', c.source, re.M) for f in skip)
        # the closing `nbdev_export()` cell would export every notebook of the project, not just this one
        if c.cell_type == 'code' and (flagged or c.source.strip().startswith('nbdev_export(')):
            kept[i] = (c.source, c.outputs, c.execution_count)
            c.source = 'pass'
    NotebookClient(
        nb, timeout=7200, kernel_name='python3', resources={'metadata': {'path': str(Path(path).parent)}}
    ).execute()
    for i, (source, outputs, count) in kept.items():
        nb.cells[i].source, nb.cells[i].outputs, nb.cells[i].execution_count = source, outputs, count
    for c in nb.cells:
        if c.cell_type == 'code':
            clean_outputs(c)
    nb.metadata.pop('widgets', None)  # the state of the progress-bar widgets dropped above
    nbformat.write(nb, path)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2].split(',') if len(sys.argv) > 2 else ['cuda', 'slow'])
