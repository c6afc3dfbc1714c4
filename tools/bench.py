"""elm_nb benchmark: ratios measured against a baseline in the same run, one `name=value` per line.

Run with `make bench` on an idle machine: another process computing on the same cores skews every figure
(see shared/ENVIRONMENT.md on OpenMP oversubscription).
"""
import statistics, sys, time
import numpy as np, torch
from elm_nb.data import load_movielens
from elm_nb.embeddings import behavioural_embeddings
from elm_nb.model import ELM, load_base_model

def timed(fn, repeat=3):
    "Median wall time of `repeat` calls of fn (after the caller's warm-up)."
    times = []
    for _ in range(repeat):
        start = time.perf_counter(); fn(); times.append(time.perf_counter() - start)
    return statistics.median(times)

def say(name, value): print(f"{name}={value:.3f}" if isinstance(value, float) else f"{name}={value}", flush=True)

def main():
    torch.manual_seed(0)
    say('torch_threads', torch.get_num_threads())
    movies = behavioural_embeddings(load_movielens('ml-100k'), evaluate=False).movies
    start = time.perf_counter()
    elm = ELM.build(movies, base='smollm2', n_tokens=4)
    say('load_s', time.perf_counter() - start)
    prompt, vec = 'Describe the movie <emb> in one sentence.', movies.vectors[0]
    gen = dict(max_new_tokens=32, min_new_tokens=32)

    # Generation: the first call of the process, then steady state, then batched vs one at a time.
    start = time.perf_counter(); elm.generate(prompt, vec, **gen); say('first_generate_s', time.perf_counter() - start)
    single = timed(lambda: elm.generate(prompt, vec, **gen))
    say('generate_32_tokens_s', single); say('generate_tokens_per_s_batch1', 32 / single)
    vecs = movies.vectors[:32]
    batched = timed(lambda: elm.generate(prompt, vecs, batch_size=32, **gen), repeat=1)
    one_by_one = timed(lambda: [elm.generate(prompt, v, **gen) for v in vecs], repeat=1)
    say('generate_tokens_per_s_batch32', 32 * 32 / batched)
    say('batched_generation_speedup', one_by_one / batched)

    # Training steps on the same token count: batch 8 x 64 tokens, 4 soft tokens per example.
    B, T = 8, 64
    ids = torch.randint(100, 40000, (B, T)); ids[:, 1:1 + elm.n_tokens] = elm.placeholder_id
    mask, w = torch.ones_like(ids), movies.vectors[:B]
    plain_ids = ids.masked_fill(ids == elm.placeholder_id, 7)
    elm.train()
    def plain_step():
        elm.lm(input_ids=plain_ids, attention_mask=mask, labels=plain_ids).loss.backward(); elm.zero_grad(set_to_none=True)
    def elm_step():
        elm(ids, mask, w, labels=ids).loss.backward(); elm.zero_grad(set_to_none=True)
    plain_step(); elm_step()  # warm-up
    plain, spliced = [], []
    for _ in range(3):  # interleaved, so drift in machine load hits both alike
        plain.append(timed(plain_step, 1)); spliced.append(timed(elm_step, 1))
    say('plain_step_s', statistics.median(plain)); say('elm_step_s', statistics.median(spliced))
    say('step_overhead_ratio', statistics.median(spliced) / statistics.median(plain))

    # Stage 1 (LM frozen, adapter trained) against full fine-tuning, each with its AdamW step.
    def step_fn(params):
        opt = torch.optim.AdamW(params, lr=1e-5)
        def step():
            elm(ids, mask, w, labels=ids).loss.backward(); opt.step(); opt.zero_grad(set_to_none=True)
        return step
    full = step_fn([p for p in elm.parameters() if p.requires_grad]); full()
    full_s = timed(full)
    elm.lm.requires_grad_(False)
    frozen = step_fn(list(elm.adapter.parameters())); frozen()
    frozen_s = timed(frozen)
    say('full_step_s', full_s); say('frozen_step_s', frozen_s); say('frozen_step_ratio', frozen_s / full_s)
    say('train_tokens_per_s_full', B * T / full_s); say('train_tokens_per_s_frozen', B * T / frozen_s)

    # 4-bit footprint against fp32, same model.
    fp32 = elm.lm.get_memory_footprint()
    del elm
    lm4, _ = load_base_model('smollm2', load_in_4bit=True)
    say('fp32_bytes', fp32); say('fourbit_bytes', lm4.get_memory_footprint())
    say('fourbit_memory_ratio', lm4.get_memory_footprint() / fp32)

if __name__ == '__main__': main()
