"""Run `nbdev_test` and count the test cells it ran: `make test`'s test step.

    python tools/count_tests.py [nbdev_test options]      e.g. --timing --n_workers 1 --path nbs/03_adapter.ipynb

nbdev_test prints no count. This runs it with the given options (its output passes through), then
counts, in every notebook it ran, the code cells it executed that hold at least one assertion
(`assert`, `test_eq`, `test_close`, `test_fail`, ... `raises`): the test cells. Cells are picked
with nbdev's own rules (nbdev 2.4.14, nbdev/test.py): the same notebooks (nbglob: no `_*` or `.*`
files or folders, none beside a `.notest` file, no `skip_exec` front matter, Python only), and
without the cells it skips (non-code, `nbdev_export(` calls, `#| eval: false`, and the settings.ini
`tst_flags` (`notest slow cuda` here) unless forced with `--flags`). `#| export` cells are library
code, not tests: an `assert` that checks an argument there is not counted.

nbdev_test stops a notebook at its first exception and exits non-zero, so exit 0 means every test
cell ran and passed: it prints `tests: N passed, 0 failed`. On a failure it reads nbdev's traceback
("While Executing Cell #k" in the notebook) to count the test cells that passed before it, counts
the failing cell (test or not) as failed, says how many test cells never ran, and exits non-zero.
"""

import argparse
import ast
import re
import subprocess
import sys
import threading
from pathlib import Path

# Names that assert when called or entered: fastcore.test, pytest, unittest, numpy.testing, torch.testing.
ASSERTS = {
    'test',
    'test_eq',
    'test_ne',
    'test_eq_type',
    'test_fail',
    'test_close',
    'is_close',
    'test_is',
    'test_shuffled',
    'test_stdout',
    'test_warns',
    'test_fig_exists',
    'ExceptionExpected',
    'raises',
    'warns',
    'approx',
    'assertRaises',
    'assertWarns',
    'assertEqual',
    'assertTrue',
    'assertFalse',
    'assert_equal',
    'assert_array_equal',
    'assert_allclose',
    'assert_array_almost_equal',
    'assert_close',
}
EXPORT = {'export', 'exporti', 'exports'}


def _source(cell) -> str:
    "Cell source as Python: IPython magics and shell escapes turned into calls, as IPython runs them."
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(cell.source)
    except Exception:
        return cell.source


def asserts(cell) -> bool:
    "Does this code cell hold an assertion?"
    src = _source(cell)
    try:
        tree = ast.parse(src)
    except SyntaxError:  # unparsable: fall back to words outside comments
        code = '\n'.join(l.split('#', 1)[0] for l in src.splitlines())
        return bool(re.search(r'\bassert\b', code) or any(re.search(rf'\b{n}\s*\(', code) for n in ASSERTS))
    for n in ast.walk(tree):
        if isinstance(n, ast.Assert):
            return True
        if isinstance(n, ast.Call):  # test_eq(...), pytest.raises(...), self.assertEqual(...); not `test = ...`
            f = n.func
            if getattr(f, 'id', None) in ASSERTS or getattr(f, 'attr', None) in ASSERTS:
                return True
    return False


def notebooks(opts):
    "The notebooks nbdev_test runs for these options, as it finds them."
    from nbdev.doclinks import nbglob
    from nbdev.test import _keep_file

    kw = {
        k: getattr(opts, k)
        for k in ('symlinks', 'file_glob', 'file_re', 'folder_re', 'skip_file_glob', 'skip_file_re', 'skip_folder_re')
    }
    files = nbglob(opts.path, as_path=True, **kw)
    return [f.absolute() for f in sorted(files) if _keep_file(f, opts.ignore_fname)]


def test_cells(fn, skip_flags, force_flags) -> list[int]:
    "Indices (in the notebook's cells) of the test cells nbdev_test runs in `fn`, as nbdev's `test_nb` decides."
    from fastcore.basics import str2bool
    from nbdev.frontmatter import FrontmatterProc
    from nbdev.process import NBProcessor, nb_lang

    flags = set(skip_flags) - set(force_flags)
    nb = NBProcessor(fn, procs=FrontmatterProc, process=True).nb
    fm = getattr(nb, 'frontmatter_', {})
    if str2bool(fm.get('skip_exec', False)) or nb_lang(nb) != 'python':
        return []

    def _no_eval(cell):  # nbdev.test.test_nb's own rule
        if cell.cell_type != 'code':
            return True
        if 'nbdev_export' + '(' in cell.source:
            return True
        direc = getattr(cell, 'directives_', {}) or {}
        if direc.get('eval:', [''])[0].lower() == 'false':
            return True
        return flags & direc.keys()

    return [
        c.idx_
        for c in nb.cells
        if not _no_eval(c) and not (EXPORT & (getattr(c, 'directives_', {}) or {}).keys()) and asserts(c)
    ]


