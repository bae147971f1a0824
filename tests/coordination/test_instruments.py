"""Instruments on real member states' rules: equality of treatment, export, short-term totalisation,
properties (single-state careers unchanged, pro-rata within theoretical, batch invariance), commands."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from migrantsp.api import entitlements
from migrantsp.cli.main import app
from migrantsp.coordination.instruments import resolve
from migrantsp.domain import ASEAN_CODES, BRANCHES
from migrantsp.engine.evaluate import evaluate
from migrantsp.engine.sample import TEST_WAGE, random_batch
from migrantsp.knowledge.base import knowledge
from migrantsp.problems import InvalidInput

runner = CliRunner()


def rows(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["country"], r["branch"]): r for r in doc["entitlements"]}


def test_equality_of_treatment_opens_a_citizens_only_scheme() -> None:
    """Singapore's CPF is closed to foreigners since 1995; a C157-style agreement lifts nationality conditions."""
    c = {"person": {"birth_date": "1985-01-01", "sex": "male", "nationality": "MYS"},
         "spells": [{"country": "SGP", "start": "2010-01-01", "end": "2024-12-31", "monthly_wage": 3000}],
         "evaluate": {"date": "2025-01-01", "branches": ["old_age"]}}  # fmt: skip
    before = rows(entitlements(c))[("SGP", "old_age")]
    after = rows(entitlements(c | {"instrument": "asean-c157"}))[("SGP", "old_age")]
    assert before["status"] == "not_covered" and before["insured_months"] == 0
    assert after["insured_months"] == 180


def test_short_term_qualifying_periods_totalised() -> None:
    """Thai sickness benefit needs 3 contribution months in the 15 before; a worker who arrived from Malaysia
    a month ago has 2 Thai months; with all branches coordinated the Malaysian months count."""
    c = {"person": {"birth_date": "1985-01-01", "sex": "male", "nationality": "MYS"},
         "spells": [{"country": "MYS", "start": "2020-01-01", "end": "2025-10-31", "monthly_wage": 3000},
                    {"country": "THA", "start": "2025-11-01", "monthly_wage": 15000}],
         "evaluate": {"date": "2025-12-15", "branches": ["sickness"]}}  # fmt: skip
    alone = rows(entitlements(c))[("THA", "sickness")]
    assert alone["status"] == "not_entitled"
    coordinated = rows(entitlements(c | {"instrument": "asean-c157-all-branches"}))[("THA", "sickness")]
    assert coordinated["status"] == "entitled"
    assert coordinated["credited_months"] > alone["credited_months"]
    assert any(r["code"] == "totalised" for r in coordinated["reasons"])


def test_unknown_or_malformed_instruments_are_user_errors() -> None:
    kb = knowledge()
    with pytest.raises(InvalidInput, match="unknown instrument 'asean-x'"):
        resolve("asean-x", kb)
    with pytest.raises(InvalidInput, match=r"instrument\.method"):
        resolve({"id": "x", "parties": ["THA", "MMR"], "method": "sideways"}, kb)
    assert resolve("bilateral:THA-MMR", kb).parties == ["THA", "MMR"]


COUNTRIES = list(ASEAN_CODES)
SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def careers(draw: st.DrawFn, single: bool = False) -> dict[str, Any]:
    nationality = draw(st.sampled_from(COUNTRIES))
    birth = date(1960, 1, 1) + timedelta(days=draw(st.integers(0, 30 * 365)))
    cursor = birth + timedelta(days=20 * 365)
    spells = []
    for _ in range(draw(st.integers(1, 3))):
        country = nationality if single else draw(st.sampled_from(COUNTRIES))
        start = cursor + timedelta(days=draw(st.integers(0, 200)))
        end = start + timedelta(days=draw(st.integers(60, 10 * 365)))
        spells.append({"country": country, "start": start.isoformat(), "end": end.isoformat(),
                       "sector": draw(st.sampled_from(["manufacturing", "construction", "services"])),
                       "monthly_wage": TEST_WAGE[country]})  # fmt: skip
        cursor = end
    return {"person": {"birth_date": birth.isoformat(), "sex": draw(st.sampled_from(["female", "male"])),
                       "nationality": nationality},
            "spells": spells, "evaluate": {"date": (cursor + timedelta(days=30)).isoformat()}}  # fmt: skip


