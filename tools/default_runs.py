"""The default ELMs (CPU preset) over several training seeds, judged by `evaluation_report` beside their baselines.

Each run trains in runs/default-current/<embedding>-seed<N> (a finished run is reused) and is judged on the 141 test
movies and 141 test users (settings were chosen on the validation split). A movie-only behavioural ELM of the same seed
(runs/movie-only-current/behavioural-seed<N>, the CPU preset without the user tasks) is the baseline that reads user
vectors as if they were movies; it is trained when missing. Results accumulate in results/evaluation_runs.json, one
entry per run folder (earlier recipes' runs stay in it, under their own folders); README and the notebooks quote the
current folder's. Time runs on an idle machine.

    python tools/default_runs.py --embedding behavioural semantic --seed 0 1
    python tools/default_runs.py --table              # seed means as markdown, from the record (the runs in --out)
"""

import argparse
import json
from functools import partial
from pathlib import Path

import pandas as pd

from elm_nb.evaluate import seed_means
from elm_nb.files import markdown_table, write_json
from elm_nb.train import TrainConfig, train
from elm_nb.recipes.movielens_domain import movielens_domain
from elm_nb.recipes.movielens_evaluation import evaluation_report

RESULTS = Path(__file__).resolve().parent.parent / 'results' / 'evaluation_runs.json'


def evaluate_run(run: Path, movie_only: Path | None, part: str = 'test') -> dict:
    "The evaluation report of a finished run, with its training minutes."
    cfg = json.loads((run / 'config.json').read_text())
    report = json.loads((run / 'report.json').read_text())
    recipe = json.loads((run / 'domain.json').read_text())[
        'settings'
    ]  # the space and tasks are the recipe's, not TrainConfig's
    out = evaluation_report(run, part=part, movie_only=movie_only, progress=False)
    saved = json.loads((run / 'evaluation.json').read_text())
    return {
        'run': str(run),
        'embedding': recipe['embedding'],
        'seed': cfg['seed'],
        'tasks': recipe['tasks'],
        'part': part,
        'minutes': round(report['seconds'] / 60, 2),
        'tokens_per_s': [report['stage1']['tokens_per_s'], report['stage2']['tokens_per_s']],
        'eval_seconds': out['seconds'],
        **{
            k: saved[k]
            for k in ('table', 'blends', 'edits', 'settings', 'examples', 'confidence', 'sections')
            if k in saved
        },
    }


def table(points: list) -> str:
    "Markdown: seed means per space of the movie summary task, the user task, blends and edits."
    lines = []
    for kind in ('behavioural', 'semantic'):
        runs = sorted([p for p in points if p['embedding'] == kind], key=lambda p: p['seed'])
        if not runs:
            continue
        seeds = ', '.join(str(p['seed']) for p in runs)
        lines += [
            f"### {kind} ELM, test split, mean of seeds {seeds} "
            f"({', '.join(str(p['minutes']) for p in runs)} training minutes)",
            '',
        ]
        for task, cols in (
            ('summary', ['genre F1', 'decade acc', 'SC', 'SC MRR', 'BC', 'BC rank %']),
            ('genres', ['genre F1', 'SC', 'SC MRR', 'BC', 'BC rank %']),
            ('user_profile', ['genre hit', 'recall@20', 'genre F1', 'SC', 'SC MRR', 'BC']),
        ):
            t = seed_means(runs, task, cols)
            if len(t):
                lines += [f'{task}:', '', markdown_table(t.round(3)), '']
        b = pd.DataFrame([p['blends'] for p in runs], index=[f"seed {p['seed']}" for p in runs])
        lines += ['blends:', '', markdown_table(b.round(3)), '']
        e = {}
        for p in runs:
            for name, s in p['edits'].items():
                e.setdefault(name, []).append(s)
        rows = {
            name: {
                'kind': s[0]['kind'],
                'accuracy': sum(x['accuracy'] for x in s) / len(s),
                'names (mean of seeds)': ' '.join(f'{sum(v) / len(v):.2f}' for v in zip(*[x['names'] for x in s]))
                if 'names' in s[0]
                else '',
                'score (mean of seeds)': ' '.join(f'{sum(v) / len(v):.2f}' for v in zip(*[x['score'] for x in s])),
                'monotone score (seeds)': sum(x['score_monotone'] for x in s),
            }
            for name, s in e.items()
        }
        lines += ['edits:', '', markdown_table(pd.DataFrame(rows).T), '']
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument(
        '--embedding', nargs='+', default=['behavioural', 'semantic'], choices=['behavioural', 'semantic']
    )
    parser.add_argument('--seed', type=int, nargs='+', default=[0, 1])
    parser.add_argument('--out', default='runs/default-current')
    parser.add_argument(
        '--movie-only', default='runs/movie-only-current', help='folder of the movie-only behavioural runs'
    )
    parser.add_argument('--table', action='store_true', help='print the recorded results as markdown, and stop')
    args = parser.parse_args()
    if args.table:
        return print(
            table([p for p in json.loads(RESULTS.read_text()) if Path(p['run']).parent == Path(args.out)])
        )  # the runs in --out
    for seed in args.seed:
        for kind in args.embedding:
            run = Path(args.out) / f'{kind}-seed{seed}'
            if not (run / 'report.json').exists():
                train(TrainConfig(out_dir=str(run), seed=seed), partial(movielens_domain, kind, seed=seed))
            other = None
            if kind == 'behavioural':
                other = Path(args.movie_only) / f'behavioural-seed{seed}'
                if not (other / 'report.json').exists():  # the preset before users joined
                    train(
                        TrainConfig(out_dir=str(other), seed=seed, stage2_steps=130),
                        partial(movielens_domain, kind, tasks=('summary', 'genres'), seed=seed),
                    )
            result = evaluate_run(run, other)
            points = [
                p for p in (json.loads(RESULTS.read_text()) if RESULTS.exists() else []) if p['run'] != result['run']
            ]
            write_json(RESULTS, points + [result])
            s = result['table']['summary']
            print(
                f"{kind} seed {seed}: {result['minutes']} min; test summary genre F1 ELM {s['ELM']['genre F1']:.3f}, "
                f"k-NN {s['k-NN vote']['genre F1']:.3f}, "
                f"SC MRR ELM {s['ELM']['SC MRR']:.3f}, BC rank ELM {s['ELM']['BC rank %']:.1f}%; "
                f"evaluated in {result['eval_seconds']:.0f} s",
                flush=True,
            )


if __name__ == '__main__':
    main()
