"""The Python API: the same objects the command line prints.

>>> from migrantsp.api import entitlements
>>> result = entitlements("career.yaml")           # a path, a dict, or a Career
>>> result["entitlements"][0]["status"]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from migrantsp.career import Career, career_from_dict, load_career
from migrantsp.coordination.instruments import Instrument, resolve
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


def instrument_of(career: Career, kb: Knowledge, override: str | None = None) -> Instrument:
    custom = [c.country for c in career.custom_schemes]
    return resolve(override if override is not None else career.instrument, kb, custom=custom)


def run(
    career: Career, kb: Knowledge | None = None, trace: bool = True, instrument: str | None = None
) -> Results:
    """Evaluate one career (with its explanation) under its own instrument, or `instrument` if given."""
    kb = kb or knowledge()
    inst = instrument_of(career, kb, instrument)
    return evaluate(Batch.from_careers([career]), kb, career.branches, trace=trace, instrument=inst)


def entitlements(career: Career | Path | str | dict[str, Any], kb: Knowledge | None = None) -> dict[str, Any]:
    """What each country owes this person (contract section 2)."""
    c = as_career(career)
    return entitlements_json(run(c, kb), 0)


def explanation(career: Career | Path | str | dict[str, Any], kb: Knowledge | None = None) -> str:
    c = as_career(career)
    return explain(run(c, kb), 0)
