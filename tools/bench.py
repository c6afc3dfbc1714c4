"""elm_nb benchmark: ratios measured against a baseline in the same run, one `name=value` per line.

Run with `make bench` on an idle machine: another process computing on the same cores skews every figure
(the OpenMP threads of two processes oversubscribe the cores, and a step can take ten times as long).

    python tools/bench.py                # everything
    python tools/bench.py --only speed   # tools/speed.py --baseline: training and generation against the machine
    python tools/bench.py --only wals    # WALS fit time on ml-100k
    python tools/bench.py --only memory  # peak memory and time of WALS + recall on synthetic 1M and 5M ratings
    python tools/bench.py --only llm     # generation and training steps of the ELM
    python tools/bench.py --only bf16    # bf16 autocast against fp32 on the CPU: training steps, forward, generation
    # training steps with fused (SDPA) against plain (eager) attention, as `train` takes on a CPU
    python tools/bench.py --only attention
    python tools/bench.py --only editor  # the editor's regenerate against a plain describe of the same length
    python tools/bench.py --only candidates  # choosing among k candidates read back, against a plain describe
    # confidence for 32 vectors against a plain describe of them
    python tools/bench.py --only confidence --run runs/demo/behavioural
    # the CPU preset trained three ways (about 15 minutes): each speed-up against the recipe before it
    python tools/bench.py --only train
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from elm_nb.recipes.collaborative import fit_wals, recall_at_k
from elm_nb.recipes.movielens import behavioural_embeddings
from elm_nb.recipes.movielens_data import load_movielens


def timed(fn, repeat=3):
    "Median wall time of `repeat` calls of fn (after the caller's warm-up)."
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired(a, b, repeat=3) -> tuple[float, float]:
    """Median wall times of a and b, each warmed up once, then timed in turn: drift in the machine's load hits both
    alike."""
    a()
    b()
    ta, tb = [], []
    for _ in range(repeat):
        ta.append(timed(a, 1))
        tb.append(timed(b, 1))
    return statistics.median(ta), statistics.median(tb)


def say(name, value):
    print(f"{name}={value:.3f}" if isinstance(value, float) else f"{name}={value}", flush=True)


def wals():
    "WALS fit time on ml-100k (median of 3 fits after a warm-up)."
    ml = load_movielens('ml-100k')
    behavioural_embeddings(ml, evaluate=False)
    say('wals_fit_ml100k_s', timed(lambda: behavioural_embeddings(ml, evaluate=False)))


ML25M = {'ratings': 25_000_095, 'users': 162_541, 'movies': 59_047}  # MovieLens-25M (movies with at least one rating)


def synthetic_ratings(n_ratings: int, seed: int = 0, user_tail: float = 1.3, movie_tail: float = 1.5):
    """About `n_ratings` MovieLens-like ratings: users and movies in ML-25M's proportion to its ratings; ratings per
    user from a Pareto law (at least 35, tail index `user_tail`, at most 55% of the movies); each rating's movie from
    a power law of popularity, weight (rank + 2% of the movies) ** -movie_tail. Returns users, movies, ratings,
    n_users, n_movies."""
    rng = np.random.default_rng(seed)
    n_users, n_movies = (round(ML25M[k] * n_ratings / ML25M['ratings']) for k in ('users', 'movies'))
    want = 35 * (1 + rng.pareto(user_tail, n_users))
    for _ in range(3):
        want = np.minimum(want * n_ratings / want.sum(), 0.55 * n_movies)
    want = np.maximum(np.round(want).astype(np.int64), 1)
    weight = (rng.permutation(n_movies) + 0.02 * n_movies) ** -movie_tail
    cdf = np.cumsum(weight / weight.sum())
    key = np.empty(0, np.int64)  # user * n_movies + movie, sorted, unique
    for _ in range(8):  # draw each user's missing ratings; a repeated (user, movie) pair counts once
        short = np.maximum(want - np.bincount(key // n_movies, minlength=n_users), 0)
        if short.sum() <= 0.001 * n_ratings:
            break
        u = np.repeat(np.arange(n_users), np.ceil(short * 1.2).astype(np.int64))
        m = np.minimum(np.searchsorted(cdf, rng.random(len(u))), n_movies - 1)
        key = np.sort(np.concatenate([key, u * n_movies + m]))
        key = key[np.r_[True, key[1:] != key[:-1]]]
    key = np.sort(rng.choice(key, size=min(n_ratings, len(key)), replace=False))
    return key // n_movies, key % n_movies, rng.integers(1, 6, len(key)).astype(np.float32), n_users, n_movies


def peak_mb() -> float:
    "This process's own peak resident memory (Linux VmHWM); ru_maxrss would also count the process that spawned it."
    with open('/proc/self/status') as status:
        return next(int(line.split()[1]) for line in status if line.startswith('VmHWM')) / 1024  # KiB


def memory_child(path: str):
    """In a fresh process: fit WALS on 80% of the ratings in `path`, score recall@20 on the rest; print the figures
    as JSON."""
    d = np.load(path)
    users, movies, ratings, n_users, n_movies = (
        d['users'],
        d['movies'],
        d['ratings'],
        int(d['n_users']),
        int(d['n_movies']),
    )
    test = np.random.default_rng(0).random(len(users)) < 0.2
    train = (users[~test], movies[~test])
    held = (users[test], movies[test])
    r = ratings[~test]
    del users, movies, ratings, d
    out = {'base_mb': peak_mb()}
    start = time.perf_counter()
    U, V = fit_wals(*train, r, n_users, n_movies)
    out['fit_s'] = time.perf_counter() - start
    out['fit_peak_mb'] = peak_mb()
    start = time.perf_counter()
    out['recall'] = recall_at_k(U, V, train, held, 20)
    out['recall_s'] = time.perf_counter() - start
    out['peak_mb'] = peak_mb()
    print(json.dumps(out))


def memory(sizes=(1_000_000, 5_000_000)):
    """Peak memory (VmHWM of a fresh process per size) and time of `fit_wals` + chunked `recall_at_k` on synthetic
    MovieLens-like ratings, and their linear extrapolation to ML-25M's 25M ratings."""
    runs = {}
    for n in sizes:
        users, movies, ratings, n_users, n_movies = synthetic_ratings(n)
        tag = f'{n / 1e6:g}M'
        per_user, per_movie = np.bincount(users, minlength=n_users), np.bincount(movies, minlength=n_movies)
        say(f'memory_{tag}_ratings', len(users))
        say(f'memory_{tag}_users', n_users)
        say(f'memory_{tag}_movies', n_movies)
        say(f'memory_{tag}_ratings_per_user_median_max', f'{np.median(per_user):.0f},{per_user.max()}')
        say(f'memory_{tag}_ratings_per_movie_median_max', f'{np.median(per_movie):.0f},{per_movie.max()}')
        with tempfile.TemporaryDirectory() as tmp:
            np.savez(
                Path(tmp) / 'ratings.npz',
                users=users,
                movies=movies,
                ratings=ratings,
                n_users=n_users,
                n_movies=n_movies,
            )
            del users, movies, ratings
            run = subprocess.run(
                [sys.executable, __file__, '--memory-child', str(Path(tmp) / 'ratings.npz')],
                capture_output=True,
                text=True,
            )
        if run.returncode:
            sys.exit(f'memory run of {tag} ratings failed:\n{run.stderr[-3000:]}')
        r = runs[n] = json.loads(run.stdout.strip().splitlines()[-1])
        for k in ('base_mb', 'fit_peak_mb', 'peak_mb', 'fit_s', 'recall_s'):
            say(f'memory_{tag}_{k}', float(r[k]))
        say(
            f'memory_{tag}_dense_scores_mb', n_users * n_movies * 4 / 2**20
        )  # users x movies float32, what scoring used to hold
    (n1, r1), (n2, r2) = sorted(runs.items())[:1] + sorted(runs.items())[-1:]
    N = ML25M['ratings']
    for k in ('peak_mb', 'fit_s'):  # a straight line through the two sizes
        say(f'memory_25M_{k}_linear', r2[k] + (r2[k] - r1[k]) / (n2 - n1) * (N - n2))
    # scoring does users x movies dot products: with both growing like the ratings, its time grows with their square
    say('memory_25M_recall_s_quadratic', r2['recall_s'] * (N / n2) ** 2)
    say('memory_25M_dense_scores_mb', ML25M['users'] * ML25M['movies'] * 4 / 2**20)


