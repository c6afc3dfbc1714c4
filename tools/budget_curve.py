"""Validation genre F1 against training minutes: how far more CPU time takes ELM towards the linear probe.

Each point is a full run of the CPU preset with both stages' step counts scaled by `--scale` (1 = the defaults),
then `genre_report` on its 141 validation movies (a budget is a setting: it is chosen on validation). Points accumulate
in results/budget_curve.json (one per run folder), which nbs/22_movielens_metrics.ipynb plots. Time a point on an idle
machine: a second job on the 2 cores doubles it.

    python tools/budget_curve.py --embedding semantic --scale 0.5 2.2      # train and evaluate two budgets
    python tools/budget_curve.py --record nbs/runs/semantic                # add a run trained elsewhere
"""

import argparse
import json
from functools import partial
from pathlib import Path

from elm_nb.files import write_json
from elm_nb.train import TrainConfig, load_run, train
from elm_nb.recipes.movielens_data import load_movielens
from elm_nb.recipes.movielens_domain import movielens_domain
from elm_nb.recipes.movielens_metrics import genre_report


def score_valid(run_dir: Path) -> dict:
    """Genre table of a run's summaries of its validation movies, beside the baselines; kept in
    run_dir/genres-valid.json."""
    run = load_run(run_dir)
    d = run.domain
    table, texts = genre_report(run.elm, load_movielens(d.settings['dataset']), d.split, d.space, part='valid')
    result = {'part': 'valid', 'table': table.round(4).to_dict(orient='index'), 'examples': texts[:10]}
    write_json(run_dir / 'genres-valid.json', result)
    return result


RESULTS = Path(__file__).resolve().parent.parent / 'results' / 'budget_curve.json'


def point(run_dir: Path) -> dict:
    "One curve point from a finished, evaluated run folder."
    cfg = json.loads((run_dir / 'config.json').read_text())
    recipe = json.loads((run_dir / 'domain.json').read_text())[
        'settings'
    ]  # the space and tasks are the recipe's, not TrainConfig's
    report = json.loads((run_dir / 'report.json').read_text())
    if 'seconds' not in report:
        raise SystemExit(f"{run_dir}/report.json has no total 'seconds'; retrain it with this version.")
    if report['stage1'].get('resumed_from') or report['stage2'].get('resumed_from'):
        raise SystemExit(f"{run_dir} was resumed, so its wall time is not one run's; train it again in a fresh folder.")
    scored = run_dir / 'genres-valid.json'
    genres = json.loads(scored.read_text()) if scored.exists() else score_valid(run_dir)
    table = genres['table']
    probe = next(v for k, v in table.items() if k.startswith('linear probe'))
    nn = next(v for k, v in table.items() if k.startswith('nearest neighbour'))
    return {
        'run': str(run_dir),
        'embedding': recipe['embedding'],
        'seed': cfg['seed'],
        'tasks': recipe['tasks'],
        'stage1_steps': cfg['stage1_steps'],
        'stage2_steps': cfg['stage2_steps'],
        'minutes': round(report['seconds'] / 60, 2),
        'tokens_per_s': [report['stage1']['tokens_per_s'], report['stage2']['tokens_per_s']],
        'eval_loss': [report['eval_loss_before'], report['stage1']['eval_loss'], report['stage2']['eval_loss']],
        'precision': table['ELM']['precision'],
        'recall': table['ELM']['recall'],
        'f1': table['ELM']['f1'],
        'nearest_neighbour_f1': nn['f1'],
        'linear_probe_f1': probe['f1'],
        'prior_f1': table['prior']['f1'],
    }


def record(p: dict, results: Path = RESULTS):
    "Add or replace the point of p['run'] in the results file, written atomically."
    points = json.loads(results.read_text()) if results.exists() else []
    points = [q for q in points if q['run'] != p['run']] + [p]
    results.parent.mkdir(parents=True, exist_ok=True)
    write_json(results, points)
    print(
        f"{p['embedding']} seed {p['seed']}: {p['stage1_steps']}+{p['stage2_steps']} steps, {p['minutes']:.1f} min, "
        f"F1 {p['f1']:.3f} (nearest neighbour {p['nearest_neighbour_f1']:.3f}, probe {p['linear_probe_f1']:.3f})",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--embedding', choices=['behavioural', 'semantic'])
    parser.add_argument('--scale', type=float, nargs='*', default=[], help='step budgets relative to the CPU preset')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', default='runs/curve', help='folder for the run folders')
    parser.add_argument('--record', nargs='*', default=[], help='finished run folders to add as they are')
    args = parser.parse_args()
    if args.scale and not args.embedding:
        parser.error('--scale needs --embedding')
    base = TrainConfig()
    for scale in args.scale:
        out = Path(args.out) / f'{args.embedding}-x{scale:g}-seed{args.seed}'
        if (out / 'report.json').exists():
            raise SystemExit(f'{out} holds a finished run; remove it or --record it.')
        train(
            TrainConfig(
                out_dir=str(out),
                seed=args.seed,
                stage1_steps=round(base.stage1_steps * scale),
                stage2_steps=round(base.stage2_steps * scale),
            ),
            partial(movielens_domain, args.embedding, seed=args.seed),
        )
        record(point(out))
    for run in args.record:
        record(point(Path(run)))


if __name__ == '__main__':
    main()
