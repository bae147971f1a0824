"""`POST /api/entitlements` off the event loop, in engine processes that evaluate waiting careers together.

The engine is CPU-bound and holds the GIL, so threads would not answer any sooner. Worker processes
(one per core by default) are fed by one dispatcher each from a shared queue: a dispatcher takes every
career waiting (up to `MAX_BATCH`) and its process evaluates them as one batch, the engine's native
shape: one career costs about as much numpy overhead as ten, so the busier the server, the cheaper each
answer. A career's answer in a batch equals its answer alone (tested). Requests cross the process
boundary as bytes and come back as status and bytes: the JSON is parsed, validated, evaluated and
serialised in the worker. With no pool (`processes=0`), a thread of the server process answers.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing as mp
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import orjson
from starlette.concurrency import run_in_threadpool

from migrantsp.api import instrument_of
from migrantsp.career import Career, career_from_dict
from migrantsp.coordination.instruments import Instrument
from migrantsp.domain import BRANCHES
from migrantsp.engine.batch import Batch
from migrantsp.engine.evaluate import evaluate
from migrantsp.knowledge.base import Knowledge
from migrantsp.problems import InvalidInput
from migrantsp.results import entitlements_json
from migrantsp.web.calculator import loc

MAX_BATCH = 16  # careers evaluated together at most: bounds the wait of the first one
Reply = tuple[int, bytes]
UNAVAILABLE: Reply = (503, orjson.dumps({"detail": "the engine process stopped while answering; retry"}))
BUG: Reply = (500, orjson.dumps({"detail": "internal error: this is a bug in migrantsp, please report it"}))

_KB: Knowledge | None = None  # the knowledge base of this worker process
log = logging.getLogger("migrantsp.web")


def _load(kb: Knowledge) -> None:
    global _KB
    _KB = kb
    # The knowledge base is tens of thousands of long-lived objects: leave them out of garbage collection
    # so that a full collection does not walk them during a request.
    gc.collect()
    gc.freeze()


def _pid(pause: float) -> int:
    time.sleep(pause)  # keeps this worker busy so that the next task goes to another one
    return os.getpid()


def _invalid(detail: list[dict[str, Any]]) -> Reply:
    return 422, orjson.dumps({"detail": detail})


class _Rejected(Exception):
    def __init__(self, reply: Reply) -> None:
        self.reply = reply


def _career(body: bytes, kb: Knowledge) -> tuple[Career, Instrument]:
    """The validated career and its instrument; `_Rejected` carries the 422 reply listing every problem."""
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise _Rejected(_invalid([{"loc": ["body"], "msg": f"the body is not JSON: {exc}",
                                   "type": "json_invalid", "path": ""}])) from None  # fmt: skip
    if not isinstance(doc, dict):
        why = "the body must be a career object (contract section 1)"
        raise _Rejected(_invalid([{"loc": ["body"], "msg": why, "type": "invalid_career", "path": ""}]))
    try:
        career = career_from_dict(doc)
        return career, instrument_of(career, kb)
    except InvalidInput as exc:
        raise _Rejected(_problems(exc)) from None


def _problems(exc: InvalidInput) -> Reply:
    return _invalid(
        [
            {"loc": loc(p.path), "msg": p.message, "type": "invalid_career", "path": p.path}
            for p in exc.problems
        ]
    )


def _alone(career: Career, inst: Instrument, kb: Knowledge) -> Reply:
    """One career on its own: its problems (422) or an internal error (500) touch no other request."""
    try:
        return _evaluate([career], inst, kb)[0]
    except InvalidInput as exc:  # e.g. a wage currency with no exchange rate for its year
        return _problems(exc)
    except Exception:  # a bug: answered as an internal error, logged with its traceback
        log.exception("internal error while evaluating a career")
        return BUG


def _evaluate(careers: list[Career], inst: Instrument, kb: Knowledge) -> list[Reply]:
    """One batch under one instrument: every branch any career asks for, each answer its own branches."""
    wanted = {b for c in careers for b in c.branches}
    res = evaluate(Batch.from_careers(careers), kb, [b for b in BRANCHES if b in wanted], trace=True,
                   instrument=inst)  # fmt: skip
    return [(200, orjson.dumps(entitlements_json(res, i, c.branches))) for i, c in enumerate(careers)]


def answer_many(bodies: list[bytes], kb: Knowledge | None = None) -> list[Reply]:
    """Status and JSON reply for each request body, in order: the entitlements (200) or its problems (422).

    Valid careers under the same instrument are evaluated as one batch (careers with custom schemes
    alone: their scheme codes are their own)."""
    kb = kb or _KB
    assert kb is not None, "the worker's knowledge base is set by the pool initializer"
    replies: list[Reply] = [BUG] * len(bodies)
    groups: dict[str, list[tuple[int, Career, Instrument]]] = {}
    for i, body in enumerate(bodies):
        try:
            career, inst = _career(body, kb)
        except _Rejected as rejected:
            replies[i] = rejected.reply
            continue
        except Exception:  # a bug met while reading this body: a 500 for this request only
            log.exception("internal error while reading a request body")
            continue
        key = f"alone:{i}" if career.custom_schemes else inst.model_dump_json()
        groups.setdefault(key, []).append((i, career, inst))
    for members in groups.values():
        try:
            done = _evaluate([c for _, c, _ in members], members[0][2], kb)
        except Exception:  # one career's problem or a bug must not fail the others: each one alone
            done = [_alone(career, inst, kb) for _, career, inst in members]
        for (i, _, _), reply in zip(members, done, strict=True):
            replies[i] = reply
    return replies


def answer(body: bytes, kb: Knowledge | None = None) -> Reply:
    return answer_many([body], kb)[0]


class EnginePool:
    """`processes` worker processes answering over `kb` (0: a thread of the server process answers)."""

    def __init__(self, kb: Knowledge, processes: int) -> None:
        self.kb, self.processes = kb, processes
        self._pool: ProcessPoolExecutor | None = None
        self._loop: asyncio.AbstractEventLoop | None = None  # the loop the queue and dispatchers live in
        self._queue: asyncio.Queue[tuple[bytes, asyncio.Future[Reply]]] | None = None
        self._dispatchers: list[asyncio.Task[None]] = []
        self._starting = threading.Lock()  # starts run in threads: one pool, however many ask

    def start(self) -> None:
        """Start the workers with the server's knowledge base and wait until each one has it."""
        with self._starting:
            self._start()

    def _start(self) -> None:
        if self.processes and self._pool is None:
            # forkserver: workers start from a clean process, not by forking a server with threads
            method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
            pool = ProcessPoolExecutor(
                self.processes, mp_context=mp.get_context(method), initializer=_load, initargs=(self.kb,)
            )
            seen: set[int] = set()
            for _ in range(20):  # a task runs only once its worker has loaded the knowledge base
                seen |= set(pool.map(_pid, [0.05] * self.processes))
                if len(seen) >= self.processes:
                    break
            self._pool = pool

    async def open(self) -> None:
        """Start the workers (off the event loop) and this loop's dispatchers."""
        if not self.processes:
            return
        if self._pool is None:
            await run_in_threadpool(self.start)
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # first use, or a new event loop (a test client's)
            self._loop, self._queue = loop, asyncio.Queue()
            self._dispatchers = [loop.create_task(self._dispatch()) for _ in range(self.processes)]

    async def close(self) -> None:
        for task in self._dispatchers:
            task.cancel()
        while self._queue is not None and not self._queue.empty():  # nobody is left to answer these
            _, future = self._queue.get_nowait()
            if not future.done():
                future.set_result(UNAVAILABLE)
        self._dispatchers, self._loop, self._queue = [], None, None
        pool, self._pool = self._pool, None
        if pool is not None:
            await run_in_threadpool(pool.shutdown, cancel_futures=True)

    async def answer(self, body: bytes) -> Reply:
        if not self.processes:
            return await run_in_threadpool(answer, body, self.kb)
        if self._queue is None or self._loop is not asyncio.get_running_loop():
            await self.open()
        assert self._queue is not None
        reply: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((body, reply))
        return await reply

    async def _dispatch(self) -> None:
        """Take every waiting request (up to MAX_BATCH) to one worker, as one batch; then the next."""
        assert self._queue is not None
        queue = self._queue
        while True:
            waiting = [await queue.get()]
            while len(waiting) < MAX_BATCH and not queue.empty():
                waiting.append(queue.get_nowait())
            replies = await self._run([body for body, _ in waiting])
            for (_, future), reply in zip(waiting, replies, strict=True):
                if not future.done():
                    future.set_result(reply)

    async def _run(self, bodies: list[bytes]) -> list[Reply]:
        pool = self._pool
        try:
            if pool is None:  # stopped after a worker died, or never started: (re)start, once for all
                await run_in_threadpool(self.start)
                pool = self._pool
                assert pool is not None
            return await asyncio.get_running_loop().run_in_executor(pool, answer_many, bodies)
        except BrokenProcessPool:  # a worker died (killed, out of memory): these get 503, the pool goes
            if self._pool is pool and pool is not None:
                self._pool = None  # the next batch starts a new one
                pool.shutdown(wait=False, cancel_futures=True)
            return [UNAVAILABLE] * len(bodies)
        except Exception:  # the dispatcher must survive (a failed start, say): these requests get a 500
            log.exception("internal error in the engine processes")
            return [BUG] * len(bodies)
