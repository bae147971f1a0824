"""Named assumptions: every value the life courses need that no data gives, in one overridable place.

Defaults live in `assumptions.yaml` next to this module (value, unit, rationale, source). Overrides come
from `--assume NAME=VALUE` or a YAML file; each is validated against the entry's kind and bounds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from migrantsp.domain import SECTOR_ORDER
from migrantsp.problems import InvalidInput, Problem

KINDS = ("date", "number", "range", "mix", "by_country")


@dataclass(frozen=True)
class Assumption:
    name: str
    kind: str
    value: Any
    unit: str
    rationale: str
    source: str | None
    low: float | None = None
    high: float | None = None
    overridden: bool = False

    def public(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "rationale": self.rationale,
            "source": self.source,
            "overridden": self.overridden,
        }


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def check(a: Assumption, value: Any) -> str | None:
    """Why `value` is not acceptable for `a` (None: it is)."""
    lo, hi = a.low, a.high

    def bounded(x: Any) -> bool:
        return _number(x) and (lo is None or x >= lo) and (hi is None or x <= hi)

    span = f"a number from {lo:g} to {hi:g}" if lo is not None and hi is not None else "a number"
    if a.kind == "date":
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            return f"{value!r} is not a date (YYYY-MM-DD)"
        return None
    if a.kind == "number":
        return None if bounded(value) else f"{value!r} is not {span}"
    if not isinstance(value, dict):
        return f"{value!r} is not a mapping"
    if a.kind == "range":
        if set(value) != {"min", "max"} or not all(bounded(v) for v in value.values()):
            return f"expected {{min: X, max: Y}} with X and Y {span}"
        return None if value["min"] <= value["max"] else "min is above max"
    if a.kind == "mix":
        bad = [k for k in value if k not in SECTOR_ORDER]
        if bad:
            return f"unknown sector(s) {', '.join(map(str, bad))}; known: {', '.join(SECTOR_ORDER)}"
        if not all(_number(v) and v >= 0 for v in value.values()):
            return "shares must be numbers >= 0"
        total = sum(value.values())
        return None if abs(total - 1) < 1e-6 else f"shares add up to {total:g}, not 1"
    # by_country: ISO3 codes (or "default") -> bounded number
    bad = [k for k in value if not (k == "default" or (isinstance(k, str) and len(k) == 3 and k.isupper()))]
    if bad:
        return f"keys must be ISO 3166-1 alpha-3 codes or 'default', not {', '.join(map(str, bad))}"
    if not all(bounded(v) for v in value.values()):
        return f"values must be {span}"
    return None


@dataclass(frozen=True)
class Assumptions:
    items: dict[str, Assumption]

    def __getitem__(self, name: str) -> Any:
        return self.items[name].value

    def date(self, name: str) -> dt.date:
        return dt.date.fromisoformat(str(self[name]))

    def by_country(self, name: str, codes: list[str]) -> list[float]:
        table: dict[str, float] = self[name]
        return [float(table.get(c, table["default"])) for c in codes]

    def public(self) -> list[dict[str, Any]]:
        return [a.public() for a in self.items.values()]

    def override(self, changes: dict[str, Any], where: str) -> Assumptions:
        """A copy with `changes` applied; every bad change is reported at once (exit 2)."""
        problems: list[Problem] = []
        items = dict(self.items)
        for name, value in changes.items():
            if name not in items:
                problems.append(
                    Problem(where, None, str(name), f"unknown assumption; known: {', '.join(items)}")
                )
                continue
            a = items[name]
            if a.kind == "by_country":  # a number sets every country; a partial table refines the defaults
                value = {**a.value, **value} if isinstance(value, dict) else {"default": value}
            if a.kind == "date" and isinstance(value, dt.date):
                value = value.isoformat()
            why = check(a, value)
            if why:
                problems.append(Problem(where, None, name, why))
            else:
                items[name] = replace(a, value=value, overridden=True)
        if problems:
            raise InvalidInput(problems)
        return Assumptions(items)


def defaults() -> Assumptions:
    text = (resources.files("migrantsp.population") / "assumptions.yaml").read_text(encoding="utf-8")
    raw: dict[str, dict[str, Any]] = yaml.safe_load(text)
    items = {}
    for name, e in raw.items():
        a = Assumption(
            name=name,
            kind=e["kind"],
            value=e["value"],
            unit=e["unit"],
            rationale=" ".join(str(e["rationale"]).split()),
            source=e.get("source"),
            low=e.get("min"),
            high=e.get("max"),
        )
        assert a.kind in KINDS and check(a, a.value) is None, f"assumptions.yaml: {name} is invalid"
        items[name] = a
    return Assumptions(items)


def parse_assume(pairs: list[str]) -> dict[str, Any]:
    """`NAME=VALUE` pairs, VALUE read as YAML (`0.5`, `{THA: 0.4}`, `2035-01-01`)."""
    out: dict[str, Any] = {}
    problems = []
    for p in pairs:
        name, sep, text = p.partition("=")
        if not sep or not name.strip():
            problems.append(Problem("--assume", None, "", f"{p!r}: expected NAME=VALUE"))
            continue
        try:
            out[name.strip()] = yaml.safe_load(text)
        except yaml.YAMLError:
            problems.append(Problem("--assume", None, name.strip(), f"{text!r} is not valid YAML"))
    if problems:
        raise InvalidInput(problems)
    return out


def read_file(path: Path) -> dict[str, Any]:
    """An overrides file: a mapping of assumption names to values."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidInput([Problem(str(path), None, "", f"cannot read: {exc}")]) from None
    if not isinstance(data, dict):
        raise InvalidInput([Problem(str(path), None, "", "expected a mapping of assumption names to values")])
    return {str(k): v for k, v in data.items()}
