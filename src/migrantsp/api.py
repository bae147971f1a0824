"""The Python API: the same objects the command line prints.

>>> from migrantsp.api import entitlements
>>> result = entitlements("career.yaml")           # a path, a dict, or a Career
>>> result["entitlements"][0]["status"]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from migrantsp.career import Career, career_from_dict, load_career
from migrantsp.engine.batch import Batch
from migrantsp.engine.evaluate import Results, evaluate
from migrantsp.knowledge.base import Knowledge, knowledge
from migrantsp.results import entitlements_json, explain


def as_career(career: Career | Path | str | dict[str, Any]) -> Career:
    if isinstance(career, Career):
        return career
    if isinstance(career, dict):
        return career_from_dict(career)
    return load_career(Path(career))


def run(career: Career, kb: Knowledge | None = None, trace: bool = True) -> Results:
    kb = kb or knowledge()
    return evaluate(Batch.from_careers([career]), kb, career.branches, trace=trace)


def entitlements(career: Career | Path | str | dict[str, Any], kb: Knowledge | None = None) -> dict[str, Any]:
    """What each country owes this person (contract section 2)."""
    c = as_career(career)
    res = run(c, kb)
    instrument = c.instrument if isinstance(c.instrument, str) else str(c.instrument.get("id", "inline"))
    return entitlements_json(res, 0, c.evaluation_date, c.branches, instrument)


def explanation(career: Career | Path | str | dict[str, Any], kb: Knowledge | None = None) -> str:
    c = as_career(career)
    return explain(run(c, kb), 0, c.branches)
