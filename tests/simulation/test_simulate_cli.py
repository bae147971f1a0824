"""`migrantsp simulate`: contract section 6 JSON, reproducibility, --out, and exit 2 on bad options."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

import migrantsp.cli.simulate_cmds  # noqa: F401  (registers the command until cli/main.py imports it)
from migrantsp.cli.main import app

runner = CliRunner()


def simulate(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["simulate", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return simulate(
        "--size", "2000", "--seed", "4", "--scope", "asean", "--scenario", "none", "--scenario", "asean-c157"
    )


def test_json_follows_contract_section_6(doc: dict[str, Any]) -> None:
    p = doc["population"]
    assert p["size"] == 2000
    assert p["represented_migrants"] == 7_060_102
    assert p["stock_revision"] == "UN DESA IMS 2020"
    assert all({"origin", "destination", "represented"} <= set(c) for c in p["by_corridor"])
    mmr_tha = next(c for c in p["by_corridor"] if (c["origin"], c["destination"]) == ("MMR", "THA"))
    assert mmr_tha["represented"] == 1_848_270 and mmr_tha["female"] + mmr_tha["male"] == 1_848_270
    assert [s["id"] for s in doc["scenarios"]] == ["none", "asean-c157"]
    for s in doc["scenarios"]:
        ind = s["indicators"]
        assert ind["represented"] == 7_060_102
        for key in ("workers_covered", "workers_entitled", "forfeited_months", "workers_payable_abroad"):
            assert isinstance(ind[key], int)
        assert len(s["by_corridor"]) == len(p["by_corridor"])
        assert all({"origin", "destination", "share_covered"} <= set(c) for c in s["by_corridor"])
        assert sum(c["workers_covered"] for c in s["by_corridor"]) == pytest.approx(
            ind["workers_covered"], abs=60
        )
    assert {a["name"] for a in doc["assumptions"]} >= {"documented_share", "contract_months"}


def test_an_agreement_covers_at_least_as_many_workers(doc: dict[str, Any]) -> None:
    none, c157 = (s["indicators"] for s in doc["scenarios"])
    assert c157["workers_covered"] >= none["workers_covered"]


def test_same_seed_same_json(doc: dict[str, Any]) -> None:
    again = simulate(
        "--size", "2000", "--seed", "4", "--scope", "asean", "--scenario", "none", "--scenario", "asean-c157"
    )
    assert again == doc
    other = simulate("--size", "2000", "--seed", "5", "--scope", "asean", "--scenario", "none")
    assert other["population"] == {**doc["population"], "seed": 5}  # the design does not depend on the seed
    assert other["scenarios"][0]["indicators"] != doc["scenarios"][0]["indicators"]


def test_world_scope_adds_up_to_all_asean_born_abroad() -> None:
    p = simulate("--size", "1000", "--scope", "world", "--scenario", "none")["population"]
    assert p["represented_migrants"] == 23_541_148
    assert any(c["destination"] == "SAU" for c in p["by_corridor"])


def test_overridden_assumptions_are_printed() -> None:
    d = simulate(
        "--size", "500", "--scope", "asean", "--scenario", "none", "--assume", "documented_share={THA: 0.4}"
    )
    entry = next(a for a in d["assumptions"] if a["name"] == "documented_share")
    assert entry["overridden"] and entry["value"]["THA"] == 0.4 and entry["value"]["default"] == 0.7


def test_out_writes_parquet_and_metadata(tmp_path: Path) -> None:
    out = tmp_path / "run"
    d = simulate("--size", "1000", "--seed", "2", "--scope", "asean", "--scenario", "none", "--out", str(out))
    people = pl.read_parquet(out / "population.parquet")
    assert people.height == 1000 and people["weight"].sum() == pytest.approx(7_060_102)
    assert pl.read_parquet(out / "results.parquet").height == 1000
    spells = pl.read_parquet(out / "spells.parquet")
    assert set(spells["person"].unique().to_list()) == set(range(1000))
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["settings"]["seed"] == 2 and meta["versions"]["knowledge"]
    assert set(meta["data"]) == {
        "asean_migrant_stock.csv",
        "asean_emigrants_to_major_non_asean_destinations.csv",
        "asean_emigrant_stock_totals.csv",
        "wpp2024_lifetables_asean.csv",
    }
    assert meta["population"] == d["population"] and meta["assumptions"] == d["assumptions"]


def test_table_shows_indicators_and_assumptions() -> None:
    result = runner.invoke(app, ["simulate", "--size", "500", "--scope", "asean", "--scenario", "none"])
    assert result.exit_code == 0, result.output
    assert "representing 7,060,102 migrants" in result.stdout and "documented_share" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--size", "10"], "--size: 10 is below 116"),
        (["--size", "0"], "--size: 0: must be at least 1"),
        (["--scenario", "bogus"], "unknown instrument 'bogus'"),
        (["--scenario", "none", "--scenario", "none"], "--scenario: given twice: none"),
        (["--revision", "2019"], "--revision: '2019': known revisions 2020, 2024"),
        (["--year", "2024"], "--year: 2024: Rev.2020 has data years 2015, 2020"),
        (["--assume", "foo=1"], "--assume: foo: unknown assumption"),
        (["--assume", "return_probability"], "expected NAME=VALUE"),
        (["--assume", "evaluation_date=2019-01-01"], "is before the stock's reference date 2020-07-01"),
        (["--assume", "sector_mix_male={construction: 0.5}"], "shares add up to 0.5, not 1"),
        (["--workers", "0"], "--workers: 0: must be at least 1"),
    ],
)
def test_bad_options_exit_2_with_a_clear_message(args: list[str], message: str, tmp_path: Path) -> None:
    out = tmp_path / "never"
    result = runner.invoke(app, ["simulate", "--size", "500", "--scope", "asean", *args, "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not out.exists()  # nothing written


def test_table_shows_the_difference_from_the_baseline_and_branches() -> None:
    args = ["simulate", "--size", "1000", "--scope", "asean", "--branch", "all"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "asean-c157 against none" in result.stdout and "old-age PV, USD million" in result.stdout
    assert "By branch" in result.stdout and "sickness" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--backend", "spark"], "'spark': known backends local, dask"),
        (["--scheduler", "tcp://127.0.0.1:8786"], "only with --backend dask"),
        (["--branch", "pensions"], "unknown branch(es) pensions"),
        (["--baseline", "asean-c157", "-s", "none"], "is not one of the scenarios run"),
        (["--seed", "-1"], "must be at least 0"),
    ],
)
def test_new_options_are_checked(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["simulate", "--size", "1000", "--scope", "asean", *args])
    assert result.exit_code == 2 and message in result.output


def test_out_must_be_a_directory(tmp_path: Path) -> None:
    f = tmp_path / "file"
    f.write_text("x")
    result = runner.invoke(app, ["simulate", "--size", "500", "--scope", "asean", "--out", str(f)])
    assert result.exit_code == 2 and "exists and is not a directory" in result.stderr
