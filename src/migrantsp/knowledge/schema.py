"""The shape of every knowledge-base file, as pydantic models (the edge where experts' YAML comes in).

Every fact carries its sources, a confidence and the date it applies from; timelines are lists of
such facts ordered by date. Parameters follow OpenFisca's parameter file format with our source fields.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from migrantsp.domain import Activity, Answer, Branch, Confidence, Coverage, SchemeType, Sector


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


SourceId = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_-]*[A-Z0-9]$", min_length=2, max_length=40)]


class SourceKind(StrEnum):
    """What kind of document a source is; the first four can support a `primary` fact."""

    law = "law"
    regulation = "regulation"
    agency = "agency"  # the institution's or ministry's own text
    international_organisation = "international_organisation"  # ILO, ISSA/SSA SSPTW, ASEAN
    statistics = "statistics"
    secondary = "secondary"  # law firms, payroll sites, studies relaying others
    press = "press"
    research_note = "research_note"  # our own unverified background notes


PRIMARY_KINDS = frozenset(
    {SourceKind.law, SourceKind.regulation, SourceKind.agency, SourceKind.international_organisation}
)


class Source(Strict):
    title: str = Field(min_length=3)
    publisher: str = Field(min_length=2)
    date: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY, YYYY-MM or YYYY-MM-DD")
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    kind: SourceKind
    note: str | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _date_as_text(cls, v: Any) -> Any:
        return v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, int) else v


class SourceFile(Strict):
    sources: dict[SourceId, Source] = Field(min_length=1)


class Fact(Strict):
    """A statement with its evidence: who says it, how sure we are, from when it applies."""

    text: str = Field(min_length=3)
    sources: list[SourceId] = Field(min_length=1)
    confidence: Confidence
    from_: date = Field(alias="from")
    until: date | None = None
    section: str | None = None  # where in the source (article, page)

    @model_validator(mode="after")
    def _until_after_from(self) -> Fact:
        if self.until is not None and self.until < self.from_:
            raise ValueError(f"until {self.until} is before from {self.from_}")
        return self


class StatusFact(Fact):
    status: Coverage


def _yes_no(v: Any) -> Any:
    """YAML reads a bare yes/no as a boolean; accept it as the answer it spells."""
    return {True: "yes", False: "no"}.get(v, v) if isinstance(v, bool) else v


class AnswerFact(Fact):
    value: Answer

    _yes_no = field_validator("value", mode="before")(_yes_no)


def _as_list(v: Any) -> Any:
    """A timeline may be written as one mapping when it has a single entry."""
    return [v] if isinstance(v, dict) else v


class ExclusionKind(StrEnum):
    sector = "sector"
    activity = "activity"
    undocumented = "undocumented"
    contract_length = "contract_length"
    employer_size = "employer_size"
    age = "age"
    nationality = "nationality"
    other = "other"


class Who(Strict):
    """Who an exclusion leaves out, in terms the career engine can test; an empty `Who` only describes."""

    sectors: list[Sector] = []
    activities: list[Activity] = []
    undocumented: bool = False
    contract_months_below: int | None = Field(default=None, ge=1, le=120)
    employer_size_below: int | None = Field(default=None, ge=1, le=1000)
    age_below: int | None = Field(default=None, ge=10, le=100)
    age_above: int | None = Field(default=None, ge=10, le=100)
    entry_age_above: int | None = Field(default=None, ge=10, le=100)
    foreign_workers_only: bool = False  # the rule leaves out only non-nationals (with the other conditions)


class Exclusion(Fact):
    kind: ExclusionKind
    who: Who = Who()


class Portability(Strict):
    export: Annotated[list[AnswerFact], Field(min_length=1)]
    lump_sum_on_departure: Annotated[list[AnswerFact], Field(min_length=1)]

    _lists = field_validator("export", "lump_sum_on_departure", mode="before")(_as_list)


class Cell(Strict):
    """One country x branch of the atlas, as it applies to migrant workers."""

    schemes: list[str] = []
    summary: str = Field(min_length=3)
    foreign_workers: Annotated[list[StatusFact], Field(min_length=1)]
    nationals: list[StatusFact] = []  # when absent: nationals covered as foreign workers are
    nationals_abroad: Annotated[list[StatusFact], Field(min_length=1)]
    exclusions: list[Exclusion] = []
    portability: Portability
    conditions: list[Fact] = []  # qualifying conditions and benefits, described

    _lists = field_validator("foreign_workers", "nationals", "nationals_abroad", mode="before")(_as_list)


class Scheme(Strict):
    name: str = Field(min_length=3)
    institution: str = Field(min_length=2)
    type: SchemeType
    legal_basis: Annotated[list[Fact], Field(min_length=1)]


ISO3 = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class CountryFile(Strict):
    country: ISO3
    name: str
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    as_of: date
    schemes: dict[str, Scheme] = {}
    branches: dict[Branch, Cell]
    notes: list[Fact] = []


class FindingStatus(StrEnum):
    to_validate = "to_validate"
    validated = "validated"
    disputed = "disputed"


class CellRef(Strict):
    country: ISO3
    branch: Branch
    note: str | None = None


class Validation(Strict):
    status: FindingStatus
    note: str = ""
    reviewed: date | None = None  # when the status was last set


class Finding(Strict):
    title: str
    text: str
    found_by: str
    evidence: list[CellRef] = Field(min_length=1)
    sources: list[SourceId] = Field(min_length=1)
    confidence: Confidence
    validation: Validation


class FindingsFile(Strict):
    findings: dict[Annotated[str, Field(pattern=r"^G\d+$")], Finding] = Field(min_length=1)


class AgreementKind(StrEnum):
    bilateral_agreement = "bilateral_agreement"
    multilateral_agreement = "multilateral_agreement"
    declaration = "declaration"
    guidelines = "guidelines"
    joint_statement = "joint_statement"
    memorandum = "memorandum"


class AgreementStatus(StrEnum):
    in_force = "in_force"
    signed = "signed"
    adopted = "adopted"
    draft = "draft"
    negotiating = "negotiating"


class Provisions(Strict):
    equality_of_treatment: Answer = Answer.unknown
    export: Answer = Answer.unknown
    totalisation: Answer = Answer.unknown
    method: str | None = None  # pro_rata | direct | integration, where the text says
    posting_months: int | None = None
    posting_extension_months: int | None = None
    lump_sum_refund: Answer = Answer.unknown

    _yes_no = field_validator(
        "equality_of_treatment", "export", "totalisation", "lump_sum_refund", mode="before"
    )(_yes_no)


class Agreement(Strict):
    title: str
    kind: AgreementKind
    status: AgreementStatus
    parties: list[str] = Field(min_length=1)  # ISO3 codes, or ASEAN for the whole association
    signed: date | None = None
    in_force: date | None = None
    branches: list[Branch] = []
    provisions: Provisions = Provisions()
    facts: Annotated[list[Fact], Field(min_length=1)]


class AgreementsFile(Strict):
    agreements: dict[Annotated[str, Field(pattern=r"^[A-Z0-9-]+$")], Agreement] = Field(min_length=1)


class Convention(StrEnum):
    C019 = "C019"
    C102 = "C102"
    C118 = "C118"
    C157 = "C157"


CONVENTION_TITLES: dict[Convention, str] = {
    Convention.C019: "Equality of Treatment (Accident Compensation) Convention, 1925",
    Convention.C102: "Social Security (Minimum Standards) Convention, 1952",
    Convention.C118: "Equality of Treatment (Social Security) Convention, 1962",
    Convention.C157: "Maintenance of Social Security Rights Convention, 1982",
}


class RatificationStatus(StrEnum):
    in_force = "in_force"
    not_ratified = "not_ratified"
    denounced = "denounced"


class Ratification(Fact):
    convention: Convention
    country: ISO3
    status: RatificationStatus
    ratified: date | None = None
    branches_accepted: list[Branch] = []


class RatificationsFile(Strict):
    ratifications: list[Ratification] = Field(min_length=1)


# ---------------------------------------------------------------- parameters (OpenFisca format)

CURRENCIES = frozenset(
    {"BND", "KHR", "IDR", "LAK", "MYR", "MMK", "PHP", "SGD", "THB", "VND", "USD", "EUR", "KRW", "JPY"}
)
_UNIT = re.compile(r"^(/1|year|month|week|day|bool|count|(?P<cur>[A-Z]{3})(/(month|day|year|week))?)$")


def unit_problem(unit: str) -> str | None:
    m = _UNIT.match(unit)
    if m is None:
        return (
            f"unknown unit {unit!r}: use /1 (a share), year, month, week, day, bool, count, "
            "or a currency code, optionally per month|day|year|week (e.g. THB/month)"
        )
    if m.group("cur") and m.group("cur") not in CURRENCIES:
        return f"unknown currency {m.group('cur')!r} in unit {unit!r}"
    return None


class Reference(Strict):
    source: SourceId
    confidence: Confidence
    section: str | None = None
    note: str | None = None


class ParameterMetadata(Strict):
    unit: str | None = None
    reference: list[Reference] = []
    label: str | None = None


class ParameterValue(Strict):
    value: float | int | bool | None  # null: the parameter stops applying from this date
    reference: list[Reference] = []
    note: str | None = None


class ParameterFile(Strict):
    description: str = Field(min_length=3)
    metadata: ParameterMetadata = ParameterMetadata()
    values: dict[date, ParameterValue] = Field(min_length=1)
    documentation: str | None = None
