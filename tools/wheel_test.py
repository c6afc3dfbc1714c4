"""The pip-installed library as a user meets it: build the wheel, install it into a fresh virtual environment with its
runtime dependencies alone (no nbdev, fastcore or Jupyter), then, inside that environment, import every module, load a
saved ELM and describe vectors from Python and from the `elm_nb` console script; share it the Hugging Face way
(save_pretrained, from_pretrained, peft alone on the base, the model card's evaluation table); and check that the demo,
which needs extras, stops at once naming the extra. `make test` runs it.

    python tools/wheel_test.py [--keep DIR]   # DIR keeps the wheel, the environment and the run folder
"""

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

import elm_nb  # noqa: F401  before peft (make_run): its filter keeps bitsandbytes' offline kernel notice quiet

REPO = Path(__file__).resolve().parents[1]
DEV_ONLY = ('nbdev', 'fastcore', 'execnb', 'jupyterlab', 'notebook', 'ipykernel', 'nbconvert', 'playwright')
INSIDE = r'''
import importlib, json, pkgutil, sys
import numpy as np
# every module the wheel ships (the core, the recipes, the command line) imports without the dev tools
import elm_nb
modules = sorted(m.name.removeprefix('elm_nb.') for m in pkgutil.walk_packages(elm_nb.__path__, 'elm_nb.')
                 if not m.name.rsplit('.', 1)[-1].startswith('_') and not m.ispkg)
assert {'model', 'train', 'cli', 'recipes.movielens'} <= set(modules), modules
for m in modules: importlib.import_module(f'elm_nb.{m}')
leaked = sorted(m for m in ('nbdev', 'fastcore', 'execnb') if m in sys.modules)
assert not leaked, f"importing elm_nb pulled in {leaked}"
from elm_nb.train import load_run
from elm_nb.interpret import describe
run = load_run(sys.argv[1])
texts = describe(run.elm, run.domain.space.vectors[:3], task='label', max_new_tokens=6)
assert len(texts) == 3 and all(isinstance(t, str) for t in texts)
# shared the Hugging Face way and read back: the same greedy texts; the LoRA loads with peft alone; the card holds the
# evaluation
from pathlib import Path
from elm_nb.model import ELM, load_base_model
from elm_nb.evaluate import model_card
from peft import PeftModel
folder = run.elm.save_pretrained(Path(sys.argv[2]), card=model_card(run, where=str(Path(sys.argv[2]).resolve())))
back = ELM.from_pretrained(folder)
vectors = run.domain.space.vectors[:8]
same = describe(back, vectors, task='label', max_new_tokens=6) == describe(
    run.elm, vectors, task='label', max_new_tokens=6)
assert same, 'from_pretrained describes differently'
base_id = json.loads((folder/'adapter_config.json').read_text())['base_model_name_or_path']
plain = PeftModel.from_pretrained(load_base_model(base_id)[0], folder)
assert sum('lora_' in n for n, _ in plain.named_parameters()) > 0
card = (folder/'README.md').read_text()
assert '## Evaluation (test split)' in card and '| ELM |' in card, card[:500]
print(json.dumps({'modules': len(modules), 'texts': texts, 'shared': sorted(p.name for p in folder.iterdir())}))
'''


