"""The library reads like one: small export cells and modules, a thin command line, every method in its class.

    python tools/check_library.py            # exit 1 when a limit is passed; always prints the largest of each
    python tools/check_library.py --self-test  # first shows that each rule fails on made-up code that breaks it

Rules:
- no `#| export` cell of a notebook over 80 lines (the `#| export` line counted);
- no module of elm_nb/ over 500 lines, and cli.py (the parser and dispatch) at most 300;
- no method attached to a class by assignment (`Cls.name = f`, `Cls.a, Cls.b = f, g`): methods live in the class
  body, where nbdev's index and the API docs find them;
- no absolute `from elm_nb...` import at the top of a module of elm_nb/: nbdev_export makes them relative, except
  those written over several lines (imports inside functions it leaves as they are, so they are not checked).
"""

import ast
import json
import sys
import tempfile
from pathlib import Path

MAX_CELL, MAX_MODULE, MAX_CLI = 80, 500, 300
GENERATED = {'_modidx.py'}


def export_cells(nbs: Path) -> list[tuple[int, str]]:
    "(lines, 'notebook cell N') of every export cell under `nbs`."
    out = []
    for path in sorted(nbs.rglob('*.ipynb')):
        if '.ipynb_checkpoints' in path.parts:
            continue
        for i, cell in enumerate(json.loads(path.read_text())['cells']):
            src = ''.join(cell['source'])
            if cell['cell_type'] == 'code' and src.lstrip().startswith(('#| export', '#|export')):
                out.append((len(src.rstrip('\n').splitlines()), f'{path} cell {i}'))
    return out


def attached_methods(tree: ast.Module) -> list[str]:
    "Module-level assignments that attach something to a class defined in the module."
    classes = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    found = []
    for node in tree.body:
        if not isinstance(node, (ast.Assign, ast.AnnAssign)):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for t in targets:
            for el in t.elts if isinstance(t, ast.Tuple) else [t]:
                if isinstance(el, ast.Attribute) and isinstance(el.value, ast.Name) and el.value.id in classes:
                    found.append(f'line {node.lineno}: {el.value.id}.{el.attr} assigned outside the class')
    return found


def problems(nbs: Path, lib: Path, show: bool = True) -> list[str]:
    found = []
    cells = sorted(export_cells(nbs), reverse=True)
    found += [f'{where}: export cell of {n} lines (at most {MAX_CELL})' for n, where in cells if n > MAX_CELL]
    modules = []
    for path in sorted(lib.rglob('*.py')):
        if path.name in GENERATED:
            continue
        text = path.read_text()
        n, limit = len(text.splitlines()), MAX_CLI if path.name == 'cli.py' and path.parent == lib else MAX_MODULE
        modules.append((n, str(path)))
        if n > limit:
            found.append(f'{path}: {n} lines (at most {limit})')
        tree = ast.parse(text)
        found += [f'{path} {p}' for p in attached_methods(tree)]
        found += [
            f'{path} line {node.lineno}: absolute import of {node.module} (write it on one line: nbdev makes it '
            'relative then)'
            for node in tree.body
            if isinstance(node, ast.ImportFrom) and not node.level and (node.module or '').split('.')[0] == lib.name
        ]
    if show:
        if cells:
            print('largest export cells: ' + ', '.join(f'{w} ({n} lines)' for n, w in cells[:3]))
        print('largest modules: ' + ', '.join(f'{w} ({n} lines)' for n, w in sorted(modules, reverse=True)[:3]))
    return found


def self_test():
    "Each rule must be able to fail."
    with tempfile.TemporaryDirectory() as tmp:
        nbs, lib = Path(tmp) / 'nbs', Path(tmp) / 'pkg'
        nbs.mkdir()
        lib.mkdir()
        big = '#| export\n' + '\n'.join(f'x{i} = {i}' for i in range(85))
        cell = {'cell_type': 'code', 'source': [big], 'metadata': {}, 'outputs': []}
        (nbs / 'a.ipynb').write_text(json.dumps({'cells': [cell], 'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5}))
        (lib / 'cli.py').write_text('\n'.join(f'y{i} = {i}' for i in range(301)))
        (lib / 'model.py').write_text(
            'class A:\n    pass\n\ndef _f(self):\n    return 1\n\nA.f, A.g = _f, _f\nfrom pkg.files import x\n'
        )
        found = problems(nbs, lib, show=False)
        kinds = ['export cell of 86 lines', 'cli.py: 301 lines', 'A.f assigned', 'A.g assigned', 'absolute import']
        missed = [k for k in kinds if not any(k in f for f in found)]
        assert not missed and len(found) == len(kinds), (missed, found)
    print(f'self-test: made-up code breaking each rule fails ({len(kinds)} findings)')


def main(nbs='nbs', lib='elm_nb'):
    found = problems(Path(nbs), Path(lib))
    print('\n'.join(found))
    print(f'library shape: {len(found)} problem(s)')
    return 1 if found else 0


if __name__ == '__main__':
    args = sys.argv[1:]
    if '--self-test' in args:
        self_test()
        args.remove('--self-test')
    sys.exit(main(*args))
