"""Benchmark: entitlements for one worker with its explanation, and for a million random careers.

    .venv/bin/python bench/entitlements.py [--size 1000000]

Prints latency (one worker, explanation on) and throughput (workers per second, all nine branches in
every country each worker has a row in) with the process's peak resident memory. Not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from pathlib import Path

from migrantsp.api import as_career, run
from migrantsp.domain import BRANCHES
from migrantsp.engine.parallel import evaluate_parallel
from migrantsp.engine.sample import random_batch
from migrantsp.knowledge.base import knowledge
from migrantsp.results import entitlements_json, explain

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "myanmar-woman-thai-factory.yaml"


def peak_rss_gib(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024**2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    kb = knowledge()
    career = as_career(EXAMPLE)
    run(career, kb)  # warm up imports and caches
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        res = run(career, kb)
        entitlements_json(res, 0)
        explain(res, 0)
        times.append(time.perf_counter() - t0)
    print(
        f"one worker with explanation: median {statistics.median(times) * 1e3:.1f} ms, "
        f"p95 {sorted(times)[int(0.95 * len(times)) - 1] * 1e3:.1f} ms ({args.repeat} runs)"
    )

    t0 = time.perf_counter()
    batch = random_batch(args.size, seed=1)
    t1 = time.perf_counter()
    result = evaluate_parallel(batch, kb, list(BRANCHES))
    t2 = time.perf_counter()
    rows = result.row_person.size
    print(
        f"{args.size:,} random careers ({batch.person.size:,} spells, {rows:,} person-country rows x "
        f"{len(BRANCHES)} branches): built in {t1 - t0:.1f} s, evaluated in {t2 - t1:.1f} s = "
        f"{args.size / (t2 - t1):,.0f} workers/s on {os.cpu_count()} cores; peak memory "
        f"{peak_rss_gib():.2f} GiB in the main process, {peak_rss_gib(resource.RUSAGE_CHILDREN):.2f} GiB "
        "in the largest worker"
    )


if __name__ == "__main__":
    main()
