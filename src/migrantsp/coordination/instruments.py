"""Coordination instruments as data (contract section 3): built-in ones and inline ones from a career.

Built-in: `none` (status quo); the agreements in force involving member states (from
knowledge/data/agreements.yaml, modelled from the ASEAN side); `asean-c157`, a hypothetical multilateral
ASEAN agreement on ILO C157/R167 lines; `asean-c157-all-branches` (the same, all nine branches); and
`bilateral:AAA-BBB`, the C157 template between any two member states.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from migrantsp.domain import ASEAN, ASEAN_CODES, BRANCHES, Branch
from migrantsp.knowledge.base import Knowledge
from migrantsp.problems import InvalidInput, Problem
from migrantsp.yamlfile import YamlDoc, validation_problems

LONG_TERM = (Branch.old_age, Branch.invalidity, Branch.survivors)


class Method(StrEnum):
    pro_rata = "pro_rata"  # each state pays theoretical x own / total periods (EU 883/2004 Art. 52)
    direct = "direct"  # periods totalised for eligibility only; each pays on its own periods
    integration = "integration"  # the state of last insurance pays the whole benefit


class Instrument(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=80)
    title: str = ""
    parties: list[str] | Literal["all"] = "all"
    branches: list[Branch] = Field(default_factory=lambda: list(LONG_TERM))
    method: Method = Method.pro_rata
    higher_of_independent: bool = True  # EU 883/2004 Art. 52(3)
    short_period_months: int | None = Field(default=12, ge=1, le=60)  # Art. 57; None: no such rule
    max_period_rule: bool = False  # Art. 56(1)(a)
    residence_supplement: bool = False  # Art. 58
    export: bool = True  # residence conditions waived for payment between parties
    equality_of_treatment: bool = True  # nationality conditions lifted between parties (C118, C157)
    posting_months: int | None = Field(default=24, ge=1, le=240)  # sending state's law applies this long
    in_force: date | None = None
    sources: list[str] = []
    hypothetical: bool = True

    @field_validator("parties")
    @classmethod
    def _codes(cls, v: list[str] | str) -> list[str] | str:
        if isinstance(v, list):
            bad = [p for p in v if not (len(p) == 3 and p.isupper())]
            if bad:
                raise ValueError(f"parties must be ISO 3166-1 alpha-3 codes (or XAA-XZZ): {bad}")
            if len(set(v)) < 2:
                raise ValueError("an instrument needs at least two parties")
        return v

    def party_codes(self, custom: list[str] | None = None) -> list[str]:
        return list(ASEAN_CODES) + list(custom or []) if self.parties == "all" else list(self.parties)

    def covers(self, branch: Branch) -> bool:
        return self.id != "none" and branch in self.branches


NONE = Instrument(
    id="none",
    title="Status quo: no coordination",
    parties="all",
    branches=[],
    short_period_months=None,
    export=False,
    equality_of_treatment=False,
    posting_months=None,
    hypothetical=False,
)

ASEAN_C157 = Instrument(
    id="asean-c157",
    title="Hypothetical multilateral ASEAN agreement on ILO C157/R167 lines (long-term branches)",
    parties="all",
    branches=list(LONG_TERM),
    method=Method.pro_rata,
    higher_of_independent=True,
    short_period_months=12,
    max_period_rule=True,
    residence_supplement=True,
    export=True,
    equality_of_treatment=True,
    posting_months=24,
    sources=["INTL-ILO-C157", "INTL-EU-883"],
)
ASEAN_C157_ALL = ASEAN_C157.model_copy(
    update={
        "id": "asean-c157-all-branches",
        "title": "Hypothetical multilateral ASEAN agreement on ILO C157 lines, all nine branches "
        "(short-term qualifying periods totalised too)",
        "branches": list(BRANCHES),
    }
)


def bilateral(a: str, b: str) -> Instrument:
    """The C157 template between two member states."""
    return ASEAN_C157.model_copy(
        update={
            "id": f"bilateral:{a}-{b}",
            "parties": [a, b],
            "title": f"Hypothetical bilateral agreement {ASEAN[a][0]}-{ASEAN[b][0]} on ILO C157 lines",
        }
    )


def from_agreements(kb: Knowledge) -> list[Instrument]:
    """Agreements in force that involve a member state, as instruments (from the ASEAN side)."""
    out = []
    for aid, a in kb.agreements.agreements.items() if kb.agreements else []:
        if a.kind.value != "bilateral_agreement" or a.status.value != "in_force" or len(a.parties) != 2:
            continue
        p = a.provisions
        out.append(
            Instrument(
                id=aid.lower(),
                title=a.title,
                parties=list(a.parties),
                branches=[b for b in a.branches if b in LONG_TERM] or list(LONG_TERM),
                method=Method(p.method) if p.method and p.method in Method.__members__ else Method.pro_rata,
                higher_of_independent=True,
                short_period_months=12,
                max_period_rule=False,
                residence_supplement=False,
                export=p.export.value != "no",
                equality_of_treatment=p.equality_of_treatment.value != "no",
                posting_months=(p.posting_months or 0) + (p.posting_extension_months or 0) or None,
                in_force=a.in_force,
                sources=sorted({s for f in a.facts for s in f.sources}),
                hypothetical=False,
            )
        )
    return out


def builtin(kb: Knowledge) -> dict[str, Instrument]:
    """Built once per knowledge base (instruments are not changed once built)."""
    if "instruments" not in kb.memo:
        kb.memo["instruments"] = {i.id: i for i in [NONE, ASEAN_C157, ASEAN_C157_ALL, *from_agreements(kb)]}
    return dict(kb.memo["instruments"])


def resolve(
    spec: str | dict[str, Any], kb: Knowledge, where: str = "career", custom: list[str] | None = None
) -> Instrument:
    """An instrument from its id, `bilateral:AAA-BBB`, or an inline definition (validated)."""
    known = builtin(kb)
    if isinstance(spec, str):
        if spec in known:
            return known[spec]
        if spec.startswith("bilateral:"):
            pair = spec.split(":", 1)[1].upper().split("-")
            if len(pair) == 2 and all(p in ASEAN for p in pair) and pair[0] != pair[1]:
                return bilateral(pair[0], pair[1])
        raise InvalidInput(
            [
                Problem(
                    where,
                    None,
                    "instrument",
                    f"unknown instrument {spec!r}; built-in: "
                    f"{', '.join(known)}, or bilateral:AAA-BBB for two member states",
                )
            ]
        )
    doc = YamlDoc(name=where, data=spec)
    try:
        inst = Instrument.model_validate(spec)
    except ValidationError as exc:
        raise InvalidInput(validation_problems(exc, doc, ("instrument",))) from None
    # Parties outside ASEAN are allowed: their periods count as input (their schemes are not modelled).
    return inst
