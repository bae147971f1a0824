"""Currency conversion with dated (yearly average) exchange rates; used only at the edges."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources


@cache
def _rates() -> dict[tuple[str, int], float]:
    path = resources.files("migrantsp.data") / "exchange_rates_lcu_per_usd.csv"
    with path.open(encoding="utf-8") as f:
        return {(r["currency"], int(r["year"])): float(r["lcu_per_usd"]) for r in csv.DictReader(f)}


@cache
def per_usd(currency: str, year: int) -> float | None:
    """Units of `currency` per USD in `year` (nearest year on record when outside the series)."""
    if currency == "USD":
        return 1.0
    rates = _rates()
    years = [y for c, y in rates if c == currency]
    if not years:
        return None
    return rates[(currency, min(max(year, min(years)), max(years)))]


def rate(from_currency: str, to_currency: str, year: int) -> float | None:
    """Multiply an amount in `from_currency` by this to get `to_currency` (None when no rate exists)."""
    if from_currency == to_currency:
        return 1.0
    a, b = per_usd(from_currency, year), per_usd(to_currency, year)
    return None if a is None or b is None else b / a