@SETTINGS
@given(careers(single=True))
def test_a_career_in_ones_own_state_is_the_same_under_every_instrument(c: dict[str, Any]) -> None:
    base = rows(entitlements(c))
    for instrument in ("asean-c157", "asean-c157-all-branches"):
        other = rows(entitlements(c | {"instrument": instrument}))
        for key, row in base.items():
            assert other[key]["status"] == row["status"], (instrument, key)
            assert other[key]["credited_months"] == row["credited_months"], (instrument, key)
            a = (row["benefit"] or {}).get("amount")
            b = (other[key]["benefit"] or {}).get("amount")
            assert (a is None and b is None) or a == pytest.approx(b), (instrument, key)


@SETTINGS
@given(careers())
def test_pro_rata_never_exceeds_the_theoretical_amount(c: dict[str, Any]) -> None:
    for row in entitlements(c | {"instrument": "asean-c157"})["entitlements"]:
        b = row["benefit"]
        if b and b["theoretical_amount"] is not None and b["pro_rata_amount"] is not None:
            assert b["pro_rata_amount"] <= b["theoretical_amount"] + 1e-6, row
        assert row["credited_months"] >= row["insured_months"]


def test_a_worker_alone_equals_the_same_worker_in_a_batch_under_asean_c157() -> None:
    kb = knowledge()
    inst = resolve("asean-c157", kb)
    batch = random_batch(20_000, seed=11)
    whole = evaluate(batch, kb, list(BRANCHES), instrument=inst)
    for i in np.random.default_rng(5).choice(batch.size, 15, replace=False).tolist():
        alone = evaluate(batch.take(np.array([i])), kb, list(BRANCHES), instrument=inst)
        mine = np.flatnonzero(whole.row_person == i)
        for b in BRANCHES:
            w, a = whole.branches[b], alone.branches[b]
            assert w.status[mine].tolist() == a.status.tolist(), (i, b)
            assert w.credited_months[mine].tolist() == a.credited_months.tolist(), (i, b)
            np.testing.assert_allclose(w.amount[mine], a.amount, rtol=1e-9, equal_nan=True)


def test_instruments_command_lists_built_ins() -> None:
    result = runner.invoke(app, ["instruments", "--format", "json"])
    assert result.exit_code == 0
    ids = {i["id"] for i in json.loads(result.stdout)}
    assert {"none", "asean-c157", "vnm-kor"} <= ids
    assert sum(i.startswith("phl-") for i in ids) >= 10
    assert "asean-c157" in runner.invoke(app, ["instruments"]).stdout


