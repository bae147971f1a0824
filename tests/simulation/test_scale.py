"""Parts, backends, present values, branches and differences from the baseline (hand-checkable runs)."""

from __future__ import annotations

import csv
from dataclasses import replace
from importlib import resources
from typing import Any

import numpy as np
import pytest

from migrantsp.knowledge.base import knowledge
from migrantsp.population import data, lifetables, run
from migrantsp.population.assumptions import defaults
from migrantsp.population.build import build
from migrantsp.population.run import Settings, simulate, summary

STOCK_DATE = np.datetime64("2020-07-01")
SMALL = Settings(size=3000, seed=7, scope=data.Scope.asean, workers=1)


@pytest.fixture(scope="module")
def parted(request: pytest.FixtureRequest) -> dict[str, Any]:
    """A 3,000-worker run in parts of 1,000, persons kept, on one process."""
    mp = pytest.MonkeyPatch()
    mp.setattr(run, "PART", 1000)
    try:
        return summary(simulate(SMALL, defaults(), knowledge()))
    finally:
        mp.undo()


def test_a_range_of_workers_built_alone_equals_the_same_workers_of_the_whole() -> None:
    cells = data.cells("2020", 2020, data.Scope.asean)
    whole = build(cells, 250_000, 3, defaults(), STOCK_DATE)
    part = build(cells, 250_000, 3, defaults(), STOCK_DATE, 99_000, 101_500)  # across a seed block
    same = whole.take(np.arange(99_000, 101_500))
    for name in ("birth", "person", "start", "end", "country", "sector", "documented", "wage", "residence"):
        assert np.array_equal(getattr(part.batch, name), getattr(same.batch, name)), name
    assert np.array_equal(part.weight, same.weight)


