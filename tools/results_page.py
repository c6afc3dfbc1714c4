"""Write results/README.md, the page of measured results, from the records in results/ (never typed by hand).

    python tools/results_page.py           # rewrite results/README.md
    python tools/results_page.py --check   # exit 1 when the committed page differs from what the records give

The records are written by the tools that measure (`tools/default_runs.py`, `make demo`, the studies' scripts); this
page only reads them: the default ELMs on the test split (seed means, each seed beside them), their blends, edits and
confidence, the explanations of a recommendation, the demo's checks and timings, and an index of every record.
"""

import argparse
import json
import math
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent.parent / 'results'
PAGE = RESULTS / 'README.md'
DEFAULT_RUNS = 'runs/default-current'
TASK_COLUMNS = {
    'summary': ['genre F1', 'decade acc', 'SC', 'SC MRR', 'BC', 'BC rank %'],
    'genres': ['genre F1', 'SC', 'SC MRR', 'BC', 'BC rank %'],
    'user_profile': ['genre hit', 'recall@20', 'genre F1', 'SC', 'SC MRR', 'BC'],
}


def cell(v) -> str:
    "A table cell: numbers to three decimals, nothing for a missing value."
    if v is None or isinstance(v, float) and math.isnan(v):
        return ''
    if isinstance(v, float):
        return f'{v:.3f}'
    return str(v).replace('|', '/').replace('\n', ' ')


def markdown(rows: dict, columns: list | None = None, corner: str = '') -> list[str]:
    "Lines of a markdown table from {row name: {column: value}}."
    columns = columns or list(dict.fromkeys(c for r in rows.values() for c in r))
    lines = [f"| {corner} | {' | '.join(columns)} |", '|---' * (len(columns) + 1) + '|']
    lines += [f"| {name} | {' | '.join(cell(r.get(c)) for c in columns)} |" for name, r in rows.items()]
    return lines + ['']


def seeds_cell(values: list) -> str:
    "Mean of the seeds, then each seed: `0.638 (0.648 / 0.627)`; one figure when the seeds agree (a baseline)."
    values = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not values:
        return ''
    mean = sum(values) / len(values)
    spread = max(values) - min(values) > 5e-4
    return f'{mean:.3f}' + (f" ({' / '.join(f'{v:.3f}' for v in values)})" if spread else '')


def default_runs(points: list) -> list[str]:
    "The default ELMs of each space: every task's table, blends, edits and confidence, seed by seed."
    md = []
    for kind in ('behavioural', 'semantic'):
        runs = sorted((p for p in points if p['embedding'] == kind), key=lambda p: p['seed'])
        if not runs:
            continue
        seeds = ' / '.join(str(p['seed']) for p in runs)
        minutes = ' / '.join(str(p['minutes']) for p in runs)
        md += [
            f'## The {kind} ELM, test split, seeds {seeds}',
            '',
            f'Training minutes {minutes}; each cell is the mean of the seeds, then each seed.',
            '',
        ]
        for task, columns in TASK_COLUMNS.items():
            rows = {}
            for method in runs[0]['table'].get(task, {}):
                rows[method] = {c: seeds_cell([p['table'][task].get(method, {}).get(c) for p in runs]) for c in columns}
            if rows:
                md += [f'### {task}', ''] + markdown(rows, columns, 'method')
        blends = {
            k: seeds_cell([p['blends'].get(k) for p in runs])
            for k in runs[0].get('blends', {})
            if isinstance(runs[0]['blends'][k], (int, float))
        }
        if blends:
            md += ['### blends of two entities', ''] + markdown(
                {k: {'ELM': v} for k, v in blends.items()}, corner='measure'
            )
        edits = {
            name: {
                'kind': e['kind'],
                'accuracy': seeds_cell([p['edits'][name]['accuracy'] for p in runs]),
                'monotone score (seeds)': sum(bool(p['edits'][name]['score_monotone']) for p in runs),
            }
            for name, e in runs[0].get('edits', {}).items()
        }
        if edits:
            md += ['### edits along concept directions', ''] + markdown(edits, corner='direction')
        conf = {}
        for right in runs[0].get('confidence', {}).get('entities', {}):
            judged = [p['confidence']['entities'][right] for p in runs]
            conf[f'right by {right}'] = {
                k: seeds_cell([j.get(k) for j in judged])
                for k in (
                    'right_share',
                    'validation_right_share',
                    'auroc',
                    'ece',
                    'ece_fitted_here',
                    'error_all',
                    'error_at_half',
                )
            }
        if conf:
            md += ['### confidence', ''] + markdown(conf, corner='')
    return md


def explanations(record: dict) -> list[str]:
    "The explanations of a recommendation on the test split, seed by seed."
    md = ['## Explanations of a recommendation (behavioural ELM, test split)', '', record.get('what', ''), '']
    for run in record.get('test', []):
        md += [
            f"### seed {run['seed']}: {run['summary'].get('pairs')} pairs of {run['summary'].get('users')} users",
            '',
        ]
        for title, table in run.get('tables', {}).items():
            columns = list(table)
            rows = {
                m: {c: table[c].get(m) for c in columns} for m in dict.fromkeys(m for c in columns for m in table[c])
            }
            md += [f'{title}:', ''] + markdown(rows, columns, 'method')
    return md


