"""The lowest versions settings.ini allows, installed together and tested: `make test-lowest`.

uv resolves the runtime requirements and every extra at their lowest allowed versions (`--resolution lowest-direct`;
torch is the build the Makefile's TORCH names, its CPU build when no index is given), installs them with the dev tools
into .venv-lowest, and runs `make test` in that environment. It writes results/tested_versions.json: the versions that
ran, the Python, the date, how long it took and the count `make test` printed, so the lower bounds in settings.ini are
claimed by the run that tested them, not typed. The newest allowed versions are what `make test` itself installs.

    python tools/lowest_versions.py     # about 10 minutes on 2 cores, the install included
"""

import configparser
import datetime
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / '.venv-lowest'
RECORD = ROOT / 'results' / 'tested_versions.json'


def requirements(torch: str) -> list[str]:
    "settings.ini's runtime requirements and every extra's, with torch as given."
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / 'settings.ini')
    d = cfg['DEFAULT']
    reqs = [r for r in d['requirements'].split() if not re.match(r'torch\b', r)] + [torch]
    return reqs + [r for k, v in d.items() if k.startswith('extra_') for r in v.split()]


def above_bounds(wanted: list[str], pinned: str) -> list[str]:
    """The direct requirements uv resolved above their lower bound (`name>=X`): bounds that conflict with each other,
    so the lowest allowed set was not the one resolved."""
    release = lambda v: tuple(int(n) for n in re.match(r'[\d.]+', v).group().strip('.').split('.')) + (0,) * 3
    pins = dict(l.split('==', 1) for l in pinned.splitlines() if '==' in l)
    raised = []
    for req in wanted:
        bound = re.search(r'>=\s*([\w.]+)', req)
        name = re.split(r'[<>=!~\[; ]', req, maxsplit=1)[0].lower()
        if bound and name in pins and release(pins[name])[:4] != release(bound.group(1))[:4]:
            raised.append(f"{name} {pins[name]} (bound {bound.group(1)})")
    return raised


def uv() -> str:
    "uv, from the package registry, in a scratch environment of its own."
    tools = ROOT / '.venv-lowest-uv'
    if not (tools / 'bin' / 'uv').exists():
        subprocess.run([sys.executable, '-m', 'venv', tools], check=True)
        subprocess.run([tools / 'bin' / 'pip', 'install', '-q', 'uv'], check=True)
    return str(tools / 'bin' / 'uv')


def sources(torch_args: list[str]) -> list[str]:
    "Where to find packages: pip's find-links (uv does not read pip.conf: a machine's local wheels) and TORCH's index."
    said = subprocess.run(
        [sys.executable, '-m', 'pip', 'config', 'get', 'global.find-links'], capture_output=True, text=True
    ).stdout.split()
    # TORCH's --index-url (the PyTorch CPU index) is one more place to look, not the only one, for uv
    index = ['--extra-index-url' if a == '--index-url' else a for a in torch_args]
    return (
        [a for link in said for a in ('--find-links', link)]
        + index
        + (['--index-strategy', 'unsafe-best-match'] if index else [])
    )


def assets() -> list[str]:
    "The offline assets the Makefile installs (ASSETS := ...)."
    line = next(l for l in (ROOT / 'Makefile').read_text().splitlines() if l.startswith('ASSETS :='))
    return line.split(':=', 1)[1].split()


def main():
    torch_env = os.environ.get('TORCH', 'torch==2.13.0')  # the Makefile's TORCH: a spec, then pip arguments
    spec, *torch_args = torch_env.split()
    torch = spec if torch_args or '+' in spec else f'{spec}+cpu'  # no index given: the CPU build, as here
    exe, where, start = uv(), sources(torch_args), time.perf_counter()
    env = {**os.environ, 'VIRTUAL_ENV': str(VENV)}
    venv = [exe, 'venv', '-q', '--seed', '--allow-existing', '-p', sys.executable, VENV]  # --seed: pip, for wheel_test
    subprocess.run(venv, check=True)
    wanted, pinned = VENV / 'lowest-wanted.txt', VENV / 'lowest.txt'
    wanted.write_text('\n'.join(requirements(torch)) + '\n')
    python = f'{sys.version_info.major}.{sys.version_info.minor}'
    compile_ = [exe, 'pip', 'compile', wanted, '--resolution', 'lowest-direct', '--python-version', python]
    subprocess.run([*compile_, *where, '--no-header', '--no-annotate', '-q', '-o', pinned], check=True)
    raised = above_bounds(requirements(torch), pinned.read_text())
    if raised:
        sys.exit(f"uv resolved these above their lower bounds, so the bounds conflict: {'; '.join(raised)}.")
    install = [exe, 'pip', 'install', '-q', *where]
    subprocess.run([*install, '-r', pinned, '-c', pinned, '-e', f'{ROOT}[dev]'], check=True, env=env)
    subprocess.run([*install, '--no-deps', *assets()], check=True, env=env)
    kernel = [VENV / 'bin' / 'python', '-m', 'ipykernel', 'install', '--sys-prefix', '--name', 'python3']
    subprocess.run(kernel, check=True, capture_output=True)
    (VENV / '.installed').write_text(torch_env + '\n')  # the Makefile's stamp: installed, with this TORCH
    installed = time.perf_counter() - start
    print(f"installed the lowest allowed versions in {installed:.0f} s; running make test in {VENV.name}", flush=True)
    done = subprocess.run(
        ['make', 'test', f'VENV={VENV.name}', f'TORCH={torch_env}'], cwd=ROOT, capture_output=True, text=True
    )
    sys.stdout.write(done.stdout[-4000:])
    sys.stderr.write(done.stderr[-4000:])
    count = re.findall(r'tests: \d+ passed, \d+ failed', done.stdout)
    freeze = subprocess.run([exe, 'pip', 'freeze'], capture_output=True, text=True, env=env).stdout
    pins = dict(l.split('==', 1) for l in freeze.splitlines() if '==' in l)
    direct = [re.split(r'[<>=!~\[; ]', r, maxsplit=1)[0].lower() for r in requirements(torch)]
    record = {
        'what': 'the lowest versions settings.ini allows, installed together, tested by make test (make test-lowest)',
        'lowest': {
            'date': datetime.date.today().isoformat(),
            'python': sys.version.split()[0],
            'make_test': 'passed' if done.returncode == 0 else f'failed (exit {done.returncode})',
            'tests': count[-1] if count else None,
            'minutes': round((time.perf_counter() - start) / 60, 1),
            'versions': {d: pins.get(d) for d in direct},
        }
    }
    RECORD.write_text(json.dumps(record, indent=1) + '\n')
    print(f"wrote {RECORD.relative_to(ROOT)}: make test {record['lowest']['make_test']}, {record['lowest']['tests']}")
    sys.exit(done.returncode)


if __name__ == '__main__':
    main()