def llm():
    "Generation and training steps of an ELM on SmolLM2, against the plain LM in the same run."
    from elm_nb.model import ELM, load_base_model

    movies = behavioural_embeddings(load_movielens('ml-100k'), evaluate=False).movies
    start = time.perf_counter()
    elm = ELM.build(movies, base='smollm2', n_tokens=4)
    say('load_s', time.perf_counter() - start)
    prompt, vec = 'Describe the movie <emb> in one sentence.', movies.vectors[0]
    gen = dict(max_new_tokens=32, min_new_tokens=32)

    # Generation: the first call of the process, then steady state, then batched vs one at a time.
    start = time.perf_counter()
    elm.generate(prompt, vec, **gen)
    say('first_generate_s', time.perf_counter() - start)
    single = timed(lambda: elm.generate(prompt, vec, **gen))
    say('generate_32_tokens_s', single)
    say('generate_tokens_per_s_batch1', 32 / single)
    vecs = movies.vectors[:32]
    batched = timed(lambda: elm.generate(prompt, vecs, batch_size=32, **gen), repeat=1)
    one_by_one = timed(lambda: [elm.generate(prompt, v, **gen) for v in vecs], repeat=1)
    say('generate_tokens_per_s_batch32', 32 * 32 / batched)
    say('batched_generation_speedup', one_by_one / batched)

    # Training steps on the same token count: batch 8 x 64 tokens, 4 soft tokens per example.
    B, T = 8, 64
    ids = torch.randint(100, 40000, (B, T))
    ids[:, 1 : 1 + elm.n_tokens] = elm.placeholder_id
    mask, w = torch.ones_like(ids), movies.vectors[:B]
    plain_ids = ids.masked_fill(ids == elm.placeholder_id, 7)
    elm.train()

    def plain_step():
        elm.lm(input_ids=plain_ids, attention_mask=mask, labels=plain_ids).loss.backward()
        elm.zero_grad(set_to_none=True)

    def elm_step():
        elm(ids, mask, w, labels=ids).loss.backward()
        elm.zero_grad(set_to_none=True)

    plain, spliced = paired(plain_step, elm_step)
    say('plain_step_s', plain)
    say('elm_step_s', spliced)
    say('step_overhead_ratio', spliced / plain)

    # Stage 1 (LM frozen, adapter trained) against full fine-tuning, each with its AdamW step.
    def step_fn(params):
        opt = torch.optim.AdamW(params, lr=1e-5)

        def step():
            elm(ids, mask, w, labels=ids).loss.backward()
            opt.step()
            opt.zero_grad(set_to_none=True)

        return step

    full = step_fn([p for p in elm.parameters() if p.requires_grad])
    full()
    full_s = timed(full)
    elm.lm.requires_grad_(False)
    frozen = step_fn(list(elm.adapter.parameters()))
    frozen()
    frozen_s = timed(frozen)
    say('full_step_s', full_s)
    say('frozen_step_s', frozen_s)
    say('frozen_step_ratio', frozen_s / full_s)
    say('train_tokens_per_s_full', B * T / full_s)
    say('train_tokens_per_s_frozen', B * T / frozen_s)

    # 4-bit footprint against fp32, same model.
    fp32 = elm.lm.get_memory_footprint()
    elm = None  # free the fp32 model before the 4-bit one loads
    lm4, _ = load_base_model('smollm2', load_in_4bit=True)
    say('fp32_bytes', fp32)
    say('fourbit_bytes', lm4.get_memory_footprint())
    say('fourbit_memory_ratio', lm4.get_memory_footprint() / fp32)


