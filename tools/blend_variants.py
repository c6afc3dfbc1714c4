"""Blends of the MovieLens ELMs, by the labels each text names, beside a linear probe: train the demo's ELM of one space
with a share of blend examples (or reuse a finished run), evaluate it on a part with many blend pairs, print one line of
figures.

    python tools/blend_variants.py --embedding behavioural --seed 0 --blends 0.25 --out runs/blends-25 --part valid
    python tools/blend_variants.py --embedding behavioural --seed 0 --input-noise 0.5 --out runs/noise-05 \\
        --part valid --pairs 96
    python tools/blend_variants.py --embedding behavioural --seed 1 --blends 0.25 --blend-spread 1.5 \\
        --out runs/spread-15 --part valid --pairs 96
    # a finished run, evaluated only
    python tools/blend_variants.py --run runs/demo/behavioural --part test --pairs 96

Each line also goes to results/blend_variants.jsonl. The figures: genre F1 of held-out summaries (and the probe's),
the mean over pairs of Spearman(alpha, share of a's genres named - share of b's) for the ELM's texts and for the
probe's genres at the same points, the share of pairs whose score never rises, the midpoint naming a genre of each
end (ELM, probe, the nearest real movie), the share of pairs whose ends each reader reads and both readers' Spearman
on the pairs both read, and the held-out users' genre F1 and SC MRR."""

import argparse
import dataclasses
import json
import sys
import time
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def figures(run: Path) -> dict:
    "One line of figures from a run's evaluation.json."
    e = json.loads((run / 'evaluation.json').read_text())
    b, s = e['blends'], e['table']['summary']
    r = {
        'run': str(run),
        'part': e['part'],
        'pairs': b['pairs'],
        'genre_f1': s['ELM']['genre F1'],
        'probe_f1': s.get('linear probe', {}).get('genre F1'),
        'label_spearman': b['label_spearman'],
        'probe_label_spearman': b['probe_label_spearman'],
        'label_monotone': b['label_monotone_share'],
        'probe_monotone': b['probe_label_monotone_share'],
        'mid_both': b['midpoint_names_both'],
        'probe_mid_both': b['probe_midpoint_has_both'],
        'nearest_both': b['nearest_has_both'],
        'ends_read': b.get('ends_read_share'),
        'probe_ends_read': b.get('probe_ends_read_share'),
        'label_spearman_ends_read': b.get('label_spearman_ends_read'),
        'probe_label_spearman_ends_read': b.get('probe_label_spearman_ends_read'),
    }
    if 'user_profile' in e['table']:
        u = e['table']['user_profile']['ELM']
        r.update(user_f1=u['genre F1'], user_mrr=u['SC MRR'])
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()}


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--run', help='a finished run to evaluate (instead of training one)')
    p.add_argument('--embedding', default='behavioural', choices=['behavioural', 'semantic'])
    p.add_argument('--seed', type=int, default=0)
    p.add_argument(
        '--blends', type=float, default=0.0, help='blend examples as a share of the summary and genres examples'
    )
    p.add_argument(
        '--blend-spread',
        type=float,
        default=1.0,
        help="blend targets name an end's genres while spread x its weight reaches half "
        "(movielens_domain's blend_spread)",
    )
    p.add_argument('--out', help='where to train (the run goes to OUT/EMBEDDING)')
    p.add_argument(
        '--input-noise',
        type=float,
        default=0.0,
        help="TrainConfig.input_noise: noise on each training vector, in units of the space's spread",
    )
    p.add_argument('--part', default='valid', choices=['valid', 'test'])
    p.add_argument('--pairs', type=int, default=48)
    args = p.parse_args()
    from elm_nb.train import train
    from elm_nb.recipes.movielens_demo import demo_config
    from elm_nb.recipes.movielens_domain import movielens_domain
    from elm_nb.recipes.movielens_evaluation import evaluation_report

    extra = {}
    if args.run:
        run = Path(args.run)
    else:
        if not args.out:
            sys.exit('--out: where to train (or --run: a finished run)')
        cfg = dataclasses.replace(demo_config(args.out, args.embedding, args.seed), input_noise=args.input_noise)
        run, start = Path(cfg.out_dir), time.time()
        train(
            cfg,
            partial(
                movielens_domain,
                args.embedding,
                'ml-100k',
                seed=args.seed,
                blends=args.blends,
                blend_spread=args.blend_spread,
            ),
        )
        extra = {
            'blends': args.blends,
            'blend_spread': args.blend_spread,
            'input_noise': args.input_noise,
            'seed': args.seed,
            'train_s': round(time.time() - start),
        }
    start = time.time()
    evaluation_report(run, part=args.part, n_pairs=args.pairs, confidence=False, progress=False)
    row = {**figures(run), **extra, 'eval_s': round(time.time() - start)}
    print(json.dumps(row))
    with open(REPO / 'results' / 'blend_variants.jsonl', 'a') as f:
        f.write(json.dumps(row) + '\n')


if __name__ == '__main__':
    main()
