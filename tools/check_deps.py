"""Declared dependencies match imports: every third-party module the library imports is declared in settings.ini,
as a runtime requirement or an extra, and every runtime requirement and every extra is imported somewhere (an extra
that installs nothing the library uses is flagged).

    python tools/check_deps.py              # exits 1 and names what differs
    # first checks that it catches an undeclared import and an unused requirement
    python tools/check_deps.py --self-test
"""

import ast
import configparser
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# requirements that are used without an import of their own name
USED_WITHOUT_IMPORT = {'accelerate': "transformers' Trainer runs on it"}


def declared(settings: Path) -> dict:
    "distribution (lower case, '_' as '-') -> 'runtime' or 'extra NAME', from settings.ini."
    cfg = configparser.ConfigParser()
    cfg.read(settings)
    c, out = cfg['DEFAULT'], {}
    name = lambda spec: re.split(r'[<>=!~\[; ]', spec, maxsplit=1)[0].lower().replace('_', '-')
    for spec in c.get('requirements', '').split():
        out[name(spec)] = 'runtime'
    for key, value in c.items():
        if key.startswith('extra_'):
            for spec in value.split():
                out.setdefault(name(spec), f'extra {key[6:]}')
    return out


def imported(package: Path) -> dict:
    "top-level module -> files importing it (any import statement, at the top or inside a function)."
    out = {}
    for path in sorted(package.rglob('*.py')):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
                else []
            )
            for n in names:
                out.setdefault(n.split('.')[0], set()).add(path.relative_to(package.parent).as_posix())
    # modules named as strings: require('matplotlib.pyplot', ...) and package_asset-free imports by name
    for path in sorted(package.rglob('*.py')):
        for m in re.finditer(r"require\('([\w.]+)'", path.read_text()):
            out.setdefault(m.group(1).split('.')[0], set()).add(path.relative_to(package.parent).as_posix())
    return out


def check(package: Path, settings: Path) -> list[str]:
    "What differs, one line each."
    dists, wanted = packages_distributions(), declared(settings)
    own, stdlib = package.name, set(sys.stdlib_module_names) | {'__future__'}
    problems, used = [], set()
    for module, files in sorted(imported(package).items()):
        if module == own or module in stdlib:
            continue
        names = [d.lower().replace('_', '-') for d in dists.get(module, [module])]
        hit = [d for d in names if d in wanted]
        if not hit:
            problems.append(
                f"{module} is imported ({', '.join(sorted(files))}) but no distribution of it ({', '.join(names)}) "
                "is declared in settings.ini"
            )
        used.update(hit)
    for dist, where in sorted(wanted.items()):
        if dist not in used and dist not in USED_WITHOUT_IMPORT:
            what = 'a runtime requirement' if where == 'runtime' else f"installed by the {where.split()[1]!r} extra"
            problems.append(f"{dist} is {what}, but nothing in {package.name}/ imports it")
    return problems


def self_test():
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        pkg = Path(tmp) / 'pkg'
        pkg.mkdir()
        (pkg / 'a.py').write_text('import numpy\nfrom pandas import DataFrame\ndef f():\n    import scipy.stats\n')
        settings = '[DEFAULT]\nrequirements = numpy>=1 tqdm\nextra_plot = matplotlib\nextra_fit = implicit>=0.7\n'
        (Path(tmp) / 'settings.ini').write_text(settings)
        found = check(pkg, Path(tmp) / 'settings.ini')
        assert any(l.startswith('pandas is imported') for l in found), found
        assert any(l.startswith('scipy is imported') for l in found), found
        assert any(l.startswith('tqdm is a runtime requirement') for l in found), found
        assert any(l.startswith("implicit is installed by the 'fit' extra, but nothing") for l in found), found
        assert not any(l.startswith('numpy') for l in found), found
    print('self-test: an undeclared import, an unused requirement and an unused extra are caught')


if __name__ == '__main__':
    if '--self-test' in sys.argv:
        self_test()
    problems = check(ROOT / 'elm_nb', ROOT / 'settings.ini')
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print(f"declared dependencies match imports ({len(declared(ROOT / 'settings.ini'))} declared)")