def bf16():
    """bf16 autocast against fp32 on the CPU (oneDNN uses AVX512-BF16 where the CPU has it): time and loss, same
    inputs, interleaved."""
    from elm_nb.model import ELM

    movies = behavioural_embeddings(load_movielens('ml-100k'), evaluate=False).movies
    elm = ELM.build(movies, base='smollm2', n_tokens=4)
    B, T = 16, 40
    ids = torch.randint(100, 40000, (B, T), generator=torch.Generator().manual_seed(0))
    ids[:, 1 : 1 + elm.n_tokens] = elm.placeholder_id
    mask, w = torch.ones_like(ids), movies.vectors[:B]
    autocast = lambda on: torch.autocast('cpu', dtype=torch.bfloat16, enabled=on)
    losses = {}

    def step(on, key):
        def run():
            with autocast(on):
                loss = elm(ids, mask, w, labels=ids).loss
            if key != 'forward':
                loss.backward()
                elm.zero_grad(set_to_none=True)
            losses[(key, on)] = loss.item()

        return run

    def compare(key):
        t32, t16 = paired(step(False, key), step(True, key))
        say(f'bf16_{key}_speedup', t32 / t16)
        say(f'{key}_tokens_per_s_fp32', B * T / t32)
        say(f'{key}_tokens_per_s_bf16', B * T / t16)
        say(f'bf16_{key}_loss_difference', abs(losses[(key, True)] - losses[(key, False)]))

    elm.train()
    compare('full_step')  # stage 2 with every weight trainable: the heaviest backward
    elm.lm.requires_grad_(False)
    compare('frozen_step')  # stage 1: the LM frozen, gradients reach the adapter only
    elm.eval()
    with torch.no_grad():
        compare('forward')
    prompt, gen = 'Describe the movie <emb> in one sentence.', dict(max_new_tokens=32, min_new_tokens=32)

    def generate(on):  # the LM's weights as bf16 copies (`bf16=True`) or in fp32 (the default)
        return elm.generate(prompt, movies.vectors[:16], batch_size=16, bf16=on, **gen)

    g32, g16 = paired(lambda: generate(False), lambda: generate(True), repeat=2)
    say('bf16_generate_speedup', g32 / g16)
    say('generate_tokens_per_s_batch16_fp32', 16 * 32 / g32)
    say('generate_tokens_per_s_batch16_bf16', 16 * 32 / g16)


