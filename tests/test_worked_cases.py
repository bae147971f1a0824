"""Worked cases: careers whose entitlements were derived by hand from the cited law (tests/cases/<ISO3>/).

Each case file holds the career, the expected rows (any subset of a row's fields: status, kind, amount,
per, insured_months, credited_months, payable_abroad, method) and the derivation written beside them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from migrantsp.api import entitlements

CASES = sorted((Path(__file__).parent / "cases").rglob("*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(path.read_text())
    return doc


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_worked_case(path: Path) -> None:
    case = _load(path)
    assert case.get("derivation"), "every worked case writes its derivation beside it"
    result = entitlements(case["career"])
    rows = {(r["country"], r["branch"]): r for r in result["entitlements"]}
    tolerance = float(case.get("tolerance", 0.01))
    for exp in case["expect"]:
        key = (exp["country"], exp["branch"])
        assert key in rows, f"no row for {key}"
        row = rows[key]
        assert row["reasons"], f"{key} has no reason"
        for field in ("status", "insured_months", "credited_months", "scheme"):
            if field in exp:
                assert row[field] == exp[field], (key, field, row[field], row["reasons"])
        benefit = row["benefit"]
        for field in ("kind", "per", "payable_abroad", "method", "currency"):
            if field in exp:
                assert benefit is not None and benefit[field] == exp[field], (key, field, benefit)
        if "amount" in exp:
            assert benefit is not None
            if exp["amount"] is None:
                assert benefit["amount"] is None
            else:
                assert benefit["amount"] == pytest.approx(exp["amount"], abs=tolerance), (key, row["reasons"])


def test_every_member_state_has_three_worked_cases() -> None:
    by_country: dict[str, int] = {}
    for p in CASES:
        by_country[p.parent.name] = by_country.get(p.parent.name, 0) + 1
    missing = {c: n for c, n in by_country.items() if n < 3}
    assert not missing, missing


def test_explanations_read_as_sentences() -> None:
    """Reasons are for people: a qualifying test says what was counted against what was required."""
    case = _load(CASES[0].parent.parent / "THA" / "myanmar_factory_worker_lump_sum.yaml")
    result = entitlements(case["career"])
    sickness = next(r for r in result["entitlements"] if (r["country"], r["branch"]) == ("THA", "sickness"))
    messages = [r["message"] for r in sickness["reasons"]]
    assert (
        "0 contribution months in the 15 months before the sickness: at least 3 required, not met" in messages
    )
