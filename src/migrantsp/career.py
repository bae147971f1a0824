"""The career file (contract section 1): models, loading from YAML/JSON, and validation at the edge.

Every problem is collected with its file and field path before anything runs; a career that loads is
one the engine can evaluate without surprises.
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from migrantsp.domain import ASEAN, ISO3_CODES, Activity, Branch, Sector, is_custom_code
from migrantsp.problems import InvalidInput, Problem, format_path
from migrantsp.yamlfile import YamlDoc, parse_yaml, validation_problems

# A monthly wage above about USD 1 million is taken as a typing error (a misplaced zero or unit).
ABSURD_MONTHLY_WAGE: dict[str, float] = {
    "BND": 1.4e6, "KHR": 4.1e9, "IDR": 1.6e10, "LAK": 2.2e10, "MYR": 4.7e6, "MMK": 2.1e9, "PHP": 5.8e7,
    "SGD": 1.4e6, "THB": 3.6e7, "VND": 2.6e10, "USD": 1e6, "EUR": 1e6, "KRW": 1.4e9, "JPY": 1.6e8,
}  # fmt: skip


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sex(StrEnum):
    female = "female"
    male = "male"


Code = Annotated[
    str, Field(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3, or XAA-XZZ for a custom scheme")
]


def _upper(v: Any) -> Any:
    return v.upper() if isinstance(v, str) else v


class Person(Strict):
    id: str | None = None
    birth_date: date
    sex: Sex
    nationality: Code
    residence: Code | None = None  # default: nationality
    children: list[date] = Field(default=[], description="Children's birth dates (family branch); optional")

    _codes = field_validator("nationality", "residence", mode="before")(_upper)


class Spell(Strict):
    country: Code
    start: date
    end: date | None = None  # inclusive; None: ongoing up to the evaluation date
    activity: Activity = Activity.employee
    sector: Sector = Sector.other
    documented: bool = True
    monthly_wage: float = Field(ge=0, allow_inf_nan=False)
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = None
    home_contributions: bool = False
    posted_from: Code | None = None
    employer_size: int | None = Field(default=None, ge=1, description="Workers employed; optional")
    voluntary_member: bool = Field(
        default=False, description="Joined a scheme open to this worker voluntarily"
    )

    _codes = field_validator("country", "posted_from", "currency", mode="before")(_upper)


class Evaluate(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    on: date | None = Field(default=None, alias="date")  # default: today
    branches: list[Branch] | None = None  # default: all nine


class CustomAmount(Strict):
    flat: float = Field(default=0.0, ge=0)
    flat_full_months: int | None = Field(default=None, ge=1)
    accrual_per_year: float = Field(default=0.0, ge=0, le=1)
    reference_wage: float | None = Field(default=None, ge=0)


class CustomBranch(Strict):
    pensionable_age: float = Field(default=65, ge=15, le=100)
    qualifying_months: int = Field(default=0, ge=0, le=1200)
    amount: CustomAmount = CustomAmount()
    max_counted_months: int | None = Field(default=None, ge=1, le=1200)
    resident_minimum: float | None = Field(default=None, ge=0)
    below_qualifying: Literal["none", "refund"] = "none"
    contribution_rate: float | None = Field(default=None, ge=0, le=1)


class CustomScheme(Strict):
    country: Code
    name: str = Field(min_length=1)
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    old_age: CustomBranch | None = None
    invalidity: CustomBranch | None = None
    survivors: CustomBranch | None = None


class Career(Strict):
    person: Person
    spells: list[Spell] = Field(min_length=1)
    evaluate: Evaluate = Evaluate()
    instrument: str | dict[str, Any] = "none"  # an id, or an inline instrument (checked by coordination)
    custom_schemes: list[CustomScheme] = []

    @property
    def evaluation_date(self) -> date:
        return self.evaluate.on or date.today()

    @property
    def branches(self) -> list[Branch]:
        return list(self.evaluate.branches or Branch)

    @property
    def residence(self) -> str:
        return self.person.residence or self.person.nationality


EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)  # dates the engine's calendar covers


def _add_years(d: date, years: int) -> date:
    if d.year + years > date.max.year:
        return date.max
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def semantic_problems(c: Career, doc: YamlDoc) -> list[Problem]:
    """Rules that span fields: dates in order, known countries and currencies, plausible wages."""
    out: list[Problem] = []
    when = c.evaluation_date
    custom = {cs.country for cs in c.custom_schemes}
    for i, cs in enumerate(c.custom_schemes):
        if not is_custom_code(cs.country):
            out.append(
                doc.problem(
                    ("custom_schemes", i, "country"),
                    f"{cs.country} is not a custom code: use XAA-XZZ for hypothetical schemes",
                )
            )
        if cs.old_age is None and cs.invalidity is None and cs.survivors is None:
            out.append(
                doc.problem(("custom_schemes", i), "defines no branch (old_age, invalidity or survivors)")
            )
    if len(custom) != len(c.custom_schemes):
        out.append(doc.problem(("custom_schemes",), "a custom country code is defined twice"))

    def known(code: str, loc: tuple[str | int, ...]) -> None:
        if code not in ISO3_CODES and code not in custom:
            hint = " (custom codes XAA-XZZ must be defined in custom_schemes)" if is_custom_code(code) else ""
            out.append(doc.problem(loc, f"unknown country {code!r}{hint}"))

    def in_range(d: date, loc: tuple[str | int, ...]) -> None:
        if not EARLIEST <= d <= LATEST:
            why = f"{d} is outside the dates the engine handles ({EARLIEST} to {LATEST})"
            out.append(doc.problem(loc, why))

    in_range(c.person.birth_date, ("person", "birth_date"))
    in_range(when, ("evaluate", "date"))
    for i, s in enumerate(c.spells):
        in_range(s.start, ("spells", i, "start"))
        if s.end is not None:
            in_range(s.end, ("spells", i, "end"))
    known(c.person.nationality, ("person", "nationality"))
    if c.person.residence:
        known(c.person.residence, ("person", "residence"))
    if when < c.person.birth_date:
        out.append(doc.problem(("evaluate", "date"), f"{when} is before birth {c.person.birth_date}"))
    for k, child in enumerate(c.person.children):
        if child > when:
            out.append(doc.problem(("person", "children", k), f"{child} is after the evaluation date {when}"))
    age10 = _add_years(c.person.birth_date, 10)
    for i, s in enumerate(c.spells):
        loc: tuple[str | int, ...] = ("spells", i)
        known(s.country, (*loc, "country"))
        if s.posted_from:
            known(s.posted_from, (*loc, "posted_from"))
            if s.posted_from == s.country:
                out.append(
                    doc.problem((*loc, "posted_from"), "a worker cannot be posted from the country of work")
                )
        if s.end is not None and s.end < s.start:
            out.append(doc.problem((*loc, "end"), f"{s.end} is before start {s.start}"))
        if s.start < age10:
            out.append(
                doc.problem((*loc, "start"), f"{s.start} is before the person's 10th birthday ({age10})")
            )
        if s.start > when:
            out.append(doc.problem((*loc, "start"), f"{s.start} is after the evaluation date {when}"))
        currency = s.currency or _default_currency(s.country, c.custom_schemes)
        if currency not in ABSURD_MONTHLY_WAGE and currency != _default_currency(s.country, c.custom_schemes):
            out.append(doc.problem((*loc, "currency"), f"unknown or unsupported currency {currency!r}"))
        elif currency in ABSURD_MONTHLY_WAGE and s.monthly_wage > ABSURD_MONTHLY_WAGE[currency]:
            out.append(
                doc.problem(
                    (*loc, "monthly_wage"),
                    f"{s.monthly_wage:,.0f} {currency} a month is not "
                    "plausible (over about USD 1 million); check the amount and its currency",
                )
            )
    return out


def _default_currency(country: str, custom: list[CustomScheme]) -> str:
    for s in custom:
        if s.country == country:
            return s.currency
    return ASEAN[country][1] if country in ASEAN else "USD"


def parse_career(data: Any, doc: YamlDoc) -> Career:
    if doc.problems:
        raise InvalidInput(doc.problems)
    try:
        career = Career.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(validation_problems(exc, doc)) from None
    problems = semantic_problems(career, doc)
    if problems:
        raise InvalidInput(problems)
    return career


def load_career(path: Path) -> Career:
    """Read a career from a .yaml/.yml/.json file; raise InvalidInput listing every problem."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput([Problem(name, None, "", f"cannot read file: {exc}")]) from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput([Problem(name, exc.lineno, "", f"not valid JSON: {exc.msg}")]) from None
        return parse_career(data, parse_yaml(text, name))  # JSON is YAML: reuse it for line numbers
    doc = parse_yaml(text, name)
    return parse_career(doc.data, doc)


def career_from_dict(data: Any, name: str = "career") -> Career:
    """For the API: same validation, problems named by field path (no lines)."""
    return parse_career(data, YamlDoc(name=name, data=data))


__all__ = ["Career", "CustomScheme", "Person", "Sex", "Spell", "format_path", "load_career"]