def attention():
    """Training steps with PyTorch's fused attention (SDPA, flash attention on a CPU) against the plain ('eager') one
    that `train` takes on a CPU: stage 1 (LM frozen) and stage 2 (LoRA on every linear layer), bf16 autocast as on
    the CPU preset, same inputs, interleaved."""
    from peft import LoraConfig, get_peft_model

    from elm_nb.model import ELM, bf16_native

    movies = behavioural_embeddings(load_movielens('ml-100k'), evaluate=False).movies
    elm = ELM.build(movies, base='smollm2', n_tokens=4)
    B, T = 16, 64  # the CPU preset's batch; its examples run 20-70 tokens
    ids = torch.randint(100, 40000, (B, T), generator=torch.Generator().manual_seed(0))
    ids[:, 1 : 1 + elm.n_tokens] = elm.placeholder_id
    mask, w, labels = torch.ones_like(ids), movies.vectors[:B], ids.clone()
    labels[:, : T // 2] = -100  # the loss on the second half: the LM head reads target positions only, as in training
    losses = {}

    def step(attn, key):
        def run():
            elm.lm.set_attn_implementation(attn)
            with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16_native()):
                loss = elm(ids, mask, w, labels=labels).loss
            loss.backward()
            elm.zero_grad(set_to_none=True)
            losses[(key, attn)] = loss.item()

        return run

    def compare(key):
        tf, tp = paired(step('sdpa', key), step('eager', key))
        say(f'eager_{key}_speedup', tf / tp)
        say(f'{key}_s_sdpa', tf)
        say(f'{key}_s_eager', tp)
        say(f'eager_{key}_loss_difference', abs(losses[(key, 'sdpa')] - losses[(key, 'eager')]))

    elm.train()
    elm.lm.requires_grad_(False)
    compare('stage1_step')
    elm.lm = get_peft_model(elm.lm, LoraConfig(r=16, lora_alpha=32, target_modules='all-linear', task_type='CAUSAL_LM'))
    compare('stage2_step')


