"""`POST /api/entitlements` off the event loop: careers are evaluated in a pool of engine processes.

The engine is CPU-bound and holds the GIL, so threads would not answer any sooner. Worker processes
(one per core by default) take requests from one shared queue, so a busy process never holds back
the others' connections; the event loop only reads bodies and writes replies. A request crosses the
process boundary as bytes in, status and bytes out: the JSON is parsed, validated, evaluated and
serialised in the worker. With no pool (`processes=0`), the same function runs in the server process.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import orjson

from migrantsp.api import entitlements
from migrantsp.knowledge.base import Knowledge, knowledge
from migrantsp.problems import InvalidInput
from migrantsp.web.calculator import loc

_KB: Knowledge | None = None  # the knowledge base of this worker process


def _load(root: str) -> None:
    global _KB
    _KB = knowledge(Path(root))


def invalid(detail: list[dict[str, Any]]) -> tuple[int, bytes]:
    return 422, orjson.dumps({"detail": detail})


def answer(body: bytes, kb: Knowledge | None = None) -> tuple[int, bytes]:
    """HTTP status and JSON reply for a request body: the entitlements (200) or every problem (422)."""
    kb = kb or _KB
    assert kb is not None, "the worker's knowledge base is loaded by the pool initializer"
    try:
        career = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        return invalid([{"loc": ["body"], "msg": f"the body is not JSON: {exc}", "type": "json_invalid",
                         "path": ""}])  # fmt: skip
    if not isinstance(career, dict):
        why = "the body must be a career object (contract section 1)"
        return invalid([{"loc": ["body"], "msg": why, "type": "invalid_career", "path": ""}])
    try:
        return 200, orjson.dumps(entitlements(career, kb))
    except InvalidInput as exc:
        return invalid(
            [
                {"loc": loc(p.path), "msg": p.message, "type": "invalid_career", "path": p.path}
                for p in exc.problems
            ]
        )


def _warm(_: int) -> int:
    return 0


class EnginePool:
    """`processes` worker processes over the knowledge base at `kb.root` (0: answer in this process)."""

    def __init__(self, kb: Knowledge, processes: int) -> None:
        self.kb, self.processes = kb, processes
        self._pool: ProcessPoolExecutor | None = None
        self._starting = asyncio.Lock()

    def start(self) -> None:
        """Start the workers and wait until each has loaded the knowledge base (before the first request)."""
        if self.processes and self._pool is None:
            # forkserver: workers start from a clean process, not by forking a server with threads
            method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
            self._pool = ProcessPoolExecutor(
                self.processes, mp_context=mp.get_context(method), initializer=_load,
                initargs=(str(self.kb.root),),
            )  # fmt: skip
            list(self._pool.map(_warm, range(self.processes * 2)))

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    async def answer(self, body: bytes) -> tuple[int, bytes]:
        if not self.processes:
            return answer(body, self.kb)
        if self._pool is None:
            async with self._starting:  # the first requests wait for one start, not one each
                if self._pool is None:
                    await asyncio.get_running_loop().run_in_executor(None, self.start)
        assert self._pool is not None
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, answer, body)
        except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh, answer once more
            self.stop()
            self.start()
            assert self._pool is not None
            return await asyncio.get_running_loop().run_in_executor(self._pool, answer, body)