def demo(record: dict) -> list[str]:
    "The demo's checks, timings and examples."
    md = ['## The demo (`make demo`)', '']
    md += [f"- {'PASS' if ok else 'FAIL'}: {check}" for check, ok in record.get('checks', {}).items()] + ['']
    md += markdown({'seconds': record.get('seconds', {})}, corner='')
    movies = record.get('examples', {}).get('movies', [])
    if movies:
        md += ['Held-out movies, described from their vectors:', '']
        md += markdown({m['movie']: {k: v for k, v in m.items() if k != 'movie'} for m in movies}, corner='movie')
    return md


def choosing(points: dict) -> list[str]:
    """Choosing among candidates read back (tools/candidates_curve.py): per space and part, each row's figures that the
    choice never sees, seed by seed."""
    md = ['## Choosing among candidates read back', '']
    md += [
        'The summary (MovieLens) or logline (film articles) of each judged entity, kept among k candidates by reading '
        'each back into the space: `first of k` is the beam search\'s best, `chosen of k` the beam read back nearest '
        'the vector, `random of k` a random beam (the control); `sampled` rows choose among the greedy text and '
        'samples instead. `chosen of 1` is the greedy text. Mean of the seeds, then each seed.',
        '',
    ]
    groups = {}
    for p in points.values():
        groups.setdefault((p.get('embedding', 'films'), p['part']), []).append(p)
    for (space, part), runs in sorted(groups.items(), key=lambda kv: (kv[0][1] != 'test', kv[0][0])):
        runs = sorted(runs, key=lambda p: p['seed'])
        if 'beam' not in runs[0]:
            continue
        columns = ['genre F1', 'decade acc'] if space != 'films' else ['SC', 'SC MRR', 'SC top-10']
        rows = {}
        for search in ('beam', 'sample'):
            for name in runs[0].get(search, {}).get('rows', {}):
                label = name if search == 'beam' else f'sampled: {name}'
                if search == 'sample' and name == 'chosen of 1':
                    continue
                found = [r[search]['rows'][name] for r in runs if name in r.get(search, {}).get('rows', {})]
                rows[label] = {c: seeds_cell([f.get(c) for f in found]) for c in columns}
        if space == 'films':
            for name in ('nearest neighbour', 'retrieval through the encoder'):
                rows[name] = {c: seeds_cell([r['baselines'][name].get(c) for r in runs]) for c in columns}
        seeds = ', '.join(str(r['seed']) for r in runs)
        md += [f"### {space}, {part} split (seeds {seeds}; read back by the {runs[0]['beam']['reader']})", '']
        md += markdown(rows, columns)
    return md


def index() -> list[str]:
    "Every record in results/, with what it says it holds."
    md = ['## Every record', '']
    for path in sorted(RESULTS.iterdir()):
        if path == PAGE or path.name.startswith('.'):
            continue
        what = ''
        if path.suffix == '.json':
            data = json.loads(path.read_text())
            what = data.get('what', '') if isinstance(data, dict) else f'{len(data)} entries'
        md.append(f'- [{path.name}]({path.name}{"/" if path.is_dir() else ""}){": " + what if what else ""}')
    return md + ['']


def page() -> str:
    md = [
        '# Results',
        '',
        'Generated by `python tools/results_page.py` from the records in this folder; the tools that measure write '
        'the records. Reported figures are on the test split; every setting was chosen on the validation split.',
        '',
    ]
    runs = RESULTS / 'evaluation_runs.json'
    if runs.exists():
        md += default_runs([p for p in json.loads(runs.read_text()) if Path(p['run']).parent == Path(DEFAULT_RUNS)])
    if (RESULTS / 'explain_head_threshold.json').exists():
        md += explanations(json.loads((RESULTS / 'explain_head_threshold.json').read_text()))
    if (RESULTS / 'demo' / 'demo.json').exists():
        md += demo(json.loads((RESULTS / 'demo' / 'demo.json').read_text()))
    if (RESULTS / 'candidates_curve.json').exists():
        md += choosing(json.loads((RESULTS / 'candidates_curve.json').read_text()))
    return '\n'.join(md + index()).rstrip() + '\n'


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--check', action='store_true', help='compare with the committed page instead of writing it')
    args = parser.parse_args()
    text = page()
    if args.check:
        same = PAGE.exists() and PAGE.read_text() == text
        print(
            'results/README.md '
            + (
                'equals what the records give'
                if same
                else 'differs from what the records give: run python tools/results_page.py'
            )
        )
        sys.exit(0 if same else 1)
    PAGE.write_text(text)
    print(f'wrote {PAGE.relative_to(RESULTS.parent)} ({len(text)} characters)')


if __name__ == '__main__':
    main()
