"""The fixed vocabulary every layer shares: member states, ILO C102 branches, enumerations."""

from __future__ import annotations

from enum import StrEnum


class Branch(StrEnum):
    """The nine branches of ILO Convention No. 102, in the Convention's order (Parts II-X)."""

    medical_care = "medical_care"
    sickness = "sickness"
    unemployment = "unemployment"
    old_age = "old_age"
    employment_injury = "employment_injury"
    family = "family"
    maternity = "maternity"
    invalidity = "invalidity"
    survivors = "survivors"


BRANCHES: tuple[Branch, ...] = tuple(Branch)

BRANCH_LABELS: dict[Branch, str] = {
    Branch.medical_care: "Medical care",
    Branch.sickness: "Sickness",
    Branch.unemployment: "Unemployment",
    Branch.old_age: "Old age",
    Branch.employment_injury: "Employment injury",
    Branch.family: "Family",
    Branch.maternity: "Maternity",
    Branch.invalidity: "Invalidity",
    Branch.survivors: "Survivors",
}

# The ten ASEAN member states: ISO 3166-1 alpha-3 code -> (English short name, ISO 4217 currency).
ASEAN: dict[str, tuple[str, str]] = {
    "BRN": ("Brunei Darussalam", "BND"),
    "KHM": ("Cambodia", "KHR"),
    "IDN": ("Indonesia", "IDR"),
    "LAO": ("Lao PDR", "LAK"),
    "MYS": ("Malaysia", "MYR"),
    "MMR": ("Myanmar", "MMK"),
    "PHL": ("Philippines", "PHP"),
    "SGP": ("Singapore", "SGD"),
    "THA": ("Thailand", "THB"),
    "VNM": ("Viet Nam", "VND"),
}
ASEAN_CODES: tuple[str, ...] = tuple(ASEAN)

# Partner states of agreements that involve member states (the other side of a bilateral agreement).
PARTNERS: dict[str, str] = {
    "AUS": "Australia",
    "AUT": "Austria",
    "BEL": "Belgium",
    "CAN": "Canada",
    "CHE": "Switzerland",
    "DEU": "Germany",
    "DNK": "Denmark",
    "ESP": "Spain",
    "FIN": "Finland",
    "FRA": "France",
    "GBR": "United Kingdom",
    "ISR": "Israel",
    "JPN": "Japan",
    "KOR": "Republic of Korea",
    "NLD": "Netherlands",
    "NOR": "Norway",
    "NZL": "New Zealand",
    "PRT": "Portugal",
    "SWE": "Sweden",
    "USA": "United States",
    "CAQ": "Quebec (Canada)",  # Quebec signs its own agreements; not an ISO code, kept distinct on purpose
}


class Coverage(StrEnum):
    """How a scheme treats a group of workers (contract section 5)."""

    mandatory = "mandatory"
    voluntary = "voluntary"
    excluded = "excluded"
    no_scheme = "no_scheme"


class Confidence(StrEnum):
    """How sure we are of a fact: seen in law or agency text, seen only second-hand, or not confirmed."""

    primary = "primary"
    secondary = "secondary"
    unverified = "unverified"


CONFIDENCE_RANK: dict[Confidence, int] = {
    Confidence.primary: 2,
    Confidence.secondary: 1,
    Confidence.unverified: 0,
}


class SchemeType(StrEnum):
    social_insurance = "social_insurance"
    provident_fund = "provident_fund"
    employer_liability = "employer_liability"
    mandatory_private_insurance = "mandatory_private_insurance"
    tax_funded = "tax_funded"


class Sector(StrEnum):
    agriculture = "agriculture"
    fishing = "fishing"
    forestry = "forestry"
    construction = "construction"
    manufacturing = "manufacturing"
    services = "services"
    hospitality = "hospitality"
    domestic_work = "domestic_work"
    other = "other"


class Activity(StrEnum):
    employee = "employee"
    self_employed = "self_employed"
    domestic_worker = "domestic_worker"
    seafarer = "seafarer"


class Answer(StrEnum):
    """A yes/no fact that research may not have settled."""

    yes = "yes"
    no = "no"
    partial = "partial"
    unknown = "unknown"
    not_applicable = "not_applicable"
