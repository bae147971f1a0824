"""Benchmark: the calibrated population at 1 M and 10 M workers x 2 scenarios (`none`, `asean-c157`).

    .venv/bin/python bench/simulate.py [--sizes 1000000 10000000] [--backend local|dask] [--no-kernel]

For each size: wall time and peak resident memory of `simulate` (totals only, persons not kept: the
way the CLI runs without --out), in the main process and in the largest worker process; then the same
population through a minimal hand-written numpy kernel of old-age totalisation (per worker: insured
months per country summed, the qualifying test alone and with totalisation, a pro-rata share), timed
on its own (the population is built outside the timer), and the ratio of the two wall times.

Each size runs in a fresh process so that peak memory is that size's own. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

from migrantsp.engine.batch import Batch
from migrantsp.knowledge.base import knowledge
from migrantsp.population import data
from migrantsp.population.assumptions import defaults
from migrantsp.population.build import build
from migrantsp.population.run import PART, Settings, simulate, stock_date, summary

SCENARIOS = ("none", "asean-c157")
# the qualifying period for an old-age pension in the knowledge base, per country (months)
QUALIFYING = {
    "IDN": "bpjstk.old_age.jp_qualifying_months",
    "KHM": "nssf.old_age.qualifying_months",
    "LAO": "nssf.old_age.qualifying_months",
    "PHL": "sss.old_age.qualifying_months",
    "THA": "ssf.old_age.qualifying_months",
}


def kernel(b: Batch, qualifying: np.ndarray, totalise: bool) -> tuple[float, float]:
    """Old-age totalisation, minimal: months per (worker, country), pension test, pro-rata share.

    Countries without a recorded qualifying period (NaN) pay nothing. Returns (pensions, pro-rata sum)."""
    k = qualifying.size
    months = (b.end.astype("datetime64[M]") - b.start.astype("datetime64[M]")).astype(np.int64) + 1
    inside = b.country < k
    per = np.bincount(b.person[inside] * k + b.country[inside], weights=months[inside], minlength=b.size * k)
    per = per.reshape(b.size, k)
    q = np.nan_to_num(qualifying, nan=np.inf)[None, :]
    if not totalise:
        ok = per >= q
        return float(ok.sum()), float(ok.sum())
    total = per.sum(axis=1, keepdims=True)
    ok = (per > 0) & (total >= q)
    share = np.divide(per, total, out=np.zeros_like(per), where=total > 0)
    return float(ok.sum()), float((share * ok).sum())


def run_kernel(size: int, seed: int) -> float:
    """Seconds the kernel takes over the whole population (built part by part outside the timer)."""
    kb = knowledge()
    a = defaults()
    s = Settings(size=size, seed=seed)
    cells = data.cells(s.revision, s.data_year, s.scope)
    codes = None
    spent = 0.0
    for lo in range(0, size, PART):
        pop = build(cells, size, seed, a, np.datetime64(stock_date(s), "D"), lo, min(lo + PART, size))
        if codes is None:
            codes = pop.batch.countries.codes[:10]  # member states come first
            qualifying = np.array(
                [
                    kb.parameters[f"{c}.{QUALIFYING[c]}"].values[-1] if c in QUALIFYING else np.nan
                    for c in codes
                ]
            )
        t0 = time.perf_counter()
        for sc in SCENARIOS:
            kernel(pop.batch, qualifying, totalise=sc != "none")
        spent += time.perf_counter() - t0
        del pop
    return spent


def one(size: int, backend: str, with_kernel: bool) -> dict[str, float]:
    kb = knowledge()
    settings = Settings(size=size, seed=1, scenarios=SCENARIOS, keep_persons=False, backend=backend)
    t0 = time.perf_counter()
    sim = simulate(settings, defaults(), kb)
    wall = time.perf_counter() - t0
    doc = summary(sim)
    main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
    out = {"size": size, "wall_s": wall, "main_gib": main, "worker_gib": worker,
           "share_covered_none": doc["scenarios"][0]["indicators"]["share_covered"]}  # fmt: skip
    if with_kernel:
        out["kernel_s"] = run_kernel(size, 1)
        out["ratio"] = wall / out["kernel_s"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--backend", default="local", choices=("local", "dask"))
    parser.add_argument("--no-kernel", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one size here
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.backend, not args.no_kernel)))
        return
    print(f"{os.cpu_count()} cores; scenarios {', '.join(SCENARIOS)}; backend {args.backend}")
    for size in args.sizes:
        cmd = [sys.executable, __file__, "--one", str(size), "--backend", args.backend]
        if args.no_kernel:
            cmd.append("--no-kernel")
        r = json.loads(
            subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()[-1]
        )
        line = (
            f"{size:>11,} workers x 2 scenarios: {r['wall_s']:.1f} s = {2 * size / r['wall_s']:,.0f} "
            f"evaluations/s; peak memory {r['main_gib']:.2f} GiB main, "
            f"{r['worker_gib']:.2f} GiB largest worker"
        )
        if "kernel_s" in r:
            line += f"; numpy kernel {r['kernel_s']:.2f} s, ratio {r['ratio']:.1f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
