"""What choosing among candidates buys on MovieLens, and what its read-back says to the confidence.

Per space, seed and part, the summary task's judged movies are described with k candidates, each read back into the
space (the sentence encoder in the semantic space, which made it; the task's text map in the behavioural one), and the
nearest kept (`evaluate.choosing`): k beams for k = 2, 4, 8 (with `first of k`, the beam search's best, and a control
that keeps a random beam). Genre F1 and decade accuracy are what the choice never sees. On 'valid' only, the greedy
text with 3 samples is chosen among too, beside its random control, to choose between beams and samples. Settings are
chosen on 'valid'; 'test' is for reporting.

`--recipe film_articles` does the same for the 997 Wikipedia film articles (the logline task; the encoder made the space
and reads back; SC MRR ranks a text among all films' loglines), trained as the own-domain tutorial trains them, with
the nearest-neighbour lookup's row beside it.

With `--confidence`, each MovieLens run's confidence is fitted afresh on its validation movies, with the read-back
signals offered (`readback_best`, `readback_spread`), and judged on its test movies; each signal's AUROC alone on the
test movies is recorded beside it, with 4 samples whether or not the calibration chose any.

The demo's CPU preset is trained (or resumed, or reused) for each space and seed. Points accumulate in
results/candidates_curve.json, one per space, seed and part.

    python tools/candidates_curve.py --embedding semantic --seed 0 1 --part valid
    python tools/candidates_curve.py --embedding semantic behavioural --seed 0 1 --part test --confidence
    python tools/candidates_curve.py --recipe film_articles --seed 0 1 --part test
"""

import argparse
import json
import shutil
import time
from functools import partial
from pathlib import Path

import numpy as np

from elm_nb.confidence import Confidence
from elm_nb.evaluate import choosing, confidence_step, task_rows
from elm_nb.evaluation import Evaluation
from elm_nb.files import write_json
from elm_nb.numeric import auroc
from elm_nb.train import TrainConfig, load_run, train
from elm_nb.recipes.movielens_demo import demo_config
from elm_nb.recipes.movielens_domain import movielens_domain
from elm_nb.recipes.movielens_evaluation import MovieLensExtension

RECORD = Path(__file__).resolve().parent.parent / 'results' / 'candidates_curve.json'
TASK = 'summary'


def rounded(x):
    "Floats to 4 places, through dicts and lists."
    if isinstance(x, dict):
        return {k: rounded(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [rounded(v) for v in x]
    return round(float(x), 4) if isinstance(x, (float, np.floating)) else x


def confidence_point(run, ev: Evaluation) -> dict:
    "The confidence fitted afresh on validation (the read-back signals offered), judged on test; each signal's AUROC."
    shutil.rmtree(run.folder / 'confidence', ignore_errors=True)
    start = time.perf_counter()
    summary, _ = confidence_step(ev, n_pairs=24)
    conf = Confidence(run, TASK, encoder=ev.encoder)
    c = conf.calibration
    ids = ev.judged('movie', TASK)
    v = conf.table.get(ids)
    texts, logprobs, sampled = conf.generate(v, 4, ev.batch_size, c['max_new_tokens'])
    S = conf.signals(v, texts, logprobs, sampled, exclude=[(i,) for i in ids])
    signals = [s for s in S.columns if s not in ('distance', 'percentile', 'far')]
    alone = {
        name: {s: auroc(S[s][~np.isnan(y)], y[~np.isnan(y)]) for s in signals}
        for name, y in conf.rights(texts, ids, labels=True).items()
    }
    return {
        'test': summary['entities'],
        'calibration': summary['calibration'],
        'sample_counts': c['sample_counts'],
        'validation_signal_auroc': {n: m['signal_auroc'] for n, m in c['models'].items()},
        'test_signal_auroc_with_4_samples': alone,
        'seconds': round(time.perf_counter() - start, 1),
    }


def point(embedding: str, seed: int, part: str, runs: Path, confidence: bool) -> dict:
    "One space, seed and part: beams and samples chosen among, with their controls and costs."
    cfg = demo_config(runs / f's{seed}', embedding, seed)
    train(cfg, partial(movielens_domain, embedding, 'ml-100k', seed=seed))  # returns at once when finished
    run = load_run(cfg.out_dir)
    ev = Evaluation(run, part, extension=MovieLensExtension())
    out = {'embedding': embedding, 'seed': seed, 'part': part, 'task': TASK, 'movies': len(ev.judged('movie', TASK))}
    out['beam'] = choosing(ev, (2, 4, 8), tasks=[TASK])[TASK]
    if part == 'valid':  # beams or samples: a setting, chosen on validation
        out['sample'] = choosing(ev, (4,), search='sample', tasks=[TASK])[TASK]
    if confidence and part == 'test':
        out['confidence'] = confidence_point(run, ev)
    return rounded(out)


def film_point(seed: int, part: str, runs: Path) -> dict:
    "One seed and part of the film articles: beams chosen among, beside the ELM's and the baselines' rows."
    from elm_nb.recipes.film_articles import FilmArticlesExtension, film_articles_domain

    run_dir = runs / f'films-seed{seed}'
    train(TrainConfig(out_dir=str(run_dir), seed=seed, stage2_steps=300), film_articles_domain())
    ev = Evaluation(load_run(run_dir), part, extension=FilmArticlesExtension())
    baselines = task_rows(ev, 'logline')[0]
    out = {'recipe': 'film_articles', 'seed': seed, 'part': part, 'task': 'logline'}
    out.update(films=len(ev.judged('film', 'logline')), baselines=baselines)
    out['beam'] = choosing(ev, (2, 4, 8), tasks=['logline'])['logline']
    return rounded(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--embedding', nargs='+', default=['semantic', 'behavioural'])
    p.add_argument('--seed', type=int, nargs='+', default=[0, 1])
    p.add_argument('--part', nargs='+', default=['valid'], choices=['valid', 'test'])
    p.add_argument('--runs', default='runs/candidates', help='where the runs are trained, or found finished')
    p.add_argument('--confidence', action='store_true', help="refit each run's confidence and judge it on test")
    p.add_argument('--recipe', default='movielens', choices=['movielens', 'film_articles'])
    args = p.parse_args()
    if args.recipe == 'film_articles':
        args.embedding = ['films']
    for seed in args.seed:
        for embedding in args.embedding:
            for part in args.part:
                found = (
                    film_point(seed, part, Path(args.runs))
                    if args.recipe == 'film_articles'
                    else point(embedding, seed, part, Path(args.runs), args.confidence)
                )
                points = json.loads(RECORD.read_text()) if RECORD.exists() else {}
                points[f"{embedding}-s{seed}-{part}"] = found
                write_json(RECORD, dict(sorted(points.items())))
                rows = found['beam']['rows']
                figure = 'genre F1' if args.recipe == 'movielens' else 'SC MRR'
                print(embedding, seed, part, {n: round(r[figure], 3) for n, r in rows.items()}, flush=True)


if __name__ == '__main__':
    main()
