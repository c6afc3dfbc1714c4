"""The default ELMs (CPU preset) over several training seeds: genre F1 on the validation and the test movies, beside the baselines.

Each run trains in runs/default/<embedding>-seed<N> (a finished run is reused) and is scored with `genre_report` on the
141 validation movies (where settings are chosen) and the 141 test movies (the reported figures). Results accumulate in
results/default_runs.json, one entry per run folder; README and 06_metrics quote them. Time runs on an idle machine.

    python tools/default_runs.py --embedding behavioural semantic --seed 0 1
"""
import argparse, json, time
from pathlib import Path
from elm_nb.data import Split, load_movielens, write_json
from elm_nb.embeddings import EmbeddingTable
from elm_nb.metrics import genre_report
from elm_nb.model import ELM
from elm_nb.train import TrainConfig, train

RESULTS = Path(__file__).resolve().parent.parent/'results'/'default_runs.json'

def evaluate_run(run:Path)->dict:
    "Genre tables of a finished run on its validation and test movies."
    cfg = json.loads((run/'config.json').read_text()); report = json.loads((run/'report.json').read_text())
    table, split = EmbeddingTable.load(run/'movies'), Split.load(run/'split.json')
    elm, ml = ELM.load(run/'elm', space=table), load_movielens(cfg['dataset'])
    out = {'run': str(run), 'embedding': cfg['embedding'], 'seed': cfg['seed'], 'split_seed': cfg['split_seed'],
           'minutes': round(report['seconds'] / 60, 2), 'tokens_per_s': [report['stage1']['tokens_per_s'], report['stage2']['tokens_per_s']],
           'eval_loss': [report['eval_loss_before'], report['stage1']['eval_loss'], report['stage2']['eval_loss']]}
    for part in ('valid', 'test'):
        start = time.perf_counter()
        scores, texts = genre_report(elm, ml, split, table, part=part)
        out[part] = scores.round(4).to_dict(orient='index'); out[f'{part}_examples'] = texts[:5]
        out[f'{part}_eval_seconds'] = round(time.perf_counter() - start, 1)
    return out

ROWS = [('ELM', '**ELM**'), ('k-NN vote', 'k-NN vote of training movies (k, share tuned on validation)'),
        ('nearest neighbour', "nearest training movie's genres"), ('prior', 'genre prior (one best set for all)'),
        ('random movie', "a random training movie's genres"), ('constant description', 'one constant description'),
        ('linear probe', 'linear probe on the vectors (a ceiling more than a baseline)')]

def table(points:list, part:str='test')->str:
    "Markdown: precision / recall / F1 per row and space, mean over the recorded seeds, with F1 per seed."
    import pandas as pd
    lines = [f"| {part} genres | " + ' | '.join(f'{k} P / R / F1 (seeds {", ".join(str(p["seed"]) for p in points if p["embedding"] == k)})'
                                             for k in ('behavioural', 'semantic')) + ' |', '|---|---|---|']
    for key, label in ROWS:
        cells = []
        for kind in ('behavioural', 'semantic'):
            runs = [p[part][key] for p in sorted(points, key=lambda p: p['seed']) if p['embedding'] == kind and key in p[part]]
            if not runs: cells.append('n/a'); continue
            m = pd.DataFrame(runs).mean()
            f1 = f"**{m.f1:.3f}**" if key == 'ELM' else f"{m.f1:.3f}"
            per_seed = ' / '.join(f"{r['f1']:.3f}" for r in runs)
            cells.append(f"{m.precision:.3f} / {m.recall:.3f} / {f1} ({per_seed})")
        lines.append(f"| {label} | " + ' | '.join(cells) + ' |')
    return '\n'.join(lines)

def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--embedding', nargs='+', default=['behavioural', 'semantic'], choices=['behavioural', 'semantic'])
    parser.add_argument('--seed', type=int, nargs='+', default=[0, 1])
    parser.add_argument('--out', default='runs/default')
    parser.add_argument('--table', choices=['valid', 'test'], help='print the recorded results as a markdown table, and stop')
    args = parser.parse_args()
    if args.table: return print(table(json.loads(RESULTS.read_text()), args.table))
    for seed in args.seed:
        for kind in args.embedding:
            run = Path(args.out)/f'{kind}-seed{seed}'
            if not (run/'report.json').exists(): train(TrainConfig(embedding=kind, out_dir=str(run), seed=seed))
            result = evaluate_run(run)
            points = [p for p in (json.loads(RESULTS.read_text()) if RESULTS.exists() else []) if p['run'] != result['run']]
            write_json(RESULTS, points + [result])
            print(f"{kind} seed {seed}: {result['minutes']} min; test F1 ELM {result['test']['ELM']['f1']:.3f}, "
                  f"nearest neighbour {result['test']['nearest neighbour']['f1']:.3f}, prior {result['test']['prior']['f1']:.3f}, "
                  f"random {result['test']['random movie']['f1']:.3f}; valid F1 ELM {result['valid']['ELM']['f1']:.3f}", flush=True)

if __name__ == '__main__': main()