def sh(*cmd, **kw):
    start = time.perf_counter()
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    if done.returncode:
        sys.exit(
            f"FAILED ({done.returncode}): {' '.join(shlex.quote(str(c)) for c in cmd)}\n"
            f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    return done.stdout, time.perf_counter() - start


def make_run(run: Path):
    """A run folder of your own domain with a tiny ELM (built offline), as `train` writes it: the domain, config.json
    and elm/."""
    from dataclasses import asdict

    from peft import LoraConfig, get_peft_model

    from elm_nb.base_lm import peft_quietly
    from elm_nb.domain import Domain
    from elm_nb.embeddings import EmbeddingTable
    from elm_nb.evaluate import evaluate
    from elm_nb.model import ELM
    from elm_nb.train import TrainConfig

    rng = np.random.default_rng(0)
    ids = [f'i{k}' for k in range(40)]
    table = EmbeddingTable.from_array(rng.normal(size=(40, 6)).astype(np.float32), ids=ids, name='items', kind='custom')
    examples = [{'ids': [i], 'task': 'label', 'prompt': 'Name the item <emb>.', 'target': f'Item {i}.'} for i in ids]
    domain = Domain.from_examples(
        {'item': table}, examples
    )  # split by entity, as `elm_nb train --table --examples` does
    cfg = TrainConfig(out_dir=str(run), base='tiny', n_tokens=2)
    elm = ELM.build(domain.space, base=cfg.base, n_tokens=cfg.n_tokens, seed=0)
    elm.prompts = dict(
        domain.prompts
    )  # what `train` gives the ELM: describe and the console script find the task by name
    # LoRA with random weights stands in for stage 2: what it changes must survive sharing
    lora = LoraConfig(r=4, lora_alpha=8, target_modules='all-linear', task_type='CAUSAL_LM', init_lora_weights=False)
    with peft_quietly():
        elm.lm = get_peft_model(elm.lm, lora)
    domain.save(run)
    elm.save(run / 'elm')
    (run / 'config.json').write_text(json.dumps(asdict(cfg)))  # load_run reads it
    (run / 'report.json').write_text(json.dumps({'examples': {'train': len(domain.examples['train'])}}))
    np.save(run / 'vectors.npy', table.vectors[:2])
    evaluate(run, n_pairs=2, max_new_tokens=4, progress=False)  # evaluation.json, which the model card shows


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--keep', help='a folder to keep everything in')
    args = p.parse_args()
    root = Path(args.keep or tempfile.mkdtemp(prefix='elm_nb-wheel-'))
    root.mkdir(parents=True, exist_ok=True)
    try:
        check(root)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def check(root: Path):
    out, t = sh(sys.executable, '-m', 'pip', 'wheel', '--no-deps', '-q', '-w', root / 'dist', REPO)
    wheel = sorted((root / 'dist').glob('elm_nb-*.whl'))[-1]
    print(f"built {wheel.name} ({t:.0f} s)")
    env = root / 'venv'
    if not env.exists():
        sh(sys.executable, '-m', 'venv', env)
    pip, python = env / 'bin' / 'pip', env / 'bin' / 'python'
    torch = os.environ.get('TORCH', 'torch==2.13.0').split()  # the build the Makefile installs: a CPU wheel here
    # --no-compile: pip would compile every module of torch and transformers (13 s of torch's 19); the few this test
    # imports are compiled once when first imported (PYTHONDONTWRITEBYTECODE is dropped from `clean` below)
    _, t1 = sh(pip, 'install', '-q', '--no-compile', *torch)
    _, t2 = sh(pip, 'install', '-q', '--no-compile', wheel)
    print(
        f"installed torch ({t1:.0f} s) and the wheel with its runtime dependencies ({t2:.0f} s) into a fresh {env.name}"
    )
    listed = {line.split('==')[0].lower() for line in sh(pip, 'freeze')[0].splitlines()}
    dev = sorted(set(DEV_ONLY) & listed)
    if dev:
        sys.exit(f"FAILED: the runtime install brought development packages: {dev}")
    run = root / 'run'
    if not run.exists():
        make_run(run)
    clean = {  # nothing of the dev environment leaks in
        k: v for k, v in os.environ.items() if k not in ('PYTHONPATH', 'VIRTUAL_ENV', 'PYTHONDONTWRITEBYTECODE')
    }
    (root / 'words.vec').write_text('2 3\na 1 0 0\nb 0 1 0\n')  # word2vec text format, which gensim (an extra) reads
    bin_ = env / 'bin'
    # five independent processes, two at a time: each mostly imports, on one core
    with ThreadPoolExecutor(2) as pool:
        inside = pool.submit(sh, python, '-c', INSIDE, run, root / 'shared', cwd=root, env=clean)
        described = pool.submit(
            sh, bin_ / 'elm_nb', 'describe', '--run', run, '--vectors', run / 'vectors.npy', '--max-new-tokens', '4',
            cwd=root, env=clean,
        )  # fmt: skip
        demo_help = pool.submit(sh, bin_ / 'elm_nb', 'demo', '--help', cwd=root, env=clean)
        train_help = pool.submit(sh, bin_ / 'elm_nb', 'train', '--help', cwd=root, env=clean)
        read_vec = f"from elm_nb.embeddings import EmbeddingTable; EmbeddingTable.read({str(root / 'words.vec')!r})"
        missing = pool.submit(subprocess.run, [str(python), '-c', read_vec], capture_output=True, text=True, cwd=root,
                              env=clean)  # fmt: skip
    result = json.loads(inside.result()[0].strip().splitlines()[-1])
    print(
        f"inside it: imported {result['modules']} modules (the core and the recipes) without nbdev or fastcore; "
        f"described 3 vectors: {result['texts'][0]!r}, ..."
    )
    print(
        f"shared with save_pretrained ({', '.join(result['shared'])}), read back with from_pretrained: the same texts; "
        "peft alone loaded the LoRA on the base; the card holds the evaluation table"
    )
    lines = described.result()[0]
    rows = lines.strip().splitlines()
    if len(rows) != 2:
        sys.exit(f"FAILED: `elm_nb describe --vectors` printed {len(rows)} lines for 2 vectors:\n{lines}")
    print(f"the console script described 2 vectors from {run.name}/vectors.npy: one line each")
    demo_help.result()
    helped = train_help.result()[0]
    if '--no-group-by-length' not in helped or '--config' not in helped:
        sys.exit(f"FAILED: `elm_nb train --help` lacks the TrainConfig flags:\n{helped}")
    missing = missing.result()
    if missing.returncode == 0 or "pip install 'elm_nb[gensim]'" not in missing.stderr:
        sys.exit(f"FAILED: reading a .vec without gensim should name the extra:\n{missing.stderr[-1500:]}")
    print("`elm_nb train --help` lists every TrainConfig flag; a .vec without gensim names elm_nb[gensim]")
    start = time.perf_counter()
    demo = subprocess.run(
        [str(env / 'bin' / 'elm_nb'), 'demo', '--out', str(root / 'demo')],
        capture_output=True,
        text=True,
        cwd=root,
        env=clean,
    )
    took = time.perf_counter() - start
    if demo.returncode == 0 or "elm_nb[plot]" not in demo.stderr or took > 10:
        sys.exit(
            f"FAILED: without extras `elm_nb demo` should stop within 10 s naming the extra; "
            f"exit {demo.returncode} after {took:.0f} s:\n{demo.stderr[-2000:]}"
        )
    print(
        f"without extras, `elm_nb demo --help` works and `elm_nb demo` stops in {took:.1f} s: "
        f"{demo.stderr.strip().splitlines()[-1]}"
    )
    print("wheel test passed")


if __name__ == '__main__':
    main()
