"""What choosing among candidates buys on MovieLens: genre F1 and decade accuracy of the summaries when the candidate
read back nearest the vector is kept among k (the greedy text and k - 1 sampled), beside a control that keeps a random
one of the same k, for k = 1, 4, 8, 16, with the seconds per text.

The demo's CPU preset is trained (or resumed, or reused) for each space and seed, then its judged movies of `--part`
are described with 16 candidates once; every k reads the first k of them. The reader is the sentence encoder in the
semantic space (which made it) and the summary task's text map in the behavioural one. Settings are chosen on 'valid';
'test' is for reporting. Points accumulate in results/candidates_curve.json, one per space, seed and part.

    python tools/candidates_curve.py --embedding semantic behavioural --seed 0 1 --part valid
"""

import argparse
import json
import time
from functools import partial
from pathlib import Path

import numpy as np

from elm_nb.evaluation import Evaluation
from elm_nb.files import write_json
from elm_nb.interpret import describe_candidates
from elm_nb.metrics import TextMap
from elm_nb.train import load_run, train
from elm_nb.recipes.movielens_demo import demo_config
from elm_nb.recipes.movielens_domain import movielens_domain
from elm_nb.recipes.movielens_evaluation import MovieLensExtension

RECORD = Path(__file__).resolve().parent.parent / 'results' / 'candidates_curve.json'
KS, DRAWS, TASK = (1, 4, 8, 16), 5, 'summary'


def point(embedding: str, seed: int, part: str, runs: Path) -> dict:
    "One space, seed and part: the rows `chosen k=K` and `random k=K`, and the cost."
    cfg = demo_config(runs / f's{seed}', embedding, seed)
    train(cfg, partial(movielens_domain, embedding, 'ml-100k', seed=seed))  # returns at once when finished
    run = load_run(cfg.out_dir)
    ev = Evaluation(run, part, extension=MovieLensExtension())
    judged = ev.judged('movie', TASK)
    v, semantic = run.domain.tables['movie'].get(judged), run.domain.space.kind == 'semantic'
    choose = 'encoder' if semantic else TextMap.for_task(run.domain, TASK, encoder=ev.encoder)
    gen = dict(batch_size=ev.batch_size, max_new_tokens=ev.max_new_tokens)
    start = time.perf_counter()
    run.elm.generate(run.elm.prompts[TASK], v, **gen)
    greedy_s = (time.perf_counter() - start) / len(judged)
    start = time.perf_counter()
    picked = describe_candidates(run.elm, v, KS[-1], choose, TASK, encoder=ev.encoder, **gen)
    all_s = (time.perf_counter() - start) / len(judged)
    back, texts = np.stack(picked.readbacks), picked.candidates.tolist()
    kept = lambda columns: [texts[i][j] for i, j in enumerate(columns)]
    rng, rows = np.random.default_rng(seed), {}
    for k in KS:
        best = back[:, :k].argmax(1)
        rows[f'chosen k={k}'] = {**ev.extension.columns(ev, TASK, kept(best), judged)}
        rows[f'chosen k={k}']['readback'] = float(back[np.arange(len(back)), best].mean())
        control = [ev.extension.columns(ev, TASK, kept(rng.integers(0, k, len(judged))), judged) for _ in range(DRAWS)]
        rows[f'random k={k}'] = {m: float(np.mean([c[m] for c in control])) for m in control[0]}
    return {
        'embedding': embedding,
        'seed': seed,
        'part': part,
        'task': TASK,
        'reader': 'sentence encoder' if semantic else 'text map',
        'movies': len(judged),
        'greedy_s_per_text': round(greedy_s, 3),
        f'k{KS[-1]}_s_per_text': round(all_s, 3),
        'rows': {name: {m: round(float(x), 4) for m, x in r.items()} for name, r in rows.items()},
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--embedding', nargs='+', default=['semantic', 'behavioural'])
    p.add_argument('--seed', type=int, nargs='+', default=[0, 1])
    p.add_argument('--part', default='valid', choices=['valid', 'test'])
    p.add_argument('--runs', default='runs/candidates', help='where the runs are trained, or found finished')
    args = p.parse_args()
    for embedding in args.embedding:
        for seed in args.seed:
            found = point(embedding, seed, args.part, Path(args.runs))
            points = json.loads(RECORD.read_text()) if RECORD.exists() else {}
            points[f"{embedding}-s{seed}-{args.part}"] = found
            write_json(RECORD, dict(sorted(points.items())))
            print(json.dumps(found), flush=True)


if __name__ == '__main__':
    main()
