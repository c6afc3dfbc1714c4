"""The embedding editor in a real browser: JupyterLab on 127.0.0.1, headless Chromium driven by Playwright.

    python tools/browser_test.py [--run nbs/runs/behavioural] [--screenshot results/editor.png]

It writes a notebook that shows the editor (over the trained ELM in `--run` if that folder holds one, else over a tiny
untrained ELM), opens it in JupyterLab, runs it, moves a concept slider, clicks Generate, waits until the text changes,
and saves a screenshot. Exits non-zero, saying where it stopped, on any failure. Needs Debian's `chromium`
(`apt-get install chromium`) and the `playwright` Python package; Playwright's own browser download is not used.
"""

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

CHROMIUM_ARGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
]

REAL = '''from elm_nb.train import load_run
from elm_nb.editor import EmbeddingEditor
run = load_run({run!r}); d = run.domain
# a test movie that is a comedy and nothing else: pushing it along a concept shows plainly in its text
start = next(m for m in d.split.ids('movie', 'test') if [l for l in d.labels if d.attributes.loc[m, l]] == ['Comedy'])
# titles, tasks, a slider per well-separated genre and soft attribute, a TextMap
editor = EmbeddingEditor.from_run(run, start=start)
editor'''

TINY = '''import numpy as np
from elm_nb.embeddings import EmbeddingTable
from elm_nb.model import ELM
from elm_nb.interpret import fit_cav
from elm_nb.editor import EmbeddingEditor
v = np.random.default_rng(0).normal(size=(40, 8)).astype('float32'); v[:20, 0] += 3
toy = EmbeddingTable.from_array(v, name='toy')
elm = ELM.build(toy, base='tiny', n_tokens=2)
elm.prompts = {'summary': 'Describe <emb>.'}  # what training records; an untrained ELM has no task to offer
striped = fit_cav(toy, toy.ids, np.arange(40) < 20, name='striped')
editor = EmbeddingEditor(elm, {'thing': toy}, cavs={'striped': striped}, max_new_tokens=12)
editor'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def step(name, t0):
    print(f"{time.perf_counter() - t0:6.1f} s  {name}", flush=True)


def drive(page, url, token, a, t0):
    "Open the notebook, run it, move a slider, click Generate, wait for the new text, take the screenshot."
    page.goto(f'{url}/lab/tree/editor.ipynb?token={token}')
    page.wait_for_selector('.jp-Notebook .jp-Cell', timeout=a.timeout * 1000)
    # the toolbar exists before the kernel does: a cell run before the kernel is idle can be dropped, so wait for "|
    # Idle"
    page.wait_for_function("() => document.body.innerText.includes('| Idle')", timeout=a.timeout * 1000)
    step('notebook open, kernel idle', t0)
    for attempt in range(
        3
    ):  # run the cell; if it has not started within 20 s (a request JupyterLab dropped), run it again
        page.click('.jp-Notebook .jp-Cell .jp-InputArea-editor')
        page.keyboard.press('Control+Enter')  # run in place: the cell stays selected for another attempt
        try:
            page.wait_for_function(
                "() => /\\[(\\*|\\d+)\\]/.test("
                "document.querySelector('.jp-Notebook .jp-Cell .jp-InputPrompt').innerText)",
                timeout=20_000,
            )
            break
        except Exception:
            step(f'the cell did not start (attempt {attempt + 1}); running it again', t0)
    else:
        sys.exit('The notebook cell never started running: is the kernel alive? See lab.log.')
    page.wait_for_selector(
        '.elm-editor-text b, .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]',
        timeout=a.timeout * 1000,
    )
    if page.locator('[data-mime-type="application/vnd.jupyter.error"]').count():
        sys.exit(
            "The notebook cell failed:\n" + page.inner_text('[data-mime-type="application/vnd.jupyter.error"]')[-2000:]
        )
    text = page.wait_for_selector('.elm-editor-text b', timeout=a.timeout * 1000)
    first = text.inner_text()
    step(f'editor shown, first text: {first!r}', t0)
    # move the first concept slider: type into its readout, as a user can
    readout = page.locator('.elm-editor .widget-slider .widget-readout').first
    readout.click()
    page.keyboard.press('Control+A')
    page.keyboard.type('6')
    page.keyboard.press('Enter')
    page.get_by_role('button', name='Generate').click()
    started = time.perf_counter()
    page.wait_for_function(
        """first => { const t = document.querySelector('.elm-editor-text');
                                         return t && !t.innerText.includes('as it is')
                                                  && t.innerText.includes('+6'); }""",
        arg=first,
        timeout=a.timeout * 1000,
    )
    page.wait_for_function(
        "() => document.querySelector('.elm-editor-status').innerText.includes('ready')", timeout=a.timeout * 1000
    )
    step(
        f'slider moved, Generate clicked, new text after {time.perf_counter() - started:.1f} s: '
        f'{page.inner_text(".elm-editor-text")!r}',
        t0,
    )
    status = page.inner_text('.elm-editor-status')
    if 'Error' in status:
        sys.exit(f"The editor shows an error: {status}")
    news = page.get_by_role('button', name='No')  # JupyterLab's one-time question about news, over the page's corner
    if news.count():
        news.first.click()
    Path(a.screenshot).parent.mkdir(parents=True, exist_ok=True)
    page.locator('.elm-editor').screenshot(path=a.screenshot)
    step(f'screenshot saved to {a.screenshot}; trust panel: {page.inner_text(".elm-editor-trust")[:160]!r}', t0)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument(
        '--run',
        default='nbs/runs/behavioural',
        help='a trained MovieLens run (the editor starts from a comedy); a tiny ELM is used if it holds none',
    )
    p.add_argument('--screenshot', default='results/editor-browser.png')
    p.add_argument('--chromium', default=shutil.which('chromium') or '/usr/bin/chromium')
    p.add_argument(
        '--timeout', type=float, default=240, help='seconds to wait for the kernel, the editor and each text'
    )
    a = p.parse_args()
    from playwright.sync_api import sync_playwright

    if not Path(a.chromium).exists():
        sys.exit(f"No Chromium at {a.chromium}: install it with `apt-get install chromium`, or pass --chromium PATH.")
    t0, real = time.perf_counter(), (Path(a.run) / 'elm' / 'elm.json').exists()
    root = Path(tempfile.mkdtemp(prefix='elm-browser-'))
    source = REAL.format(run=str(Path(a.run).resolve())) if real else TINY
    nb = {
        'cells': [
            {
                'cell_type': 'code',
                'execution_count': None,
                'id': 'editor',
                'metadata': {},
                'outputs': [],
                'source': source,
            }
        ],
        'metadata': {'kernelspec': {'display_name': 'Python 3', 'language': 'python', 'name': 'python3'}},
        'nbformat': 4,
        'nbformat_minor': 5,
    }
    (root / 'editor.ipynb').write_text(json.dumps(nb))
    port, token = free_port(), secrets.token_hex(16)
    env = dict(
        os.environ, HF_HUB_OFFLINE='1', TRANSFORMERS_OFFLINE='1', TOKENIZERS_PARALLELISM='false', MPLBACKEND='Agg'
    )
    lab = subprocess.Popen(
        [
            sys.executable,
            '-m',
            'jupyterlab',
            '--no-browser',
            '--ServerApp.ip=127.0.0.1',
            f'--ServerApp.port={port}',
            f'--IdentityProvider.token={token}',
            f'--ServerApp.root_dir={root}',
            '--ServerApp.open_browser=False',
            '--LabApp.news_url=',
            '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
        ]
        + (['--allow-root'] if hasattr(os, 'geteuid') and os.geteuid() == 0 else []),
        stdout=open(root / 'lab.log', 'w'),
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        url = f'http://127.0.0.1:{port}'
        for _ in range(120):
            try:
                urllib.request.urlopen(f'{url}/api/status?token={token}', timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            sys.exit("JupyterLab did not start:\n" + (root / 'lab.log').read_text()[-3000:])
        step(
            f"JupyterLab serving on 127.0.0.1:{port} ({'trained ELM in ' + a.run if real else 'tiny untrained ELM'})",
            t0,
        )
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=a.chromium, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={'width': 1400, 'height': 1500})
            try:
                drive(page, url, token, a, t0)
            except Exception:
                page.screenshot(path=str(Path(a.screenshot).with_name('editor-browser-failure.png')))
                print('page text at failure:\n' + page.inner_text('body')[-2000:], file=sys.stderr)
                raise
            finally:
                browser.close()
    finally:
        lab.terminate()
        try:
            lab.wait(10)
        except subprocess.TimeoutExpired:
            lab.kill()
        shutil.rmtree(root, ignore_errors=True)
    print(f"browser test passed in {time.perf_counter() - t0:.1f} s")


if __name__ == '__main__':
    main()
