"""A prepared check of the GPU presets: for a maintainer with one GPU for ten minutes, no network and no hub weights.

    python tools/gpu_check.py                  # on a GPU: gpu-lora and gpu-qlora at the 0.5B, 1.5B and 3B shapes
    python tools/gpu_check.py --sizes 0.5B     # fewer sizes
    python tools/gpu_check.py --tiny           # the same path on the tiny Llama, on the CPU (what `make test` runs)

On a machine without a GPU (and without --tiny) it says so in one line and exits 0.

The models are Qwen2.5-Instruct's architectures at their real shapes, randomly initialised from the configurations
written below (no hub), with SmolLM2's bundled tokenizer: what they say is noise, but their work, memory and speed
are the real models'. Each preset trains through `elm_nb.train` on MovieLens examples (the summary task) for a few
dozen steps, each run in its own process, and the check prints one line per run: whether it ran, peak GPU memory,
stage-2 tokens/s and seconds. `gpu-qlora` needs bitsandbytes; without it that run is reported as skipped. Exit 1 if
a run that could run failed.
"""

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Qwen2.5-{0.5B,1.5B,3B}-Instruct (config.json of each hub repository)
QWEN25 = {
    '0.5B': dict(hidden_size=896, intermediate_size=4864, num_hidden_layers=24, num_attention_heads=14),
    '1.5B': dict(hidden_size=1536, intermediate_size=8960, num_hidden_layers=28, num_attention_heads=12),
    '3B': dict(hidden_size=2048, intermediate_size=11008, num_hidden_layers=36, num_attention_heads=16),
}
QWEN25_COMMON = dict(
    vocab_size=151936,
    num_key_value_heads=2,
    tie_word_embeddings=True,
    rope_theta=1e6,
    rms_norm_eps=1e-6,
    max_position_embeddings=32768,
    hidden_act='silu',
)
PRESETS = ('gpu-lora', 'gpu-qlora')
# a few dozen steps of each stage; everything else is the preset's
SHORT = dict(warm_start_steps=20, stage1_steps=10, stage2_steps=30, save_steps=10**6, eval_examples=32)


def model_folder(size: str, out: Path, device: str) -> Path:
    "A randomly initialised Qwen2.5 of `size` in bf16, with SmolLM2's tokenizer, saved where `from_pretrained` reads."
    import torch
    from transformers import AutoTokenizer, Qwen2Config, Qwen2ForCausalLM

    from elm_nb.base_lm import resolve_base

    config = Qwen2Config(**QWEN25_COMMON, **QWEN25[size])
    torch.manual_seed(0)
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.bfloat16)  # built in bf16 on the device: no fp32 copy of a 3B model anywhere
    try:
        with torch.device(device):
            model = Qwen2ForCausalLM(config)
    finally:
        torch.set_default_dtype(default)
    model.save_pretrained(out)
    AutoTokenizer.from_pretrained(resolve_base('smollm2')).save_pretrained(out)
    del model  # the runs load it from the folder, each in its own process: this one keeps no GPU memory
    if device.startswith('cuda'):
        torch.cuda.empty_cache()
    return out


def movielens(out: Path) -> Path:
    "The behavioural MovieLens domain with the summary task alone, saved once."
    if not (out / 'domain.json').exists():
        from elm_nb.recipes.movielens_domain import movielens_domain

        movielens_domain('behavioural', tasks=('summary',), seed=0).save(out)
    return out


def run_one(preset: str, base: str, domain: str, out: str, tiny: bool) -> dict:
    "Train one preset on `base` in this process; what it measured."
    import torch

    from elm_nb.domain import Domain
    from elm_nb.train import TrainConfig, train

    overrides = dict(SHORT, base=base, out_dir=out)
    if tiny:  # the CPU: no bf16 GPU kernels, no paged optimizer (it needs CUDA), small batches
        overrides.update(bf16=False, optim='adamw_torch', batch_size=8)
    cfg = TrainConfig.preset(preset, **overrides)
    if torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats()
    start = time.perf_counter()
    train(cfg, Domain.load(domain))
    report = json.loads((Path(out) / 'report.json').read_text())
    return {
        'seconds': round(time.perf_counter() - start, 1),
        'stage2_tokens_per_s': report['stage2']['tokens_per_s'],
        'stage2_eval_loss': round(report['stage2']['eval_loss'], 3),
        'peak_gpu_gb': round(torch.cuda.max_memory_allocated() / 2**30, 2) if torch.cuda.is_available() else None,
    }


def check(preset: str, size: str, base: str, domain: Path, work: Path, tiny: bool) -> bool:
    "Run one preset in a fresh process and print its line; False when it failed."
    if preset == 'gpu-qlora' and importlib.util.find_spec('bitsandbytes') is None:
        print(f'{preset:10} {size:5} skipped: bitsandbytes is not installed (pip install bitsandbytes)', flush=True)
        return True
    out = work / f'{preset}-{size}'
    args = ['--child', preset, '--base', base, '--domain', str(domain), '--out', str(out)] + (
        ['--tiny'] if tiny else []
    )
    run = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if run.returncode:
        print(f'{preset:10} {size:5} FAILED\n{run.stderr[-2500:]}', flush=True)
        return False
    r = json.loads(run.stdout.strip().splitlines()[-1])
    memory = f"peak GPU {r['peak_gpu_gb']} GB, " if r['peak_gpu_gb'] is not None else ''
    print(
        f"{preset:10} {size:5} ran: {memory}stage 2 {r['stage2_tokens_per_s']} tokens/s, "
        f"{r['seconds']} s in all (eval loss {r['stage2_eval_loss']})",
        flush=True,
    )
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--tiny', action='store_true', help='the tiny Llama on the CPU: the path make test runs')
    parser.add_argument('--sizes', nargs='+', default=list(QWEN25), choices=list(QWEN25))
    parser.add_argument('--child', help=argparse.SUPPRESS)
    parser.add_argument('--base', help=argparse.SUPPRESS)
    parser.add_argument('--domain', help=argparse.SUPPRESS)
    parser.add_argument('--out', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.base, args.domain, args.out, args.tiny)))
        return
    import torch

    if not args.tiny and not torch.cuda.is_available():
        print(
            'gpu_check: no GPU here (torch.cuda.is_available() is False); nothing to check. --tiny runs the CPU path.'
        )
        return
    start, ok = time.perf_counter(), True
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        domain = movielens(work / 'domain')
        sizes = ['tiny'] if args.tiny else args.sizes
        for size in sizes:
            base = 'tiny' if args.tiny else str(model_folder(size, work / f'qwen2.5-{size}', 'cuda'))
            for preset in PRESETS:
                ok &= check(preset, size, base, domain, work, args.tiny)
    print(
        f'gpu_check: {"every run that could run ran" if ok else "a run FAILED"} in {time.perf_counter() - start:.0f} s'
    )
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