def run_nbdev_test(args) -> tuple[int, str]:
    "Run nbdev_test with `args`; its stdout and stderr pass through, and stderr is also returned."
    exe = Path(sys.executable).parent / 'nbdev_test'
    p = subprocess.Popen([str(exe) if exe.exists() else 'nbdev_test', *args], stderr=subprocess.PIPE, text=True)
    err = []

    def _tee():
        for line in p.stderr:
            sys.stderr.write(line)
            sys.stderr.flush()
            err.append(line)

    t = threading.Thread(target=_tee)
    t.start()
    rc = p.wait()
    t.join()
    return rc, ''.join(err)


def failures(stderr: str) -> dict:
    "{notebook path: 0-based index of the cell that raised} from nbdev's tracebacks; None where unknown."
    res = {}
    for m in re.finditer(r'^\w+ in (.+?\.ipynb):\n=+\n\nWhile Executing(?: Cell #(\d+))?:', stderr, re.M):
        res[str(Path(m.group(1)).absolute())] = int(m.group(2)) - 1 if m.group(2) else None
    m = re.search(r'nbdev Tests Failed On The Following Notebooks:\n=+\n((?:\t.*\n?)*)', stderr)
    names = [l.strip() for l in m.group(1).splitlines() if l.strip()] if m else []
    for n in names:
        if not any(Path(k).name == n for k in res):
            res[n] = None
    return res


def cells(n: int) -> str:
    return f"{n} test cell{'' if n == 1 else 's'}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], add_help=True)
    ap.add_argument('--path', default=None)
    ap.add_argument('--flags', default='')
    ap.add_argument('--symlinks', action='store_true')
    ap.add_argument('--file_glob', default='*.ipynb')
    ap.add_argument('--file_re', default=None)
    ap.add_argument('--folder_re', default=None)
    ap.add_argument('--skip_file_glob', default=None)
    ap.add_argument('--skip_file_re', default='^[_.]')
    ap.add_argument('--skip_folder_re', default='^[_.]')
    ap.add_argument('--ignore_fname', default='.notest')
    ap.add_argument('--count-only', action='store_true', help="don't run nbdev_test: count the test cells it would run")
    opts, _ = ap.parse_known_args()
    nbdev_args = [a for a in sys.argv[1:] if a != '--count-only']

    from nbdev.config import get_config

    skip_flags, force_flags = get_config().tst_flags.split(), opts.flags.split()
    files = notebooks(opts)  # before the run: what nbdev_test is about to run
    if opts.count_only:
        rc, err = 0, ''
    else:
        rc, err = run_nbdev_test(nbdev_args)

    root = Path.cwd()

    def _name(f):
        try:
            return str(Path(f).relative_to(root))
        except ValueError:
            return str(f)

    failed = failures(err) if rc else {}
    if rc and not failed:  # it failed without naming a notebook (a crashed worker, a bad option): count nothing
        print(f'nbdev_test exited with code {rc} without naming a failing notebook: no test counted as passed')
        print('tests: 0 passed, 1 failed')
        sys.exit(rc)
    n_pass = n_fail = n_unrun = 0
    for f in files:
        found = test_cells(f, skip_flags, force_flags)
        bad = next((v for k, v in failed.items() if k == str(f) or k == f.name), 'ok')
        if bad == 'ok':
            n_pass += len(found)
            print(f'{_name(f)}: {cells(len(found))}' + ('' if opts.count_only else ' passed'))
        elif bad is None:  # failed where we can't tell: nothing in it is counted as passed
            n_fail += 1
            n_unrun += len(found)
            print(f'{_name(f)}: FAILED (cell not known); its {cells(len(found))} not counted as passed')
        else:
            before = sum(i < bad for i in found)
            after = sum(i > bad for i in found)
            n_pass += before
            n_fail += 1
            n_unrun += after
            print(
                f'{_name(f)}: FAILED at cell #{bad + 1}'
                + (' (a test cell)' if bad in found else '')
                + f'; {cells(before)} passed before it, {after} never ran'
            )
    if rc:
        print(f'nbdev_test exited with code {rc}' + (f'; {cells(n_unrun)} did not run' if n_unrun else ''))
    elif not files:
        print('no notebook was run')
    if opts.count_only:
        print(f'tests: {cells(n_pass)} in {len(files)} notebooks (counted, not run)')
    else:
        print(f'tests: {n_pass} passed, {n_fail} failed')
    sys.exit(rc)


if __name__ == '__main__':
    main()
