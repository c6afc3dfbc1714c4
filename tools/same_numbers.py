"""Does a change leave the numbers where they were? Train both default MovieLens ELMs and compare with a record.

    python tools/same_numbers.py --out runs/same-numbers --record results/same_numbers.json          # write the record
    python tools/same_numbers.py --out runs/same-numbers-new --compare results/same_numbers.json     # check against it

Trains the default CPU recipe (seed 0) for the behavioural and the semantic space (a finished run folder is reused),
judges each on the test split with `evaluation_report`, and keeps the validation losses (before training, after the
warm start, after stage 1 and after stage 2) and every number of the evaluation's tables, blends, edits and sections.
`--compare` exits 1 when a loss moved by more than 1e-6 or a table entry by more than 1e-4, and lists what moved.
Timings (seconds, tokens/s) are left out: they measure the machine, not the change. To record a commit before
a change, run this file with that commit's library first on the path (about 35 minutes on 2 idle cores):

    git worktree add /tmp/before 6c9369b
    PYTHONPATH=/tmp/before python tools/same_numbers.py --out runs/before --record runs/before/record.json
    python tools/same_numbers.py --out runs/after --compare runs/before/record.json
"""

import argparse
import json
import math
import sys
from functools import partial
from pathlib import Path

from elm_nb.train import TrainConfig, train

try:
    from elm_nb.recipes.movielens_domain import movielens_domain
    from elm_nb.recipes.movielens_evaluation import evaluation_report
except ImportError:  # the library before its recipe was split (6c9369b and earlier): the record to compare with
    from elm_nb.recipes.movielens import movielens_domain
    from elm_nb.recipes.movielens_metrics import evaluation_report

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


def losses_of(run: Path) -> dict:
    "The validation losses of a finished run."
    report = json.loads((run / 'report.json').read_text())
    return {
        'before': report['eval_loss_before'],
        'after warm start': report['eval_loss_after_warm_start'],
        'after stage 1': report['stage1']['eval_loss'],
        'after stage 2': report['stage2']['eval_loss'],
    }


def evaluation_of(run: Path) -> dict:
    "Every number of the run's test evaluation (judged first if the folder has none)."
    if not (run / 'evaluation.json').exists():
        evaluation_report(run, part='test', progress=False)
    saved = json.loads((run / 'evaluation.json').read_text())
    return numbers({k: saved[k] for k in KEPT if k in saved})


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
    records, runs = {}, {kind: Path(args.out) / f'{kind}-seed0' for kind in args.embedding}
    for kind, run in runs.items():  # both trainings first: their losses are the first figures to compare
        if not (run / 'report.json').exists():
            train(TrainConfig(out_dir=str(run), seed=0), partial(movielens_domain, kind, seed=0))
        records[kind] = {'losses': losses_of(run), 'evaluation': {}}
        print(f'{kind}: losses {records[kind]["losses"]}', flush=True)
    for kind, run in runs.items():
        records[kind]['evaluation'] = evaluation_of(run)
        print(f'{kind}: {len(records[kind]["evaluation"])} table numbers', flush=True)
    if args.record:
        Path(args.record).write_text(json.dumps(records, indent=1) + '\n')
    if args.compare:
        old = json.loads(Path(args.compare).read_text())
        lines = [f'{kind} {line}' for kind in records for line in moved(old[kind], records[kind])]
        print('\n'.join(lines) or 'the numbers did not move: losses to 1e-6, evaluation tables to 1e-4')
        sys.exit(1 if lines else 0)


if __name__ == '__main__':
    main()