def test_compare_command(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("""\
person: {birth_date: 1975-03-01, sex: male, nationality: MMR}
spells:
  - {country: THA, start: 2000-01-01, end: 2009-12-31, sector: construction, monthly_wage: 12000}
  - {country: MYS, start: 2010-01-01, end: 2019-12-31, sector: manufacturing, monthly_wage: 1800}
  - {country: THA, start: 2020-01-01, end: 2025-12-31, sector: manufacturing, monthly_wage: 15000}
evaluate: {date: 2030-03-01, branches: [old_age]}
""")
    table = runner.invoke(app, ["compare", str(path)])
    assert table.exit_code == 0, table.output
    assert "months now count" in table.stdout and "now payable abroad" in table.stdout
    doc = json.loads(runner.invoke(app, ["compare", str(path), "-f", "json"]).stdout)
    tha = next(r for r in doc["rows"] if r["country"] == "THA")
    assert tha["asean-c157"]["credited_months"] > tha["none"]["credited_months"]
    explained = runner.invoke(app, ["compare", str(path), "--explain"])
    assert "Art. 52" in explained.stdout and "== asean-c157 ==" in explained.stdout


def test_work_in_two_parties_at_once_art_13() -> None:
    """A Malaysian living in Malaysia works there (MYR 3,000) and at the same time in Singapore (SGD 1,000).
    Malaysia brings well over 25 % of the combined wage, so Malaysia's law applies to both jobs under the
    instrument (Art. 13(1)); without it, Singapore's own rules apply to the Singapore job as the career says."""
    c = {"person": {"birth_date": "1980-01-01", "sex": "male", "nationality": "MYS"},
         "spells": [{"country": "MYS", "start": "2015-01-01", "end": "2024-12-31", "monthly_wage": 3000},
                    {"country": "SGP", "start": "2018-01-01", "end": "2019-12-31", "monthly_wage": 1000}],
         "evaluate": {"date": "2025-01-01", "branches": ["employment_injury"]}}  # fmt: skip
    alone = rows(entitlements(c))
    assert alone[("SGP", "employment_injury")]["insured_months"] == 24
    coordinated = rows(entitlements(c | {"instrument": "asean-c157-all-branches"}))
    assert coordinated[("SGP", "employment_injury")]["insured_months"] == 0
    assert (
        coordinated[("MYS", "employment_injury")]["insured_months"]
        >= alone[("MYS", "employment_injury")]["insured_months"]
    )


@pytest.mark.parametrize(("years", "korea", "viet_nam"), [(4, True, False), (9, True, True)])
def test_korea_viet_nam_detachment(years: int, korea: bool, viet_nam: bool) -> None:
    """KR-VN-applicable-legislation (NPS): a worker detached from Korea to Viet Nam stays under Korean law
    for 5 years plus a 3-year extension; beyond 8 years Viet Nam's law applies."""
    start = date(2024, 1, 1)
    end = date(2024 + years, 1, 1) - timedelta(days=1)
    c = {"person": {"birth_date": "1980-01-01", "sex": "male", "nationality": "KOR"},
         "spells": [{"country": "VNM", "start": start.isoformat(), "end": end.isoformat(), "posted_from": "KOR",
                     "monthly_wage": 30_000_000}],
         "evaluate": {"date": end.isoformat(), "branches": ["old_age"]}}  # fmt: skip
    r = rows(entitlements(c | {"instrument": "vnm-kor"}))
    vnm = r.get(("VNM", "old_age"), {"insured_months": 0})
    assert (vnm["insured_months"] > 0) == viet_nam
    if viet_nam:
        assert vnm["insured_months"] == 12 * years - 96


def test_a_right_whose_amount_is_unknown_stays_a_right_under_an_instrument() -> None:
    """Brunei's SPK pays citizens an annuity whose formula the knowledge base does not hold: entitled with an
    unknown amount under national law, and still so when an agreement totalises the Malaysian years."""
    c = {"person": {"birth_date": "1970-01-01", "sex": "male", "nationality": "BRN"},
         "spells": [{"country": "MYS", "start": "2015-04-29", "end": "2023-04-28", "sector": "manufacturing",
                     "monthly_wage": 1800},
                    {"country": "BRN", "start": "2023-04-29", "end": "2030-07-01", "sector": "services",
                     "monthly_wage": 440}],
         "evaluate": {"date": "2030-07-01", "branches": ["old_age"]}}  # fmt: skip
    alone = rows(entitlements(c))[("BRN", "old_age")]
    coordinated = rows(entitlements(c | {"instrument": "asean-c157"}))[("BRN", "old_age")]
    assert alone["status"] == coordinated["status"] == "entitled"
    assert alone["benefit"]["amount"] is None and coordinated["benefit"]["amount"] is None
    assert coordinated["credited_months"] > alone["credited_months"]


def test_export_reaches_a_worker_insured_in_one_state_who_lives_in_another_party() -> None:
    """The Myanmar woman back home with a Thai old-age lump sum: no totalisation is needed (Myanmar has no
    old-age scheme), but the agreement's export clause lets Thailand pay her in Myanmar."""
    c = {"person": {"birth_date": "1980-05-01", "sex": "female", "nationality": "MMR"},
         "spells": [{"country": "THA", "start": "2005-01-01", "end": "2016-12-31", "sector": "manufacturing",
                     "monthly_wage": 12000}],
         "evaluate": {"date": "2035-05-01", "branches": ["old_age"]}}  # fmt: skip
    before = rows(entitlements(c))[("THA", "old_age")]
    after = rows(entitlements(c | {"instrument": "asean-c157"}))[("THA", "old_age")]
    assert before["benefit"]["payable_abroad"] is False
    assert after["benefit"]["payable_abroad"] is True
    assert after["benefit"]["amount"] == before["benefit"]["amount"]
    assert any(r["code"] == "export" for r in after["reasons"])
