"""Properties every rule must keep, checked on generated careers (hypothesis) and a large random batch."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrantsp.api import entitlements
from migrantsp.domain import ASEAN, ASEAN_CODES, BRANCHES, SECTOR_ORDER, Activity
from migrantsp.engine.batch import Batch
from migrantsp.engine.evaluate import evaluate
from migrantsp.engine.sample import TEST_WAGE, random_batch
from migrantsp.knowledge.base import knowledge
from migrantsp.rules import rules_for


def _has_rules(code: str) -> bool:
    try:
        rules_for(code)
    except ModuleNotFoundError:
        return False
    return True


COUNTRIES = [c for c in ASEAN_CODES if _has_rules(c)]
ALL_RULES = len(COUNTRIES) == len(ASEAN_CODES)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def careers(draw: st.DrawFn) -> dict[str, Any]:
    host = draw(st.sampled_from(COUNTRIES))
    nationality = draw(st.sampled_from(COUNTRIES))
    birth = date(1960, 1, 1) + timedelta(days=draw(st.integers(0, 35 * 365)))
    n = draw(st.integers(1, 3))
    spells = []
    cursor = birth + timedelta(days=18 * 365)
    for _ in range(n):
        start = cursor + timedelta(days=draw(st.integers(0, 400)))
        end = start + timedelta(days=draw(st.integers(30, 12 * 365)))
        spells.append({
            "country": draw(st.sampled_from([host, nationality])),
            "start": start.isoformat(), "end": end.isoformat(),
            "sector": draw(st.sampled_from([s.value for s in SECTOR_ORDER])),
            "activity": draw(st.sampled_from([a.value for a in Activity])),
            "documented": draw(st.booleans()),
            "home_contributions": draw(st.booleans()),
            "monthly_wage": TEST_WAGE[host] * draw(st.floats(0.3, 3.0)),
        })  # fmt: skip
        cursor = end
    for s in spells:
        s["monthly_wage"] = TEST_WAGE[s["country"]]
    evaluation = cursor + timedelta(days=draw(st.integers(0, 3000)))
    return {
        "person": {"birth_date": birth.isoformat(), "sex": draw(st.sampled_from(["female", "male"])),
                   "nationality": nationality},
        "spells": spells,
        "evaluate": {"date": evaluation.isoformat()},
    }  # fmt: skip


def _rows(result: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["country"], r["branch"]): r for r in result["entitlements"]}


@SETTINGS
@given(careers())
def test_every_row_has_a_cited_reason(career: dict[str, Any]) -> None:
    result = entitlements(career)
    assert result["entitlements"]
    for row in result["entitlements"]:
        assert row["reasons"], row
        for reason in row["reasons"]:
            assert reason["sources"], (row["country"], row["branch"], reason)


@SETTINGS
@given(careers(), st.randoms())
def test_the_order_of_spells_changes_nothing(career: dict[str, Any], rnd: Any) -> None:
    shuffled = dict(career, spells=list(career["spells"]))
    rnd.shuffle(shuffled["spells"])
    a, b = _rows(entitlements(career)), _rows(entitlements(shuffled))
    assert a.keys() == b.keys()
    for key in a:
        for field in ("status", "insured_months", "credited_months", "benefit"):
            assert a[key][field] == b[key][field], (key, field)


@SETTINGS
@given(careers(), st.integers(30, 5 * 365))
def test_more_insured_time_never_lowers_an_amount(career: dict[str, Any], extra_days: int) -> None:
    """Extending the last spell (same job, same wage, evaluation date unchanged) never takes a right away,
    never lowers insured months and never lowers a lump sum (a sum of contributions). Pensions and
    allowances are averages of insured wages: a month insured on a lower wage may lower them slightly,
    as the law intends (the SSS average of all monthly salary credits, for instance), so their amounts
    are not compared."""
    last = career["spells"][-1]
    longer_end = date.fromisoformat(last["end"]) + timedelta(days=extra_days)
    evaluation = max(date.fromisoformat(career["evaluate"]["date"]), longer_end)
    base = dict(career, evaluate={"date": evaluation.isoformat()})
    longer = dict(base, spells=[*career["spells"][:-1], dict(last, end=longer_end.isoformat())])
    a, b = _rows(entitlements(base)), _rows(entitlements(longer))
    for key, row in a.items():
        if row["status"] != "entitled":
            continue
        other = b[key]
        assert other["status"] == "entitled", (key, row["reasons"], other["reasons"])
        assert other["insured_months"] >= row["insured_months"], key
        known = row["benefit"]["amount"] is not None and other["benefit"]["amount"] is not None
        # (an amount can become unknown: e.g. Indonesia's JKM for a worker insured abroad has no table here)
        if row["benefit"]["kind"] == other["benefit"]["kind"] == "lump_sum" and known:
            assert other["benefit"]["amount"] >= row["benefit"]["amount"] - 1e-6, (key, row, other)


@pytest.mark.skipif(not ALL_RULES, reason="needs every member state's rules")
def test_a_worker_alone_equals_the_same_worker_in_a_batch_of_100000() -> None:
    kb = knowledge()
    batch = random_batch(100_000, seed=7)
    whole = evaluate(batch, kb, list(BRANCHES))
    rng = np.random.default_rng(3)
    for i in rng.choice(batch.size, 25, replace=False).tolist():
        alone = evaluate(batch.take(np.array([i])), kb, list(BRANCHES))
        mine = np.flatnonzero(whole.row_person == i)
        assert [batch.countries.codes[c] for c in whole.row_country[mine]] == [
            alone.batch.countries.codes[c] for c in alone.row_country
        ]
        for b in BRANCHES:
            w, a = whole.branches[b], alone.branches[b]
            assert w.status[mine].tolist() == a.status.tolist(), (i, b)
            assert w.insured_months[mine].tolist() == a.insured_months.tolist(), (i, b)
            np.testing.assert_allclose(w.amount[mine], a.amount, rtol=1e-12, equal_nan=True)


def test_batch_from_careers_matches_columns() -> None:
    """A batch built from career objects holds the same spells the file said."""
    from migrantsp.api import as_career

    c = as_career({"person": {"birth_date": "1980-01-01", "sex": "male", "nationality": "KHM"},
                   "spells": [{"country": "THA", "start": "2005-01-01", "end": "2010-12-31", "monthly_wage": 9000}],
                   "evaluate": {"date": "2030-01-01"}})  # fmt: skip
    b = Batch.from_careers([c])
    assert b.countries.codes[int(b.country[0])] == "THA" and b.wage[0] == 9000
    assert str(b.end[0]) == "2010-12-31" and ASEAN["KHM"][1] == "KHR"


def test_parallel_evaluation_equals_serial() -> None:
    from migrantsp.engine.parallel import evaluate_parallel

    kb = knowledge()
    batch = random_batch(120_000, seed=21)
    serial = evaluate(batch, kb, list(BRANCHES))
    parallel = evaluate_parallel(batch, kb, list(BRANCHES), workers=2)
    assert parallel.row_person.tolist() == serial.row_person.tolist()
    for b in BRANCHES:
        s, p = serial.branches[b], parallel.branches[b]
        assert np.array_equal(s.status, p.status) and np.array_equal(s.credited_months, p.credited_months)
        np.testing.assert_allclose(s.amount, p.amount, equal_nan=True)
        assert [serial.scheme_of(b, r) for r in range(0, s.status.size, 997)] == [
            parallel.scheme_of(b, r) for r in range(0, s.status.size, 997)
        ]


@pytest.mark.skipif(not ALL_RULES, reason="needs every member state's rules")
def test_national_results_shared_between_scenarios_equal_a_fresh_evaluation() -> None:
    """The memo a simulation part shares across its scenarios changes no result: each scenario alone
    (none, asean-c157 with equality of treatment, a patched knowledge base) gives the same columns."""
    from migrantsp.coordination.instruments import resolve
    from migrantsp.engine.memo import NationalMemo
    from migrantsp.scenarios.apply import scenario_run

    kb = knowledge()
    batch = random_batch(20_000, seed=11)
    _, patched, lifted = scenario_run("lift-tha-agriculture", kb)
    runs = [(kb, resolve("none", kb)), (kb, resolve("asean-c157", kb)), (patched, lifted),
            (kb, resolve("bilateral:MYS-IDN", kb)),  # other parties: a Lao worker in Malaysia is not one
            (kb, resolve("asean-c157-all-branches", kb))]  # fmt: skip
    memo = NationalMemo()
    for k, inst in runs:
        shared = evaluate(batch, k, list(BRANCHES), instrument=inst, memo=memo)
        fresh = evaluate(batch, k, list(BRANCHES), instrument=inst)
        for b in BRANCHES:
            s, f = shared.branches[b], fresh.branches[b]
            for name in (
                "status",
                "insured_months",
                "credited_months",
                "kind",
                "per",
                "payable_abroad",
                "method",
            ):
                assert np.array_equal(getattr(s, name), getattr(f, name)), (inst.id, b, name)
            for name in ("amount", "theoretical", "pro_rata", "independent", "supplement"):  # to the bit
                np.testing.assert_array_equal(
                    getattr(s, name), getattr(f, name), err_msg=f"{inst.id} {b} {name}"
                )
            assert [shared.scheme_of(b, r) for r in range(s.status.size)] == [
                fresh.scheme_of(b, r) for r in range(f.status.size)
            ]
    assert memo.hits >= 4  # used: e.g. Myanmar and Thailand, where nationality changes no coverage
    assert memo.partial >= 4  # and where it does, for all but the other parties' nationals working there


def test_equality_of_treatment_reaches_a_party_national_posted_from_a_party() -> None:
    """A Malaysian posted from Singapore to Korea stays insured in Singapore under asean-c157 (equality of
    treatment lifts the CPF's nationality condition), with or without an explanation."""
    from migrantsp.api import as_career
    from migrantsp.coordination.instruments import resolve
    from migrantsp.domain import Branch

    kb = knowledge()
    career = as_career({"person": {"birth_date": "1980-01-01", "sex": "male", "nationality": "MYS"},
                        "spells": [{"country": "KOR", "start": "2010-01-01", "end": "2024-12-31",
                                    "posted_from": "SGP", "monthly_wage": 3000}],
                        "evaluate": {"date": "2025-01-01", "branches": ["old_age"]}})  # fmt: skip
    for trace in (False, True):
        res = evaluate(Batch.from_careers([career]), kb, [Branch.old_age], trace=trace,
                       instrument=resolve("asean-c157", kb))  # fmt: skip
        sgp = [
            r for r in range(res.row_person.size) if res.batch.countries.codes[res.row_country[r]] == "SGP"
        ]
        assert res.branches[Branch.old_age].insured_months[sgp].tolist() == [180], trace