def test_parts_processes_and_persons_kept_or_not_give_the_same_totals(
    parted: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(run, "PART", 1000)
    forked = summary(simulate(replace(SMALL, workers=2, keep_persons=False), defaults(), knowledge()))
    assert forked == parted
    monkeypatch.setattr(run, "PART", 3000)
    one = summary(simulate(SMALL, defaults(), knowledge()))
    assert one["scenarios"][1]["indicators"] == pytest.approx(parted["scenarios"][1]["indicators"], abs=2)


def test_persons_not_kept_leave_an_empty_population(monkeypatch: pytest.MonkeyPatch) -> None:
    sim = simulate(replace(SMALL, keep_persons=False), defaults(), knowledge())
    assert sim.population.size == 0 and sim.outcomes == {}
    assert summary(sim)["population"]["size"] == 3000


def test_margins_reproduce_the_stock_of_every_corridor_within_one_percent(parted: dict[str, Any]) -> None:
    stock: dict[tuple[str, str], float] = {}
    for c in data.cells("2020", 2020, data.Scope.asean):
        stock[(c.origin, c.destination)] = stock.get((c.origin, c.destination), 0.0) + c.stock
    rows = parted["population"]["by_corridor"]
    assert len(rows) == len(stock)
    for r in rows:
        assert r["represented"] == pytest.approx(stock[(r["origin"], r["destination"])], rel=0.01)
    assert sum(r["workers"] for r in rows) == 3000


def test_gains_minus_losses_are_the_change_in_entitled_workers(parted: dict[str, Any]) -> None:
    c157 = parted["scenarios"][1]
    d = c157["difference"]
    assert d["baseline"] == "none" and "difference" not in parted["scenarios"][0]
    i = d["indicators"]
    change = i["workers_gaining_entitlement"] - i["workers_losing_entitlement"]
    assert change == pytest.approx(i["workers_entitled"], abs=2)
    assert i["pv_gained_usd"] - i["pv_lost_usd"] == pytest.approx(i["pv_old_age_usd"], abs=2)
    for r in d["by_corridor"]:
        assert r["workers_gaining_entitlement"] - r["workers_losing_entitlement"] == pytest.approx(
            r["workers_entitled"], abs=2
        )


def test_cost_to_institutions_adds_up_to_the_present_value(parted: dict[str, Any]) -> None:
    for sc in parted["scenarios"]:
        old = [r for r in sc["by_country"] if r["branch"] == "old_age"]
        usd = sum(r["cost_pv_usd"] or 0 for r in old)
        assert usd == pytest.approx(sc["indicators"]["pv_old_age_usd"], rel=1e-6, abs=len(old))
        assert {r["currency"] for r in old if r["cost_pv_usd"] is None} <= {"VND", "KHR", "LAK", "MMK", "BND"}


def test_all_nine_branches_have_coverage_and_entitlement() -> None:
    doc = summary(simulate(replace(SMALL, size=1000, branches=("all",)), defaults(), knowledge()))
    for sc in doc["scenarios"]:
        names = [b["branch"] for b in sc["by_branch"]]
        assert len(names) == 9 and "old_age" in names
        old = next(b for b in sc["by_branch"] if b["branch"] == "old_age")
        assert old["workers_covered"] == sc["indicators"]["workers_covered"]
        for b in sc["by_branch"]:
            assert 0 <= b["share_entitled"] <= 1 and 0 <= b["share_covered"] <= 1


def _lx(country: str, period: str, sex: str) -> dict[int, float]:
    with (resources.files("migrantsp.data") / data.LIFE).open(encoding="utf-8") as f:
        return {
            int(r["age_start"]): float(r["lx"])
            for r in csv.DictReader(f)
            if (r["country_iso3"], r["period"], r["sex"]) == (country, period, sex)
        }


def test_survival_and_annuity_by_hand() -> None:
    t = lifetables.table("2030-2035")
    lx = _lx("THA", "2030-2035", "male")
    c, men = np.array([t.countries.index("THA")]), np.array([1])
    got = t.survival(c, men, np.array([40.0]), np.array([55.0]))[0]
    assert got == pytest.approx(lx[55] / lx[40], rel=1e-9)  # tabulated ages: exact
    # at a zero rate the annuity-due is the curtate expectation of life + 1, less 11/24
    ages = np.arange(55, lifetables.MAX_AGE + 1, dtype=np.float64)
    single = t.survival(np.repeat(c, ages.size), np.repeat(men, ages.size), np.full(ages.size, 55.0), ages)
    assert t.annuity(c, men, np.array([55.0]), 0.0)[0] == pytest.approx(single.sum() - 11 / 24)
    assert t.annuity(c, men, np.array([55.0]), 0.03)[0] < single.sum() - 11 / 24


def test_a_lump_sum_is_discounted_and_survival_weighted_by_hand() -> None:
    """One documented Myanmar woman in a Thai factory for two years who returns home: Thailand owes a lump
    sum at 55; its present value on the evaluation date is amount x v^(55 - x) x l(55) / l(x), Myanmar's
    table (she lives in Myanmar)."""
    from migrantsp.coordination.instruments import resolve
    from migrantsp.domain import Branch
    from migrantsp.engine.evaluate import evaluate
    from migrantsp.population.totals import Valuation, present_values

    a = defaults().override(
        {
            "age_at_migration": {"min": 30, "max": 30},
            "home_formal_share": 0.0,
            "renewal_probability": 0.0,
            "documented_share": 1.0,
            "return_probability": 1.0,
            "second_migration_probability": 0.0,
            "sector_mix_female": {"manufacturing": 1.0},
        },
        "test",
    )
    pop = build([data.Cell("MMR", "THA", 0, 10.0)], 1, 0, a, STOCK_DATE)
    kb = knowledge()
    res = evaluate(pop.batch, kb, [Branch.old_age], instrument=resolve("none", kb))
    t = lifetables.table("2030-2035")
    val = Valuation(table=t, discount_rate=0.03, fx_year=2025, start_age={})
    pv, usd = present_values(res, kb.parameters, val)
    tha = res.row_country == pop.batch.countries.codes.index("THA")
    col = res.branches[Branch.old_age]
    assert col.status[tha][0] == 0 and col.kind[tha][0] == 1  # entitled to a lump sum
    b = pop.batch
    x = float((b.evaluation[0] - b.birth[0]).astype(np.int64)) / 365.25
    mmr = np.array([t.countries.index("MMR")])
    s = t.survival(mmr, np.array([0]), np.array([x]), np.array([55.0]))[0]
    expected = col.amount[tha][0] * 1.03 ** -(55 - x) * s
    assert pv[tha][0] == pytest.approx(expected, rel=1e-9)
    from migrantsp.money import rate

    assert usd[tha][0] == pytest.approx(expected * (rate("THB", "USD", 2025) or 0), rel=1e-9)


def test_dask_local_cluster_gives_the_same_results(
    parted: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr(run, "PART", 1000)
    doc = summary(simulate(replace(SMALL, backend="dask", keep_persons=False), defaults(), knowledge()))
    assert doc == parted
