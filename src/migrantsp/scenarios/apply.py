"""Resolve a scenario (its baseline chain) into the knowledge and the instrument a run uses."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from migrantsp.coordination.instruments import Instrument, resolve
from migrantsp.domain import BRANCHES, Confidence
from migrantsp.knowledge.base import Knowledge
from migrantsp.knowledge.parameters import ParameterTree
from migrantsp.knowledge.schema import Exclusion, Reference
from migrantsp.problems import InvalidInput, Problem
from migrantsp.scenarios.model import LiftExclusion, Scenario
from migrantsp.yamlfile import YamlDoc, load_yaml, validation_problems


def _validate(doc: YamlDoc) -> Scenario:
    if doc.problems:
        raise InvalidInput(doc.problems)
    try:
        return Scenario.model_validate(doc.data)
    except ValidationError as exc:
        raise InvalidInput(validation_problems(exc, doc)) from None


@cache
def builtin() -> dict[str, Scenario]:
    folder = resources.files("migrantsp.scenarios") / "data"
    out = {}
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".yaml"):
            s = _validate(load_yaml(Path(str(item)), f"scenarios/{item.name}"))
            out[s.id] = s
    return out


def load_scenario(spec: str) -> Scenario:
    """A built-in scenario id, an instrument id (a scenario of that instrument alone), or a YAML file."""
    if spec in builtin():
        return builtin()[spec]
    path = Path(spec)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return _validate(load_yaml(path, path.name))
    return Scenario(id=spec.replace(":", "-").lower(), title=f"Instrument {spec}", instrument=spec)


def _chain(s: Scenario, seen: tuple[str, ...] = ()) -> list[Scenario]:
    if s.id in seen:
        raise InvalidInput([Problem(s.id, None, "baseline", f"baselines loop back to {s.id}")])
    if s.baseline is None:
        return [s]
    return [*_chain(load_scenario(s.baseline), (*seen, s.id)), s]


def _lift(kb: Knowledge, patch: LiftExclusion) -> Knowledge:
    if patch.country not in kb.countries:
        raise InvalidInput([Problem("scenario", None, "lift_exclusions.country", f"unknown {patch.country}")])
    cf = kb.countries[patch.country]
    branches = BRANCHES if patch.branches == "all" else patch.branches
    stop = patch.from_ - timedelta(days=1)

    def lifted(e: Exclusion) -> bool:
        w = e.who
        return (
            (not patch.kinds or e.kind.value in patch.kinds)
            and (not patch.sectors or bool(set(w.sectors) & set(patch.sectors)))
            and (not patch.activities or bool(set(w.activities) & set(patch.activities)))
            and (not patch.undocumented or w.undocumented)
            and e.from_ <= stop
            and (e.until is None or e.until > stop)
        )

    cells = dict(cf.branches)
    for b in branches:
        cell = cells[b]
        new = [e.model_copy(update={"until": stop}) if lifted(e) else e for e in cell.exclusions]
        cells[b] = cell.model_copy(update={"exclusions": new})
    countries = dict(kb.countries)
    countries[patch.country] = cf.model_copy(update={"branches": cells})
    return replace(kb, countries=countries)


def scenario_run(spec: str | Scenario, kb: Knowledge) -> tuple[Scenario, Knowledge, Instrument]:
    """The knowledge (patched) and instrument for a scenario, baselines applied first."""
    scenario = spec if isinstance(spec, Scenario) else load_scenario(spec)
    instrument: str | dict[str, Any] = "none"
    params = dict(kb.parameters.parameters)
    patched = kb
    for s in _chain(scenario):
        if s.instrument is not None:
            instrument = s.instrument
        for patch in s.lift_exclusions:
            patched = _lift(patched, patch)
        ref = Reference(source=(s.sources or ["MSP-NOTES"])[0], confidence=Confidence.unverified,
                        note=f"scenario {s.id}")  # fmt: skip
        for path, values in s.parameters.items():
            if path not in params:
                raise InvalidInput(
                    [Problem(f"scenario {s.id}", None, f"parameters.{path}", "unknown parameter")]
                )
            params[path] = params[path].patched(values, ref)
    patched = replace(patched, parameters=ParameterTree(params), version=f"{kb.version}+{scenario.id}")
    return scenario, patched, resolve(instrument, patched, where=f"scenario {scenario.id}")


def dump(s: Scenario) -> str:
    return yaml.safe_dump(s.model_dump(mode="json", by_alias=True, exclude_defaults=True), sort_keys=False)