def editor():
    """The editor's regenerate (generation, trust measures, map and history) against a plain describe of the same 32
    tokens, SmolLM2 on this CPU."""
    from elm_nb.editor import EmbeddingEditor
    from elm_nb.interpret import attribute_cavs, describe
    from elm_nb.metrics import TextMap
    from elm_nb.model import ELM
    from elm_nb.recipes.movielens_domain import movie_attributes, movie_reference_texts

    ml = load_movielens('ml-100k')
    movies = behavioural_embeddings(ml, evaluate=False).movies
    elm = ELM.build(movies, base='smollm2', n_tokens=4)  # an untrained adapter generates as fast as a trained one
    elm.prompts = {
        'summary': 'Describe the movie <emb> in one sentence.'
    }  # what training records: the editor's task, describe's default
    cavs = attribute_cavs(movies, movie_attributes(ml), movies.ids, seed=0, only=['Comedy', 'Horror', 'popularity'])
    text_map = TextMap().fit(list(movie_reference_texts(ml)[movies.ids]), movies.vectors)
    gen = dict(min_new_tokens=32)  # every text exactly 32 tokens, so both sides do the same work
    start = time.perf_counter()
    ed = EmbeddingEditor(
        elm, {'movie': movies}, cavs=cavs, text_map=text_map, max_new_tokens=32, threaded=False, generate_kwargs=gen
    )
    say('editor_first_display_s', time.perf_counter() - start)
    v, alphas = movies.vectors[0], iter(range(1, 100))
    plain = lambda: describe(elm, v[None], max_new_tokens=32, **gen)

    def regenerate():
        ed.sliders['Horror'].value = float(next(alphas) % 8 + 1)  # a slider settles: one regenerate

    plain()
    regenerate()
    t_plain, t_editor = [], []
    for _ in range(3):
        t_plain.append(timed(plain, 1))
        t_editor.append(timed(regenerate, 1))  # interleaved
    say('describe_32_tokens_s', statistics.median(t_plain))
    say('editor_regenerate_32_tokens_s', statistics.median(t_editor))
    say('editor_regenerate_ratio', statistics.median(t_editor) / statistics.median(t_plain))


def candidates():
    """Choosing among k candidates (k beams, or the greedy text and k - 1 sampled; each read back by the sentence
    encoder) against a plain describe of the same 32 vectors, every text 32 tokens, SmolLM2 on this CPU: the cost per
    text of each k."""
    from elm_nb.interpret import describe
    from elm_nb.model import ELM
    from elm_nb.recipes.movielens import semantic_embeddings

    movies = semantic_embeddings(load_movielens('ml-100k'), progress=False)  # a space the encoder made: it reads back
    elm = ELM.build(movies, base='smollm2', n_tokens=4)  # an untrained adapter generates as fast as a trained one
    elm.prompts = {'summary': 'Describe the movie <emb> in one sentence.'}
    v, gen = movies.vectors[:32], dict(min_new_tokens=32, max_new_tokens=32, batch_size=32)
    plain = lambda: describe(elm, v, **gen)
    for k in (2, 4, 8):  # the default: k beams
        t_plain, t_chosen = paired(plain, lambda: describe(elm, v, candidates=k, **gen), repeat=2)
        say(f'candidates_ratio_k{k}', t_chosen / t_plain)
    t_plain, t_sampled = paired(plain, lambda: describe(elm, v, candidates=4, search='sample', **gen), repeat=2)
    say('candidates_ratio_sample_k4', t_sampled / t_plain)
    say('describe_32_vectors_s', t_plain)


def confidence(run_dir: str = 'runs/demo/behavioural'):
    """A calibrated confidence for a batch of 32 held-out vectors (greedy texts, their samples in one batch, every
    signal) against a plain batched describe of the same vectors, on a trained run (calibrated on its validation
    entities first if need be)."""
    from elm_nb.confidence import Confidence
    from elm_nb.interpret import describe
    from elm_nb.train import load_run

    if not (Path(run_dir) / 'elm' / 'elm.json').exists():
        print(f"confidence_skipped=no trained run in {run_dir}: `make demo` (or elm_nb train) makes one", flush=True)
        return
    run = load_run(run_dir)
    conf = Confidence(run)
    if conf.calibration is None:
        conf.fit()
    c = conf.calibration
    ids = [i for i in run.domain.split.ids(conf.kind, 'test') if i in conf.table][:32]
    v = conf.table.get(ids)
    plain = lambda: describe(run.elm, v, task=conf.task, batch_size=32, max_new_tokens=c['max_new_tokens'])
    scored = lambda: conf.score(v, batch_size=32)
    plain()
    scored()
    t_plain, t_conf = [], []
    for _ in range(3):
        t_plain.append(timed(plain, 1))
        t_conf.append(timed(scored, 1))  # interleaved
    say('confidence_samples', c['samples'])
    say('describe_32_vectors_s', statistics.median(t_plain))
    say('confidence_32_vectors_s', statistics.median(t_conf))
    say('confidence_ratio', statistics.median(t_conf) / statistics.median(t_plain))
    say('confidence_s_per_vector', statistics.median(t_conf) / len(ids))


