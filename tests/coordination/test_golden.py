"""Coordination rules on textbook careers with hypothetical schemes (custom XAA, XAB), each derived by hand.

Cases from the research golden file (EU-Art52-higher-of, EU-Art57-short-period, the IZA maximum-period
case and the Canada OAS direct-method case) and further derivations for each rule.
"""

from __future__ import annotations

from typing import Any

import pytest

from migrantsp.api import entitlements


def scheme(code: str, qualifying: int, flat: float = 300, accrual: float = 0.015, wage: float = 2000,
           **extra: Any) -> dict[str, Any]:  # fmt: skip
    amount = {"flat": flat, "accrual_per_year": accrual, "reference_wage": wage}
    amount.update(extra.pop("amount", {}))
    return {"country": code, "name": f"Hypothetical {code}", "currency": "EUR",
            "old_age": {"pensionable_age": 65, "qualifying_months": qualifying, "amount": amount, **extra}}  # fmt: skip


def career(spells: list[tuple[str, str, str]], schemes: list[dict[str, Any]], instrument: Any,
           residence: str = "XAA", nationality: str = "XAA") -> dict[str, Any]:  # fmt: skip
    return {
        "person": {
            "birth_date": "1960-01-01",
            "sex": "female",
            "nationality": nationality,
            "residence": residence,
        },
        "spells": [{"country": c, "start": s, "end": e, "monthly_wage": 2000} for c, s, e in spells],
        "evaluate": {"date": "2025-01-01", "branches": ["old_age"]},
        "instrument": instrument,
        "custom_schemes": schemes,
    }


def inline(**over: Any) -> dict[str, Any]:
    base = {"id": "textbook", "parties": ["XAA", "XAB"], "branches": ["old_age"], "method": "pro_rata",
            "higher_of_independent": True, "short_period_months": 12, "max_period_rule": False,
            "residence_supplement": False, "export": True}  # fmt: skip
    return base | over


def rows(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["country"]: r for r in doc["entitlements"]}


def amount(row: dict[str, Any]) -> float:
    return 0.0 if row["benefit"] is None else float(row["benefit"]["amount"])


A_10Y = ("XAA", "1980-01-01", "1989-12-31")
B_30Y = ("XAB", "1990-01-01", "2019-12-31")


def test_higher_of_independent_and_pro_rata_art_52_3() -> None:
    """EU-Art52-higher-of-DERIVED: A 10 y (15 y needed), B 30 y; both 300 + 1.5 % x years x 2,000.
    A: no right alone; T = 300 + 0.015 x 40 x 2000 = 1,500; pro rata 1,500 x 10/40 = 375.
    B: independent 300 + 0.015 x 30 x 2000 = 1,200; pro rata 1,125; pays the higher, 1,200. Total 1,575."""
    r = rows(entitlements(career([A_10Y, B_30Y], [scheme("XAA", 180), scheme("XAB", 60)], inline())))
    a, b = r["XAA"], r["XAB"]
    assert a["status"] == "entitled" and a["credited_months"] == 480 and a["insured_months"] == 120
    assert a["benefit"]["method"] == "pro_rata"
    assert a["benefit"]["theoretical_amount"] == pytest.approx(1500) and amount(a) == pytest.approx(375)
    assert b["benefit"]["independent_amount"] == pytest.approx(1200)
    assert b["benefit"]["pro_rata_amount"] == pytest.approx(1125)
    assert amount(b) == pytest.approx(1200) and b["benefit"]["method"] == "independent"
    assert a["benefit"]["payable_abroad"] and b["benefit"]["payable_abroad"]


def test_without_an_instrument_only_independent_rights() -> None:
    r = rows(entitlements(career([A_10Y, B_30Y], [scheme("XAA", 180), scheme("XAB", 60)], "none")))
    assert r["XAA"]["status"] == "not_entitled" and r["XAA"]["credited_months"] == 120
    assert amount(r["XAB"]) == pytest.approx(1200)


def test_pro_rata_only_without_the_higher_of_rule() -> None:
    r = rows(entitlements(career([A_10Y, B_30Y], [scheme("XAA", 180), scheme("XAB", 60)],
                                 inline(higher_of_independent=False))))  # fmt: skip
    assert amount(r["XAB"]) == pytest.approx(1125)


def test_periods_under_one_year_art_57() -> None:
    """EU-Art57-short-period-DERIVED: A 10 months only, no right alone -> A pays nothing; B counts them in T
    but not in the ratio: T = 300 + 0.015 x (30 + 10/12) x 2000 = 1,225 = pro rata; > independent 1,200."""
    r = rows(entitlements(career([("XAA", "1980-01-01", "1980-10-31"), B_30Y],
                                 [scheme("XAA", 180), scheme("XAB", 60)], inline())))  # fmt: skip
    assert amount(r["XAA"]) == 0.0 and r["XAA"]["status"] == "not_entitled"
    assert amount(r["XAB"]) == pytest.approx(1225)


def test_every_party_under_one_year_art_57_3() -> None:
    """A 10 months, B 8 months, both short; A needs 180, B 12 months. Art. 57(3): the last party whose
    conditions are met on all periods (B: 18 >= 12) pays as if all were its own:
    T = 300 + 0.015 x 1.5 x 2000 = 345. A pays nothing."""
    spells = [("XAA", "1980-01-01", "1980-10-31"), ("XAB", "1981-01-01", "1981-08-31")]
    r = rows(entitlements(career(spells, [scheme("XAA", 180), scheme("XAB", 12)], inline())))
    assert amount(r["XAA"]) == 0.0
    assert amount(r["XAB"]) == pytest.approx(345)


