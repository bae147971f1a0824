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
    "LUX": "Luxembourg",
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


SECTOR_ORDER: tuple[Sector, ...] = tuple(Sector)
ACTIVITY_ORDER: tuple[Activity, ...] = tuple(Activity)


class Answer(StrEnum):
    """A yes/no fact that research may not have settled."""

    yes = "yes"
    no = "no"
    partial = "partial"
    unknown = "unknown"
    not_applicable = "not_applicable"


# ISO 3166-1 alpha-3 codes: any of them may appear in a career (work outside ASEAN counts through home
# coverage and agreements); custom what-if schemes use the user-assigned range XAA-XZZ.
ISO3_CODES: frozenset[str] = frozenset(
    """
    ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD BGR
    BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR COD COG
    COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH
    FIN FJI FLK FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY
    HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM
    KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL
    MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR
    NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU
    SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA
    TCD TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB
    VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE
    """.split()
)


def is_custom_code(code: str) -> bool:
    """ISO 3166-1 reserves XAA-XZZ for user assignment; we use it for hypothetical schemes."""
    return len(code) == 3 and code[0] == "X" and code[1:].isalpha() and code.isupper()