def train_recipes():
    """The behavioural CPU preset trained end to end three ways, same seed and steps, each a speed-up on the one before:
    the previous recipe (shuffled batches, the LM head on every position), the LM head on target positions only (the
    same loss), then length-grouped batches (`group_by_length`, an option: off by default, for what it costs in F1).
    Prints each one's wall time and phases, the ratios, and validation genre F1 (the summaries of the 141 validation
    movies). All three train with plain attention on a CPU, as `train` does (the `attention` section measures that
    choice)."""
    from functools import partial

    import elm_nb.model
    from elm_nb.train import TrainConfig, load_run, train
    from elm_nb.recipes.movielens_domain import movielens_domain
    from elm_nb.recipes.movielens_metrics import genre_report

    start = time.perf_counter()
    subprocess.run(
        [sys.executable, '-c', 'import elm_nb.train, elm_nb.evaluate, elm_nb.recipes.movielens_metrics, elm_nb.cli'],
        check=True,
    )
    say('import_s', time.perf_counter() - start)  # process start-up and imports, as every command pays them
    keeps_logits = elm_nb.model._keeps_logits
    recipes = {
        'previous': (False, False),
        'head': (False, True),
        'head_grouped': (True, True),
    }  # (group_by_length, head on targets only)
    seconds, f1 = {}, {}
    ml = load_movielens('ml-100k')
    with tempfile.TemporaryDirectory() as tmp:
        for name, (grouped, head) in recipes.items():
            elm_nb.model._keeps_logits = keeps_logits if head else (lambda lm: False)
            out = Path(tmp) / name
            # a function, not a Domain: train builds it, so the data and WALS seconds count in the run's time, as they
            # always did
            train(TrainConfig(out_dir=str(out), group_by_length=grouped), partial(movielens_domain, 'behavioural'))
            report = json.loads((out / 'report.json').read_text())
            seconds[name] = report['seconds']
            say(f'train_s_{name}', report['seconds'])
            for stage in ('stage1', 'stage2'):
                say(f'{stage}_tokens_per_s_{name}', report[stage]['tokens_per_s'])
            for phase, s in report['phase_seconds'].items():
                say(f'phase_s_{name}_{phase}', s)
            run = load_run(out)
            table, _ = genre_report(run.elm, ml, run.domain.split, run.domain.space, part='valid')
            f1[name] = float(table.loc['ELM', 'f1'])
            say(f'valid_genre_f1_{name}', f1[name])
            del run
    elm_nb.model._keeps_logits = keeps_logits
    names = list(recipes)
    for before, after in zip(names, names[1:]):
        say(f'speedup_{after}_vs_{before}', seconds[before] / seconds[after])
        say(f'valid_f1_change_{after}_vs_{before}', f1[after] - f1[before])
    say('speedup_total', seconds[names[0]] / seconds[names[-1]])


def speed():
    """`tools/speed.py --baseline`: the machine's matmul throughput at the model's shapes, stage-2 and generation speed
    against it and paired against the commit before the speed work, and one stage-2 step taken apart."""
    subprocess.run([sys.executable, str(Path(__file__).with_name('speed.py')), '--baseline'], check=True)


def main():
    p = argparse.ArgumentParser(description='elm_nb benchmark: one name=value per line.')
    p.add_argument(
        '--only',
        choices=['speed', 'wals', 'memory', 'llm', 'bf16', 'attention', 'editor', 'candidates', 'confidence', 'train'],
        help='run one section; default: all, in this order',
    )
    p.add_argument(
        '--run',
        default='runs/demo/behavioural',
        help='the trained run the confidence section reads (default: the demo\'s behavioural ELM)',
    )
    p.add_argument(
        '--memory-child', help=argparse.SUPPRESS
    )  # internal: one size of the memory section, in a fresh process
    args = p.parse_args()
    if args.memory_child:
        return memory_child(args.memory_child)
    torch.manual_seed(0)
    say('torch_threads', torch.get_num_threads())
    sections = (
        ('speed', speed),
        ('wals', wals),
        ('memory', memory),
        ('llm', llm),
        ('bf16', bf16),
        ('attention', attention),
        ('editor', editor),
        ('candidates', candidates),
        ('confidence', lambda: confidence(args.run)),
        ('train', train_recipes),
    )
    for name, section in sections:
        if args.only in (None, name):
            section()


if __name__ == '__main__':
    main()
