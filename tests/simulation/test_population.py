"""The population builder: calibration to UN DESA stocks, reproducibility, hand-checkable life courses."""

from __future__ import annotations

import csv
from collections import defaultdict
from importlib import resources

import numpy as np
import pytest

from migrantsp.domain import Branch
from migrantsp.engine.evaluate import evaluate
from migrantsp.knowledge.base import knowledge
from migrantsp.population import data
from migrantsp.population.assumptions import Assumptions, defaults
from migrantsp.population.build import allocate, build
from migrantsp.population.indicators import PersonOutcomes, indicators
from migrantsp.problems import InvalidInput

STOCK_DATE = np.datetime64("2020-07-01")


def shipped_stock(revision: str, year: int, files: tuple[str, ...]) -> dict[tuple[str, str, str], float]:
    """The stock per (origin, destination, sex) read straight from the shipped CSVs, independently."""
    out: dict[tuple[str, str, str], float] = {}
    for name in files:
        with (resources.files("migrantsp.data") / name).open(encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if r["revision"] == revision and int(r["year"]) == year and r["sex"] != "total":
                    out[(r["origin_iso3"], r["destination_iso3"], r["sex"])] = float(r["migrants"] or 0)
    return out


@pytest.mark.parametrize(("revision", "year"), [("2020", 2020), ("2020", 2015), ("2024", 2024)])
def test_weights_reproduce_every_corridor_and_sex_within_one_percent(revision: str, year: int) -> None:
    cells = data.cells(revision, year, data.Scope.asean)
    pop = build(cells, 3000, 7, defaults(), STOCK_DATE)
    codes = pop.batch.countries.codes
    got: dict[tuple[str, str, str], float] = defaultdict(float)
    for o, d, s, w in zip(pop.origin, pop.destination, pop.batch.sex, pop.weight, strict=True):
        got[(codes[o], codes[d], ("female", "male")[s])] += float(w)
    expected = {k: v for k, v in shipped_stock(f"Rev.{revision}", year, (data.INTRA,)).items() if v > 0}
    assert set(got) == set(expected)
    for key, stock in expected.items():
        assert got[key] == pytest.approx(stock, rel=0.01), key
    both = defaultdict(float)
    for (o, d, _), v in expected.items():
        both[(o, d)] += v
    assert len(both) == len({(c.origin, c.destination) for c in cells})


def test_regional_totals_match_the_published_checks() -> None:
    asean = sum(c.stock for c in data.cells("2020", 2020, data.Scope.asean))
    world = sum(c.stock for c in data.cells("2020", 2020, data.Scope.world))
    assert asean == 7_060_102  # intra-ASEAN, Rev.2020, 2020
    assert world == 23_541_148  # ASEAN-born living abroad, Rev.2020, 2020


def test_allocation_by_hand() -> None:
    # 10 workers, 3 cells: one each, then 7 by quota 0.7 / 2.1 / 4.2 -> floors 0, 2, 4 and the largest
    # remainder (0.7) gets the last one: 2, 3, 5 workers; weights 50, 100, 120.
    counts = allocate(np.array([100.0, 300.0, 600.0]), 10)
    assert counts.tolist() == [2, 3, 5]
    assert (np.array([100.0, 300.0, 600.0]) / counts).tolist() == [50.0, 100.0, 120.0]


def test_too_small_a_population_is_refused() -> None:
    cells = data.cells("2020", 2020, data.Scope.asean)
    with pytest.raises(InvalidInput, match="number of corridor x sex cells"):
        build(cells, len(cells) - 1, 0, defaults(), STOCK_DATE)
    pop = build(cells, len(cells), 0, defaults(), STOCK_DATE)  # one worker per cell: weight = stock
    assert pop.weight.tolist() == [c.stock for c in cells]


def test_same_seed_same_population_other_seed_another() -> None:
    cells = data.cells("2020", 2020, data.Scope.asean)
    a, b = (build(cells, 2000, 11, defaults(), STOCK_DATE) for _ in range(2))
    for name in ("birth", "start", "end", "country", "sector", "documented", "wage", "residence"):
        assert np.array_equal(getattr(a.batch, name), getattr(b.batch, name)), name
    c = build(cells, 2000, 12, defaults(), STOCK_DATE)
    assert not np.array_equal(a.batch.birth, c.batch.birth)
    assert np.array_equal(a.weight, c.weight)  # the design does not depend on the seed


def fixed(**changes: object) -> Assumptions:
    base = {
        "age_at_migration": {"min": 30, "max": 30},
        "home_formal_share": 0.0,
        "renewal_probability": 0.0,
        "documented_share": 1.0,
        "contract_months": 24,
        "second_migration_probability": 0.0,
    }
    return defaults().override({**base, **changes}, "test")


def test_workers_who_stay_have_one_spell_up_to_the_evaluation_date() -> None:
    cells = [data.Cell("MMR", "THA", 0, 1000.0)]
    pop = build(cells, 50, 3, fixed(return_probability=0.0), STOCK_DATE)
    b = pop.batch
    assert b.person.tolist() == list(range(50))  # one spell each
    assert {b.countries.codes[c] for c in b.country} == {"THA"}
    assert (b.end == np.datetime64("2030-07-01")).all()
    assert (b.start <= STOCK_DATE).all() and (b.start > STOCK_DATE - np.timedelta64(731, "D")).all()
    assert (b.start - b.birth == np.timedelta64(round(30 * 365.25), "D")).all()  # migrated at 30
    assert {b.countries.codes[r] for r in b.residence} == {"THA"}
    assert pop.weight.sum() == pytest.approx(1000.0)


def test_returners_work_one_contract_and_live_at_home() -> None:
    cells = [data.Cell("MMR", "THA", 1, 500.0)]
    pop = build(cells, 40, 3, fixed(return_probability=1.0), STOCK_DATE)
    b = pop.batch
    assert (b.end - b.start + 1 == np.timedelta64(round(24 * 365.25 / 12), "D")).all()  # 24 months
    assert (b.end >= STOCK_DATE).all()  # abroad on the stock date, as the UN counts them
    assert {b.countries.codes[r] for r in b.residence} == {"MMR"}


def test_second_migration_and_home_work_are_ordered_spells() -> None:
    cells = [data.Cell("IDN", "MYS", 0, 100.0)]
    a = fixed(return_probability=1.0, second_migration_probability=1.0, home_formal_share=1.0)
    b = build(cells, 30, 5, a, STOCK_DATE).batch
    for p in range(30):
        mine = b.person == p
        codes = [b.countries.codes[c] for c in b.country[mine]]
        assert codes[:4] == ["IDN", "MYS", "IDN", "MYS"]  # home, abroad, home, abroad again (then home)
        assert (b.start[mine][1:] > b.end[mine][:-1]).all()  # no overlap, in order


def test_engine_counts_every_calendar_month_of_a_documented_factory_spell() -> None:
    """Hand check: documented MMR women in Thai factories who stay are insured every month they work."""
    cells = [data.Cell("MMR", "THA", 0, 100.0)]
    a = fixed(return_probability=0.0, sector_mix_female={"manufacturing": 1.0})
    pop = build(cells, 20, 1, a, STOCK_DATE)
    res = evaluate(pop.batch, knowledge(), [Branch.old_age])
    tha = res.row_country == pop.batch.countries.codes.index("THA")
    months = res.branches[Branch.old_age].insured_months[tha]
    s, e = pop.batch.start.astype("datetime64[M]"), pop.batch.end.astype("datetime64[M]")
    assert months.tolist() == ((e - s).astype(int) + 1).tolist()


def test_indicators_are_weighted_by_hand() -> None:
    t, f = np.array([True, False]), np.array([False, False])
    o = PersonOutcomes(
        covered=t,
        covered_in_destination=t,
        entitled=f,
        entitled_pension=f,
        forfeiting=t,
        payable_abroad=f,
        stranded=f,
        insured_months=np.array([10, 0]),
        forfeited_months=np.array([4, 0]),
    )
    got = indicators(o, np.array([1.0, 3.0]))
    assert got["represented"] == 4 and got["workers_covered"] == 1 and got["share_covered"] == 0.25
    assert got["insured_months"] == 10 and got["forfeited_months"] == 4
    assert got["share_of_insured_months_forfeited"] == 0.4


def test_altered_data_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data, "manifest", lambda: {data.INTRA: "0" * 64})
    with pytest.raises(data.DataError, match="does not match the MANIFEST"):
        data.read_checked.__wrapped__(data.INTRA)


def test_assumption_overrides_are_validated_and_recorded() -> None:
    a = defaults().override({"documented_share": {"THA": 0.4}, "evaluation_date": "2035-01-01"}, "test")
    assert a.by_country("documented_share", ["THA", "MYS"]) == [0.4, 0.7]
    assert {x["name"] for x in a.public() if x["overridden"]} == {"documented_share", "evaluation_date"}
    with pytest.raises(InvalidInput) as exc:
        defaults().override({"nope": 1, "return_probability": 2, "sector_mix_male": {"mining": 1.0}}, "x")
    text = str(exc.value)
    assert "nope: unknown assumption" in text and "return_probability: 2 is not a number from 0 to 1" in text
    assert "unknown sector(s) mining" in text
