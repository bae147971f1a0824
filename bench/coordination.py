"""Benchmark: a million random careers under `none` and under `asean-c157`, on every core.

    .venv/bin/python bench/coordination.py [--size 1000000]

Prints wall time, workers per second and peak memory per instrument. Not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import time

import numpy as np

from migrantsp.coordination.instruments import resolve
from migrantsp.domain import BRANCHES, Branch
from migrantsp.engine.parallel import evaluate_parallel
from migrantsp.engine.sample import random_batch
from migrantsp.knowledge.base import knowledge


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000)
    args = parser.parse_args()
    kb = knowledge()
    batch = random_batch(args.size, seed=1)
    for spec in ("none", "asean-c157"):
        inst = resolve(spec, kb)
        t0 = time.perf_counter()
        res = evaluate_parallel(batch, kb, list(BRANCHES), instrument=inst)
        dt = time.perf_counter() - t0
        old_age = res.branches[Branch.old_age]
        entitled = int(np.sum(old_age.status == 0))
        credited = int(old_age.credited_months.sum())
        print(
            f"{spec:>11}: {args.size:,} careers in {dt:.1f} s = {args.size / dt:,.0f} workers/s on "
            f"{os.cpu_count()} cores; old-age rows entitled {entitled:,}, months credited {credited:,}"
        )
    main_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    worker_gib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
    print(f"peak memory {main_gib:.2f} GiB in the main process, {worker_gib:.2f} GiB in the largest worker")


if __name__ == "__main__":
    main()
