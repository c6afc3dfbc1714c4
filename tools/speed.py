"""Where the time of training and generation goes, against the machine's own matmul throughput.

    python tools/speed.py                      # everything below, on the default CPU recipe's behavioural domain
    python tools/speed.py --only matmul        # the machine's GFLOP/s at SmolLM2-135M's shapes, bf16 and fp32
    python tools/speed.py --only stage2        # stage-2 steps as `train` runs them: tokens/s, padding, share of ceiling
    python tools/speed.py --only breakdown     # one stage-2 step taken apart: attention, MLP, head, LoRA, ...
    python tools/speed.py --only generate      # generation tokens/s at batch 1, 16, 64; prefill against decode
    python tools/speed.py --baseline COMMIT    # also stage-2 and generation speed-ups against COMMIT, paired

Every figure is printed as `name=value`, like `tools/bench.py`, which runs this file in `make bench`. The paired
speed-ups run the same measurement with this checkout's library and with COMMIT's (a git worktree put first on
PYTHONPATH), in alternating subprocesses, so drift in the machine's speed hits both alike. Run on an idle machine.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[1]
# the last commit before the speed work: `--baseline` defaults to it
BASELINE = os.environ.get('ELM_NB_SPEED_BASELINE', 'aea917f')


def say(name, value):
    print(f'{name}={value:.4g}' if isinstance(value, float) else f'{name}={value}', flush=True)


def shapes(config, tokens: int) -> list[tuple[int, int, int, int]]:
    "The matmuls of one forward pass over `tokens` positions: (count, M, K, N) each, the LM head at every position."
    h, f, heads, kv = (
        config.hidden_size,
        config.intermediate_size,
        config.num_attention_heads,
        config.num_key_value_heads,
    )
    d, L = h // heads, config.num_hidden_layers
    return [
        (2 * L, tokens, h, h),  # q and o projections
        (2 * L, tokens, h, kv * d),  # k and v
        (2 * L, tokens, h, f),  # gate and up
        (L, tokens, f, h),  # down
        (1, tokens, h, config.vocab_size),  # the LM head
    ]


def matmul_gflops(config, tokens: int = 640, repeat: int = 5) -> dict:
    "GFLOP/s of the forward pass's matmuls at the model's shapes, run back to back (bf16 and fp32)."
    out = {}
    for name, dtype in (('bf16', torch.bfloat16), ('fp32', torch.float32)):
        mats = [
            (n, torch.randn(m, k, dtype=dtype), torch.randn(k, nn, dtype=dtype))
            for n, m, k, nn in shapes(config, tokens)
        ]
        flop = sum(2 * n * a.shape[0] * a.shape[1] * b.shape[1] for n, a, b in mats)

        def run():
            for n, a, b in mats:
                for _ in range(n):
                    torch.mm(a, b)

        out[name] = flop / _timed(run, repeat) / 1e9
    return out


def linear_params(config) -> tuple[int, int]:
    "(parameters of the layers' linear maps, of the LM head): the FLOP of a token is twice each it passes through."
    flops = sum(n * k * nn for n, _, k, nn in shapes(config, 1))
    head = config.hidden_size * config.vocab_size
    return flops - head, head


def domain_folder(out: Path) -> Path:
    "The default CPU recipe's behavioural MovieLens domain (seed 0), saved once into `out`."
    if not (out / 'domain.json').exists():
        from elm_nb.recipes.movielens_domain import movielens_domain

        movielens_domain('behavioural', seed=0).save(out)
    return out


def _stage2_trainer(folder: Path, steps: int, work: str):
    "A Trainer for stage 2 exactly as `train` sets it up (LoRA, the adapter's learning rate, length-grouped batches)."
    from elm_nb.checkpoint import ELMTrainer
    from elm_nb.domain import Domain, ELMCollator, ELMDataset
    from elm_nb.train import TrainConfig, _args, _build_elm, _start_stage2

    cfg = TrainConfig(out_dir=work, save_steps=10**6, logging_steps=10**6)
    domain = Domain.load(folder)
    elm, _, _ = _build_elm(cfg, domain)
    _start_stage2(elm, cfg)
    train_ds = ELMDataset(domain.examples['train'], domain.tables, cfg.input_noise)
    collate = ELMCollator(elm, cfg.max_target_tokens)
    args = _args(cfg, Path(work) / 'stage2', steps, cfg.stage2_lr)
    args.disable_tqdm = True
    trainer = ELMTrainer(model=elm, args=args, train_dataset=train_ds, data_collator=collate, adapter_lr=cfg.adapter_lr)
    return trainer, elm, collate


def stage2(folder: Path, steps: int = 14, skip: int = 4) -> dict:
    "Stage-2 steps of the CPU recipe: seconds per step, non-padding tokens/s and the padding share, after `skip`."
    from transformers import TrainerCallback

    marks, shares = [], []

    class Clock(TrainerCallback):
        def on_step_end(self, args, state, control, **kw):
            marks.append((time.perf_counter(), state.num_input_tokens_seen))

    with tempfile.TemporaryDirectory() as work:
        trainer, elm, collate = _stage2_trainer(folder, steps, work)

        def counting(items):
            batch = collate(items)
            shares.append(1 - batch['attention_mask'].float().mean().item())
            return batch

        counting.lengths = collate.lengths  # length grouping asks the collator for lengths
        trainer.data_collator = counting
        trainer.add_callback(Clock())
        trainer.train()
    (t0, n0), (t1, n1) = marks[skip - 1], marks[-1]
    kept = _kept_share(elm, collate, folder)
    return {
        'step_s': (t1 - t0) / (len(marks) - skip),
        'tokens_per_s': (n1 - n0) / (t1 - t0),
        'padding_share': statistics.mean(shares),
        'head_share': kept,
    }


def _kept_share(elm, collate, folder: Path) -> float:
    "Share of a batch's non-padding positions the LM head scores (from the first target position of the batch on)."
    from elm_nb.domain import Domain, ELMDataset

    domain = Domain.load(folder)
    ds = ELMDataset(domain.examples['train'][:256], domain.tables)
    batch = collate([ds[i] for i in range(len(ds))])
    start = (batch['labels'] != -100).any(0).nonzero()[0].item()
    return batch['attention_mask'][:, start:].sum().item() / batch['attention_mask'].sum().item()


def generate(folder: Path, batch: int = 64, new_tokens: int = 32, bf16: bool = False) -> dict:
    """Generation tokens/s of an ELM of the recipe's shapes (untrained: the same work) at `batch` vectors at once, in
    fp32 (`generate`'s default) or with `bf16=True`."""
    from elm_nb.domain import Domain
    from elm_nb.train import TrainConfig, _build_elm, _training_attention

    domain = Domain.load(folder)
    elm, _, attention = _build_elm(TrainConfig(out_dir=tempfile.mkdtemp()), domain)
    _training_attention(elm, attention)  # the attention a trained or loaded ELM writes with, as `train` leaves it
    elm.eval()
    table = domain.tables[domain.kind]
    prompt = next(p for t, p in domain.prompts.items() if domain.task_kinds[t] == domain.kind)
    vectors = table.vectors[:batch]
    kw = dict(max_new_tokens=new_tokens, min_new_tokens=new_tokens, **({'bf16': True} if bf16 else {}))
    elm.generate(prompt, vectors[: min(batch, 8)], batch_size=batch, **kw)  # warm-up
    start = time.perf_counter()
    elm.generate(prompt, vectors, batch_size=batch, **kw)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    elm.generate(prompt, vectors, batch_size=batch, **{**kw, 'max_new_tokens': 1, 'min_new_tokens': 1})
    prefill = time.perf_counter() - start
    return {
        'tokens_per_s': batch * new_tokens / seconds,
        'seconds': seconds,
        'prefill_s': prefill,
        'decode_tokens_per_s': batch * (new_tokens - 1) / max(seconds - prefill, 1e-9),
    }


def breakdown(folder: Path) -> dict:
    """One stage-2 step taken apart on a real batch: each part run alone (forward and backward, bf16 autocast as in
    training) on the inputs it gets in the full step, beside the full step."""
    with tempfile.TemporaryDirectory() as work:
        trainer, elm, collate = _stage2_trainer(folder, 1, work)
        ds = trainer.train_dataset
        batch = collate([ds[i] for i in range(16)])
        parts = _part_inputs(elm, batch)
        out = {}
        autocast = torch.autocast('cpu', dtype=torch.bfloat16)
        opt = trainer.create_optimizer()

        def step():
            with autocast:
                loss = elm(**batch).loss
            loss.backward()
            opt.step()
            opt.zero_grad(set_to_none=True)

        out['full_step_s'] = _timed(step)

        def alone(module, args, kwargs):
            def run():
                with autocast:
                    y = module(*args, **kwargs)
                (y[0] if isinstance(y, tuple) else y).float().sum().backward()

            return _timed(run)

        for name, (module, args, kwargs, count) in parts.items():
            out[f'{name}_s'] = alone(module, args, kwargs) * count
        with elm.lm.disable_adapter():  # the same layers without their LoRA: the difference is LoRA's work
            bare = {n: alone(*parts[n][:3]) * parts[n][3] for n in ('attention', 'mlp')}
        out['lora_s'] = sum(out[f'{n}_s'] - bare[n] for n in bare)
        with autocast:
            elm(**batch).loss.backward()
        out['optimizer_s'] = _timed(opt.step)  # on the gradients of one step, kept
        opt.zero_grad(set_to_none=True)
        items = [ds[i] for i in range(16)]
        out['collate_s'] = _timed(lambda: collate(items))
    parts_s = (
        'attention_s',
        'mlp_s',
        'head_s',
        'adapter_s',
        'optimizer_s',
        'collate_s',
    )  # LoRA is inside the first two
    out['other_s'] = out['full_step_s'] - sum(out[k] for k in parts_s)
    return out


def _timed(fn, repeat: int = 3) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


_NO_CACHE = ('cache', 'past_key_values')


def _part_inputs(elm, batch: dict) -> dict:
    """name -> (module, args, kwargs, how many such modules a step runs), the inputs caught in a real forward pass:
    the first layer's attention and MLP (without their LoRA, and the LoRA alone), the head, the adapter."""
    caught = {}
    lm = elm.lm.get_base_model() if hasattr(elm.lm, 'get_base_model') else elm.lm
    layer = lm.model.layers[0]
    targets = {'attention': layer.self_attn, 'mlp': layer.mlp, 'head': lm.lm_head, 'adapter': elm.adapter}

    def catcher(name):
        def hook(module, args, kwargs):
            if name not in caught:
                grad = lambda a: a.detach().requires_grad_(a.is_floating_point()) if torch.is_tensor(a) else a
                caught[name] = (
                    tuple(grad(a) for a in args),
                    # the layer's input gets a gradient, as in training; the cache would grow with each timed call
                    {k: grad(v) if k == 'hidden_states' else v for k, v in kwargs.items() if k not in _NO_CACHE},
                )

        return hook

    handles = [m.register_forward_pre_hook(catcher(n), with_kwargs=True) for n, m in targets.items()]
    with torch.no_grad(), torch.autocast('cpu', dtype=torch.bfloat16):
        elm(**batch)
    for h in handles:
        h.remove()
    L = len(lm.model.layers)
    return {n: (targets[n], *caught[n], L if n in ('attention', 'mlp') else 1) for n in targets}


def _subprocess(library: Path, what: str, folder: Path) -> dict:
    "Run one measurement in a fresh process with `library` first on the path; its JSON result."
    env = {**os.environ, 'PYTHONPATH': str(library)}
    run = subprocess.run(
        [sys.executable, __file__, '--child', what, '--domain', str(folder)], capture_output=True, text=True, env=env
    )
    if run.returncode:
        raise RuntimeError(f'{what} with {library} failed:\n{run.stderr[-3000:]}')
    return json.loads(run.stdout.strip().splitlines()[-1])


def paired(baseline: str, folder: Path, what: str, rounds: int = 2) -> tuple[dict, dict]:
    "The measurement with this checkout's library and with `baseline`'s, alternating; medians of each key."
    tree = Path(tempfile.gettempdir()) / f'elm_nb_speed_{baseline}'
    if not tree.exists():
        subprocess.run(
            ['git', '-C', str(REPO), 'worktree', 'add', '--detach', str(tree), baseline],
            check=True,
            capture_output=True,
        )
    now, then = [], []
    for _ in range(rounds):
        now.append(_subprocess(REPO, what, folder))
        then.append(_subprocess(tree, what, folder))
    median = lambda runs: {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    return median(now), median(then)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--only', choices=['matmul', 'stage2', 'breakdown', 'generate'])
    parser.add_argument('--baseline', nargs='?', const=BASELINE, help=f'pair against this commit (default {BASELINE})')
    parser.add_argument('--domain', help='a saved domain folder (default: built once into the cache)')
    parser.add_argument('--child', help=argparse.SUPPRESS)
    args = parser.parse_args()
    torch.manual_seed(0)
    cached = Path(tempfile.gettempdir()) / 'elm_nb_speed_domain'
    folder = Path(args.domain) if args.domain else (cached if args.only == 'matmul' else domain_folder(cached))
    if args.child:
        bf16 = lambda f: generate(f, bf16=True)  # bf16=True: the baseline's autocast, this checkout's bf16 copies
        print(json.dumps({'stage2': stage2, 'generate': generate, 'generate_bf16': bf16}[args.child](folder)))
        return
    from transformers import AutoConfig

    from elm_nb.base_lm import resolve_base

    config = AutoConfig.from_pretrained(resolve_base('smollm2'))
    todo = [args.only] if args.only else ['matmul', 'stage2', 'breakdown', 'generate']
    gflops = matmul_gflops(config) if {'matmul', 'stage2'} & set(todo) else {}
    for k, v in gflops.items():
        say(f'matmul_gflops_{k}', v)
    if 'stage2' in todo:
        s = stage2(folder)
        layers, head = linear_params(config)
        per_token = 4 * layers + 4 * head * s['head_share']  # forward and activation gradients, no weight gradients
        say('stage2_step_s', s['step_s'])
        say('stage2_tokens_per_s', s['tokens_per_s'])
        say('stage2_padding_share', s['padding_share'])
        say('stage2_gflop_per_token', per_token / 1e9)
        say('stage2_share_of_ceiling', s['tokens_per_s'] * per_token / 1e9 / gflops['bf16'])
    if 'breakdown' in todo:
        for k, v in breakdown(folder).items():
            say(f'stage2_part_{k}', v)
    if 'generate' in todo:
        for batch in (1, 16, 64):
            g = generate(folder, batch)
            say(f'generate_tokens_per_s_batch{batch}', g['tokens_per_s'])
            say(f'generate_prefill_s_batch{batch}', g['prefill_s'])
            say(f'generate_decode_tokens_per_s_batch{batch}', g['decode_tokens_per_s'])
        say('generate_tokens_per_s_batch64_bf16', generate(folder, 64, bf16=True)['tokens_per_s'])
    if args.baseline:
        for what, key in (('stage2', 'tokens_per_s'), ('generate', 'tokens_per_s'), ('generate_bf16', 'tokens_per_s')):
            now, then = paired(args.baseline, folder, what)
            say(f'{what}_tokens_per_s_now', now[key])
            say(f'{what}_tokens_per_s_{args.baseline}', then[key])
            say(f'{what}_speedup_vs_previous', now[key] / then[key])


if __name__ == '__main__':
    main()
