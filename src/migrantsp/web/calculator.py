"""The calculator's HTML form: field names, parsing a posted form into a career, and errors per field.

The form works without JavaScript: it is posted, validated by the same code as career files, and
every problem is shown next to its field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from migrantsp.domain import ACTIVITY_ORDER, SECTOR_ORDER
from migrantsp.problems import Problem

MAX_SPELLS = 5
SPELL_FIELDS = ("country", "start", "end", "activity", "sector", "documented", "monthly_wage", "currency")
ACTIVITIES = [(a.value, a.value.replace("_", " ")) for a in ACTIVITY_ORDER]
SECTORS = [(s.value, s.value.replace("_", " ")) for s in SECTOR_ORDER]


@dataclass
class Form:
    """What the person typed (redisplayed as typed), and the problems found, by field name."""

    values: dict[str, str] = field(default_factory=dict)
    branches: list[str] = field(default_factory=list)
    instruments: list[str] = field(default_factory=lambda: ["asean-c157"])
    errors: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)  # problems with no single field

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    @staticmethod
    def label(name: str) -> str:
        """'s0_monthly_wage' -> 'Spell 1, monthly wage': how the error list names a field."""
        m = re.fullmatch(r"s(\d+)_(\w+)", name)
        if m:
            return f"Spell {int(m[1]) + 1}, {m[2].replace('_', ' ')}"
        return name.replace("_", " ").capitalize()


def parse_form(body: bytes) -> Form:
    data = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    form = Form(values={k: v[-1].strip() for k, v in data.items() if k not in ("branch", "instrument")})
    form.branches = data.get("branch", [])
    form.instruments = [i for i in data.get("instrument", []) if i and i != "none"]
    other = form.get("other_instrument")
    if other:
        form.instruments.append(other)
    return form


def _number(text: str) -> float | str:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return text  # validation reports it with the field's path


def career_dict(form: Form) -> tuple[dict[str, Any], list[int]]:
    """The career the form describes, and for each of its spells the form row it came from."""
    person = {k: form.get(k) for k in ("birth_date", "sex", "nationality", "residence") if form.get(k)}
    spells, rows = [], []
    for i in range(MAX_SPELLS):
        row = {f: form.get(f"s{i}_{f}") for f in SPELL_FIELDS}
        if not (row["country"] or row["start"] or row["end"] or row["monthly_wage"]):
            continue  # an empty row is not a spell
        spell: dict[str, Any] = {
            k: v for k, v in row.items() if v and k not in ("documented", "monthly_wage")
        }
        spell["documented"] = row["documented"] != "no"
        spell["monthly_wage"] = _number(row["monthly_wage"]) if row["monthly_wage"] else None
        spells.append(spell)
        rows.append(i)
    career: dict[str, Any] = {"person": person, "spells": spells}
    evaluate: dict[str, Any] = {}
    if form.get("evaluate_date"):
        evaluate["date"] = form.get("evaluate_date")
    if form.branches:
        evaluate["branches"] = form.branches
    if evaluate:
        career["evaluate"] = evaluate
    return career, rows


_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def loc(path: str) -> list[str | int]:
    """'spells[0].end' -> ['spells', 0, 'end'] (the API's field paths)."""
    return [int(i) if i else name for name, i in _PART.findall(path)]


def field_name(path: str, rows: list[int]) -> str | None:
    """The form field a problem's path points at, if there is one."""
    parts = loc(path)
    if len(parts) == 2 and parts[0] == "person":
        return str(parts[1])
    if len(parts) >= 3 and parts[0] == "spells" and isinstance(parts[1], int) and parts[1] < len(rows):
        return f"s{rows[parts[1]]}_{parts[2]}"
    if parts[:2] == ["evaluate", "date"]:
        return "evaluate_date"
    return None


def attach(form: Form, problems: list[Problem], rows: list[int]) -> None:
    for p in problems:
        name = field_name(p.path, rows)
        if name and name in form.values:
            form.errors.setdefault(name, []).append(p.message)
        else:
            form.general.append(f"{p.path}: {p.message}" if p.path else p.message)
