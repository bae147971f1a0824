"""UN DESA migrant stocks shipped in `migrantsp.data`, checked against their SHA-256 before use.

A corridor cell is (origin, destination, sex) with the stock the chosen revision gives it; the
population builder draws workers cell by cell so that weights add up to these stocks.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

from migrantsp.domain import ASEAN

INTRA = "asean_migrant_stock.csv"
NON_ASEAN = "asean_emigrants_to_major_non_asean_destinations.csv"
TOTALS = "asean_emigrant_stock_totals.csv"
LIFE = "wpp2024_lifetables_asean.csv"  # read by `lifetables`
SHIPPED = (INTRA, NON_ASEAN, TOTALS, LIFE)
RESIDUAL = "OTH"  # destinations of the world total not listed in the shipped files (scope `world`)
REVISIONS = {"2020": ("Rev.2020", "UN DESA IMS 2020"), "2024": ("Rev.2024", "UN DESA IMS 2024")}


class Scope(StrEnum):
    asean = "asean"  # intra-ASEAN corridors: both ends modelled by the rules
    world = "world"  # plus ASEAN origins to the rest of the world (destination schemes not modelled)


class DataError(RuntimeError):
    """A shipped data file is missing or was altered: the installation is broken, not the input."""


@cache
def manifest() -> dict[str, str]:
    text = (resources.files("migrantsp.data") / "MANIFEST").read_text(encoding="utf-8")
    return {name: digest for digest, name in (line.split() for line in text.splitlines() if line.strip())}


@cache
def read_checked(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a shipped CSV whose bytes match the MANIFEST."""
    raw = (resources.files("migrantsp.data") / name).read_bytes()
    expected = manifest().get(name)
    actual = hashlib.sha256(raw).hexdigest()
    if expected != actual:
        raise DataError(f"{name}: SHA-256 {actual} does not match the MANIFEST ({expected})")
    return tuple(csv.DictReader(raw.decode("utf-8").splitlines()))


def data_hashes() -> dict[str, str]:
    return {name: manifest()[name] for name in SHIPPED}


@dataclass(frozen=True)
class Cell:
    origin: str
    destination: str
    sex: int  # 0 female, 1 male (as in Batch)
    stock: float


def years(revision: str) -> list[int]:
    rev = REVISIONS[revision][0]
    return sorted({int(r["year"]) for r in read_checked(INTRA) if r["revision"] == rev})


def cells(revision: str, year: int, scope: Scope) -> list[Cell]:
    """Corridor x sex cells with a positive stock, in a fixed order (origin, destination, sex)."""
    rev = REVISIONS[revision][0]
    sexes = {"female": 0, "male": 1}
    files = [INTRA] if scope is Scope.asean else [INTRA, NON_ASEAN]
    stock: dict[tuple[str, str, int], float] = {}
    for name in files:
        for r in read_checked(name):
            if r["revision"] == rev and int(r["year"]) == year and r["sex"] in sexes and r["migrants"]:
                o, d = r["origin_iso3"], r["destination_iso3"]
                if o != d and o in ASEAN:
                    stock[(o, d, sexes[r["sex"]])] = float(r["migrants"])
    if scope is Scope.world:
        for r in read_checked(TOTALS):
            if r["revision"] == rev and int(r["year"]) == year and r["sex"] in sexes:
                o, s = r["country_iso3"], sexes[r["sex"]]
                listed = sum(v for (oo, _, ss), v in stock.items() if oo == o and ss == s)
                rest = float(r["migrants"]) - listed
                if rest > 0:
                    stock[(o, RESIDUAL, s)] = rest
    return [Cell(o, d, s, v) for (o, d, s), v in sorted(stock.items()) if v > 0]


def label(revision: str, year: int) -> str:
    name = REVISIONS[revision][1]
    return name if year == int(revision) else f"{name} (data year {year})"
