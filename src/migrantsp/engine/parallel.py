"""Evaluate a large batch on every core: people are split into contiguous ranges, each evaluated in a
forked worker that writes its rows into shared memory. Results are identical to `evaluate` (people are
independent of each other), without explanations.
"""

from __future__ import annotations

import mmap
import multiprocessing as mp
import os
from collections.abc import Sequence
from dataclasses import fields

import numpy as np

from migrantsp.coordination.instruments import Instrument
from migrantsp.domain import Branch
from migrantsp.engine.batch import Batch
from migrantsp.engine.evaluate import BranchColumns, Results, evaluate
from migrantsp.engine.trace import Trace
from migrantsp.knowledge.base import Knowledge

MIN_PER_WORKER = 50_000  # below this, forking costs more than it saves
CHUNK = 100_000  # people evaluated at a time by a worker: bounds memory whatever the batch size


def _shared_like(a: np.ndarray) -> np.ndarray:
    """An array of the same shape and type in anonymous shared memory (visible to forked children)."""
    buf = mmap.mmap(-1, max(a.nbytes, 1))
    out = np.frombuffer(buf, dtype=a.dtype, count=a.size).reshape(a.shape)
    out[...] = a
    return out


def scheme_registry(kb: Knowledge, batch: Batch) -> list[str]:
    ids = sorted({s for cf in kb.countries.values() for cell in cf.branches.values() for s in cell.schemes})
    return ids + [f"{c}-CUSTOM" for c in sorted(batch.custom_schemes)]


def evaluate_parallel(
    batch: Batch,
    kb: Knowledge,
    branches: Sequence[Branch],
    instrument: Instrument | None = None,
    workers: int | None = None,
) -> Results:
    workers = min(workers or os.cpu_count() or 1, max(1, batch.size // MIN_PER_WORKER))
    registry = scheme_registry(kb, batch)
    if workers <= 1 or "fork" not in mp.get_all_start_methods():
        return evaluate(batch, kb, branches, instrument=instrument, schemes=registry)
    row_person, row_country = batch.rows
    n = row_person.size
    template = BranchColumns.empty(n)
    names = [f.name for f in fields(BranchColumns)]
    out = {b: BranchColumns(**{k: _shared_like(getattr(template, k)) for k in names}) for b in branches}
    n_chunks = max(workers, -(-batch.size // CHUNK))
    bounds = np.linspace(0, batch.size, n_chunks + 1).astype(np.int64)
    row_bounds = np.searchsorted(row_person, bounds)

    def work(k: int) -> None:
        for c in range(k, n_chunks, workers):  # chunks dealt round-robin; one at a time keeps memory flat
            people = np.arange(bounds[c], bounds[c + 1])
            res = evaluate(batch.take(people), kb, branches, instrument=instrument, schemes=registry)
            r0, r1 = row_bounds[c], row_bounds[c + 1]
            assert res.row_person.size == r1 - r0, "rows differ between the whole batch and a part"
            for b in branches:
                for name in names:
                    getattr(out[b], name)[r0:r1] = getattr(res.branches[b], name)
            del res

    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=work, args=(k,)) for k in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    failed = [p.exitcode for p in procs if p.exitcode != 0]
    if failed:
        raise RuntimeError(f"{len(failed)} evaluation worker(s) failed (exit codes {failed})")
    return Results(batch=batch, row_person=row_person, row_country=row_country, branches=out, trace=Trace(),
                   knowledge_version=kb.version, schemes=registry)  # fmt: skip
