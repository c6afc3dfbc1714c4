"""The library's import graph, read from its source (ast): every module imports only rooms above it.

    python tools/check_layers.py            # prints the arrows, exits 1 on any arrow back up
    python tools/check_layers.py --self-test   # also shows that it fails on a made-up package that breaks the rules

The rooms, in order (elm_nb's ARCHITECTURE): the core knows no domain, recipes use the core, and the command line,
the one place that names recipes, sits on top. A module may import only rooms listed before it; so a core module
never imports a recipe, nothing imports the command line, and the graph has no circle. Imports inside functions
count too (a lazy import is still an arrow), and every module of the package must have a place in the order.
"""

import argparse
import ast
import sys
import tempfile
from pathlib import Path

CORE = [
    'files',
    'numeric',
    'encoders',
    'vector_files',
    'embeddings',
    'examples',
    'data',
    'domain',
    'adapter',
    'base_lm',
    'saving',
    'card',
    'model',
    'checkpoint',
    'runs',
    'train',
    'metrics',
    'concepts',
    'interpret',
    'catalogue',
    'plots',
    'calibration',
    'confidence',
    'confidence_report',
    'evaluation',
    'report',
    'evaluate',
    'editor_view',
    'editor',
    'commands',
]
RECIPES = [
    'recipes.collaborative',
    'recipes.movielens_data',
    'recipes.movielens',
    'recipes.movielens_explain',
    'recipes.movielens_domain',
    'recipes.movielens_metrics',
    'recipes.movielens_evaluation',
    'recipes.film_articles',
    'recipes.movielens_demo',
    'recipes.movielens_commands',
]
APP = ['cli', '__main__']
ORDER = CORE + RECIPES + APP
IGNORED = {'__init__', '_modidx', 'recipes.__init__'}  # package markers and nbdev's index, which import nothing of ours


def modules(pkg: Path) -> dict:
    "Dotted name (inside the package) -> file, for every module of the package."
    return {'.'.join(p.relative_to(pkg).with_suffix('').parts): p for p in sorted(pkg.rglob('*.py'))}


def imports(name: str, path: Path, pkg_name: str, known: set) -> set:
    "The package's modules that `name` imports, anywhere in its file (absolute or relative imports)."
    here = name.split('.')[:-1]  # the module's own subpackage, for relative imports
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # from .x import y, from ..x import y, from . import x
                base = here[: len(here) - node.level + 1]
                mod = '.'.join(base + ([node.module] if node.module else []))
                targets = [mod] + [f'{mod}.{a.name}' if mod else a.name for a in node.names]
                targets = [f'{pkg_name}.{t}' if t else pkg_name for t in targets]
            elif node.module:
                targets = [node.module] + [f'{node.module}.{a.name}' for a in node.names]
        for t in targets:
            if t.startswith(pkg_name + '.'):
                inner = t[len(pkg_name) + 1 :]
                if inner in known:
                    found.add(inner)
    found.discard(name)
    return found


def check(pkg: Path, order: list = ORDER) -> tuple[dict, list]:
    "(the import graph, the broken rules) of the package at `pkg`."
    mods = {n: p for n, p in modules(pkg).items() if n not in IGNORED}
    problems = [
        f"{n}: a module with no place in the order of rooms; add it to tools/check_layers.py"
        for n in mods
        if n not in order
    ]
    graph = {
        n: sorted(imports(n, p, pkg.name, set(mods)), key=lambda m: order.index(m) if m in order else -1)
        for n, p in mods.items()
    }
    rank = {n: i for i, n in enumerate(order)}
    for n, targets in graph.items():
        for t in targets:
            if n in rank and t in rank and rank[t] >= rank[n]:
                kind = 'a core module imports a recipe' if n in CORE and t in RECIPES else 'an arrow back up'
                problems.append(f"{n} imports {t}: {kind} ({t} comes after {n} in the order of rooms)")
    return graph, problems


def self_test():
    """The check must be able to fail: a made-up package where a core module imports a recipe, and two modules import
    each other."""
    with tempfile.TemporaryDirectory() as tmp:
        pkg = Path(tmp) / 'elm_nb'
        (pkg / 'recipes').mkdir(parents=True)
        (pkg / '__init__.py').write_text('')
        (pkg / 'recipes' / '__init__.py').write_text('')
        (pkg / 'files.py').write_text('import json\n')
        (pkg / 'domain.py').write_text('from .files import x\ndef f():\n    from elm_nb.recipes.movielens import y\n')
        (pkg / 'train.py').write_text('from .metrics import z\n')
        (pkg / 'metrics.py').write_text('from elm_nb import train\n')
        (pkg / 'recipes' / 'movielens.py').write_text('from ..domain import Domain\n')
        _, problems = check(pkg)
        expected = [
            'domain imports recipes.movielens: a core module imports a recipe',
            'train imports metrics: an arrow back up',
        ]
        for e in expected:
            assert any(p.startswith(e) for p in problems), (e, problems)
        assert not any(p.startswith('metrics') for p in problems), (
            problems
        )  # metrics -> train goes up the order: allowed
    print('self-test: a core module importing a recipe, and a circle, are caught')


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--package', default=str(Path(__file__).resolve().parent.parent / 'elm_nb'))
    parser.add_argument('--self-test', action='store_true')
    args = parser.parse_args()
    if args.self_test:
        self_test()
    graph, problems = check(Path(args.package))
    for n in sorted(graph, key=lambda m: ORDER.index(m) if m in ORDER else len(ORDER)):
        print(f"{n:28} <- {', '.join(graph[n]) or '-'}")
    for p in problems:
        print('BROKEN:', p)
    print(f"{len(graph)} modules, {sum(map(len, graph.values()))} arrows, {len(problems)} broken")
    sys.exit(1 if problems else 0)
