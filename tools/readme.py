"""Write README.md from nbs/index.ipynb (nbdev_readme needs Quarto, which is not installable offline)."""

from pathlib import Path

import nbformat
from nbconvert import MarkdownExporter

root = Path(__file__).resolve().parent.parent
nb = nbformat.read(root / 'nbs' / 'index.ipynb', as_version=4)
from traitlets.config import Config

config = Config()
config.NbConvertBase.display_data_priority = [
    'image/png',
    'text/markdown',
    'text/plain',
]  # plain-text tables, no HTML styles
exporter = MarkdownExporter(config=config)
body, _ = exporter.from_notebook_node(nb)
lines, inside = [], False
for line in body.split('\n'):
    if line.startswith('```'):
        if line == '```' and not inside:
            line = '```python'  # code cells carry no language once cleaned
        inside = not inside
    lines.append(line)
(root / 'README.md').write_text('\n'.join(lines).rstrip() + '\n')