def test_maximum_period_rule_art_56() -> None:
    """IZA textbook case: A pays a full 800 after 40 years (flat x min(1, months/480)), B 50 % of 1,000 +
    1 % a year. A 18 y, B 24 y, D = 42 y > A's 40 y maximum. A: T = f(480) = 800, pro rata 800 x 18/40 = 360.
    B (no maximum): T = 500 + 0.01 x 42 x 1000 = 920; pro rata 920 x 24/42 = 525.71; independent
    500 + 0.01 x 24 x 1000 = 740."""
    a = scheme("XAA", 12, flat=800, accrual=0.0, amount={"flat_full_months": 480}, max_counted_months=480)
    b = scheme("XAB", 12, flat=500, accrual=0.01, wage=1000)
    spells = [("XAA", "1970-01-01", "1987-12-31"), ("XAB", "1988-01-01", "2011-12-31")]
    r = rows(entitlements(career(spells, [a, b], inline(max_period_rule=True, higher_of_independent=False))))
    assert r["XAA"]["benefit"]["theoretical_amount"] == pytest.approx(800)
    assert amount(r["XAA"]) == pytest.approx(360)
    assert r["XAB"]["benefit"]["theoretical_amount"] == pytest.approx(920)
    assert amount(r["XAB"]) == pytest.approx(525.71, abs=0.01)
    higher = rows(entitlements(career(spells, [a, b], inline(max_period_rule=True))))
    assert amount(higher["XAB"]) == pytest.approx(740)


def test_direct_method_canada_oas_style() -> None:
    """CA-OAS-direct-method: full 546.07 after 40 years (1/40 a year), 20 years needed; 15 years here and
    10 in the partner: totalised 25 years open the right; the amount rests on own years: 546.07 x 15/40."""
    a = scheme("XAA", 240, flat=546.07, accrual=0.0, amount={"flat_full_months": 480})
    b = scheme("XAB", 12)
    spells = [("XAA", "1980-01-01", "1994-12-31"), ("XAB", "1995-01-01", "2004-12-31")]
    r = rows(entitlements(career(spells, [a, b], inline(method="direct"))))
    assert r["XAA"]["benefit"]["method"] == "direct"
    assert amount(r["XAA"]) == pytest.approx(204.78, abs=0.01)
    alone = rows(entitlements(career(spells, [a, b], "none")))
    assert alone["XAA"]["status"] == "not_entitled"


def test_integration_the_last_party_pays_all() -> None:
    """Integration: B, the party of last insurance, pays f(D) = 300 + 0.015 x 40 x 2000 = 1,500; A nothing."""
    r = rows(entitlements(career([A_10Y, B_30Y], [scheme("XAA", 180), scheme("XAB", 60)],
                                 inline(method="integration"))))  # fmt: skip
    assert amount(r["XAB"]) == pytest.approx(1500)
    assert amount(r["XAA"]) == 0.0


def test_residence_supplement_art_58() -> None:
    """A 20 y, B 10 y, same formula; T = 300 + 0.015 x 30 x 2000 = 1,200. A: independent 900 > pro rata 800;
    B: independent 600 > pro rata 400. Total 1,500; A's resident minimum 1,600 -> A adds 100 (A pays 1,000)."""
    a = scheme("XAA", 180, resident_minimum=1600)
    spells = [("XAA", "1970-01-01", "1989-12-31"), ("XAB", "1990-01-01", "1999-12-31")]
    r = rows(entitlements(career(spells, [a, scheme("XAB", 60)], inline(residence_supplement=True))))
    assert r["XAA"]["benefit"]["supplement_amount"] == pytest.approx(100)
    assert amount(r["XAA"]) == pytest.approx(1000) and amount(r["XAB"]) == pytest.approx(600)
    abroad = rows(entitlements(career(spells, [a, scheme("XAB", 60)], inline(residence_supplement=True),
                                      residence="XAB")))  # fmt: skip
    assert abroad["XAA"]["benefit"]["supplement_amount"] == 0.0


@pytest.mark.parametrize(("months", "in_a", "in_b"), [(20, 20, 0), (30, 24, 6)])
def test_posting_art_12(months: int, in_a: int, in_b: int) -> None:
    """EU-Art12-posting-DERIVED: posted from A to B, the sending state's law applies for up to 24 months,
    then the host's (lex loci laboris). Without an instrument the career's own facts apply (host's law)."""
    end = {20: "2001-08-31", 30: "2002-06-30"}[months]
    c = career(
        [("XAB", "2000-01-01", end)], [scheme("XAA", 12), scheme("XAB", 12)], inline(posting_months=24)
    )
    c["spells"][0]["posted_from"] = "XAA"
    r = rows(entitlements(c))
    assert r["XAA"]["insured_months"] == in_a
    assert r.get("XAB", {"insured_months": 0})["insured_months"] == in_b


def test_relabelling_the_states_changes_nothing() -> None:
    one = rows(entitlements(career([A_10Y, B_30Y], [scheme("XAA", 180), scheme("XAB", 60)], inline())))
    swapped_spells = [("XAB", "1980-01-01", "1989-12-31"), ("XAA", "1990-01-01", "2019-12-31")]
    two = rows(entitlements(career(swapped_spells, [scheme("XAB", 180), scheme("XAA", 60)], inline(),
                                   nationality="XAB", residence="XAB")))  # fmt: skip
    assert amount(one["XAA"]) == pytest.approx(amount(two["XAB"]))
    assert amount(one["XAB"]) == pytest.approx(amount(two["XAA"]))
