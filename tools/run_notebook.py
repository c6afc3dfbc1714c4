"""Execute a notebook in place so its stored outputs are fresh, skipping cells flagged with given directives.

    python tools/run_notebook.py nbs/05_train.ipynb            # skips `#| slow` and `#| cuda` cells
    python tools/run_notebook.py nbs/05_train.ipynb cuda       # runs the slow cells too

Skipped cells keep the outputs they had, so a fast re-run does not wipe what a slow run stored.
Run `nbdev_clean` afterwards.
"""
import re, sys
from pathlib import Path
import nbformat
from nbclient import NotebookClient

def main(path:str, skip:list[str]):
    nb = nbformat.read(path, as_version=4)
    kept = {}
    for i, c in enumerate(nb.cells):
        if c.cell_type == 'code' and any(re.search(rf'^#\|\s*{f}\s*$', c.source, re.M) for f in skip):
            kept[i] = (c.source, c.outputs, c.execution_count); c.source = 'pass'
    NotebookClient(nb, timeout=7200, kernel_name='python3', resources={'metadata': {'path': str(Path(path).parent)}}).execute()
    for i, (source, outputs, count) in kept.items():
        nb.cells[i].source, nb.cells[i].outputs, nb.cells[i].execution_count = source, outputs, count
    nbformat.write(nb, path)

if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2].split(',') if len(sys.argv) > 2 else ['cuda', 'slow'])
