"""Do a change leave the numbers where they were? Train both default MovieLens ELMs and compare with a record.

    python tools/same_numbers.py --out runs/same-numbers --record results/same_numbers.json          # write the record
    python tools/same_numbers.py --out runs/same-numbers-new --compare results/same_numbers.json     # check against it

Trains the default CPU recipe (seed 0) for the behavioural and the semantic space (a finished run folder is reused),
judges each on the test split with `evaluation_report`, and keeps the validation losses (before training, after the
warm start, after stage 1 and after stage 2) and every number of the evaluation's tables, blends, edits and sections.
`--compare` exits 1 when a loss moved by more than 1e-6 or a table entry by more than 1e-4, and lists what moved.
Timings (seconds, tokens/s) are left out: they measure the machine, not the change.
"""

import argparse
import json
import math
import sys
from functools import partial
from pathlib import Path

from elm_nb.train import TrainConfig, train
from elm_nb.recipes.movielens_domain import movielens_domain
from elm_nb.recipes.movielens_evaluation import evaluation_report

KEPT = ('table', 'blends', 'edits', 'sections', 'confidence')
TIMING = ('seconds', 'tokens_per_s', 'step_seconds', 'minutes', 'eval_seconds')


def numbers(tree, prefix='') -> dict:
    "Every number in a JSON tree, keyed by its path; timings left out."
    if isinstance(tree, dict):
        return {
            k: v
            for key, sub in tree.items()
            if not any(t in str(key) for t in TIMING)
            for k, v in numbers(sub, f'{prefix}/{key}').items()
        }
    if isinstance(tree, list):
        return {k: v for i, sub in enumerate(tree) for k, v in numbers(sub, f'{prefix}[{i}]').items()}
    if isinstance(tree, bool) or not isinstance(tree, (int, float)):
        return {}
    return {prefix: float(tree)}


def record_of(run: Path) -> dict:
    "The losses of a finished run and the numbers of its test evaluation."
    report = json.loads((run / 'report.json').read_text())
    losses = {
        'before': report['eval_loss_before'],
        'after warm start': report['eval_loss_after_warm_start'],
        'after stage 1': report['stage1']['eval_loss'],
        'after stage 2': report['stage2']['eval_loss'],
    }
    if not (run / "evaluation.json").exists():
        evaluation_report(run, part='test', progress=False)
    saved = json.loads((run / 'evaluation.json').read_text())
    return {'losses': losses, 'evaluation': numbers({k: saved[k] for k in KEPT if k in saved})}


def moved(old: dict, new: dict) -> list[str]:
    "What differs between two records, one line each."
    out = []
    for kind, tol in (('losses', 1e-6), ('evaluation', 1e-4)):
        for key in sorted(set(old[kind]) | set(new[kind])):
            a, b = old[kind].get(key), new[kind].get(key)
            same = a is not None and b is not None and ((math.isnan(a) and math.isnan(b)) or abs(a - b) <= tol)
            if not same:
                out.append(f'{kind} {key}: {a} -> {b}')
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--out', default='runs/same-numbers')
    parser.add_argument('--record', help='write the record here')
    parser.add_argument('--compare', help='compare with the record here; exit 1 when anything moved')
    parser.add_argument('--embedding', nargs='+', default=['behavioural', 'semantic'])
    args = parser.parse_args()
    records = {}
    for kind in args.embedding:
        run = Path(args.out) / f'{kind}-seed0'
        if not (run / 'report.json').exists():
            train(TrainConfig(out_dir=str(run), seed=0), partial(movielens_domain, kind, seed=0))
        records[kind] = record_of(run)
        print(f'{kind}: losses {records[kind]["losses"]}, {len(records[kind]["evaluation"])} table numbers', flush=True)
    if args.record:
        Path(args.record).write_text(json.dumps(records, indent=1) + '\n')
    if args.compare:
        old = json.loads(Path(args.compare).read_text())
        lines = [f'{kind} {line}' for kind in records for line in moved(old[kind], records[kind])]
        print('\n'.join(lines) or 'the numbers did not move: losses to 1e-6, evaluation tables to 1e-4')
        sys.exit(1 if lines else 0)


if __name__ == '__main__':
    main()
