"""Scenarios: parameter and coverage patches stacked over a baseline, applied through the same engine."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrantsp.api import as_career
from migrantsp.cli.main import app
from migrantsp.domain import Branch
from migrantsp.engine.batch import Batch
from migrantsp.engine.evaluate import evaluate
from migrantsp.knowledge.base import knowledge
from migrantsp.problems import InvalidInput
from migrantsp.results import entitlement_rows
from migrantsp.scenarios.apply import builtin, scenario_run

FARM = {"person": {"birth_date": "1975-01-01", "sex": "male", "nationality": "MMR"},
        "spells": [{"country": "THA", "start": "2020-01-01", "end": "2031-12-31", "sector": "agriculture",
                    "monthly_wage": 9000}],
        "evaluate": {"date": "2032-01-01", "branches": ["old_age"]}}  # fmt: skip
FACTORY = {"person": {"birth_date": "1960-01-01", "sex": "female", "nationality": "MMR"},
           "spells": [{"country": "THA", "start": "2005-01-01", "end": "2016-12-31", "sector": "manufacturing",
                       "monthly_wage": 12000}],
           "evaluate": {"date": "2030-01-01", "branches": ["old_age"]}}  # fmt: skip


def old_age(career: dict, scenario: str) -> dict:  # type: ignore[type-arg]
    _, kb, inst = scenario_run(scenario, knowledge())
    c = as_career(career)
    res = evaluate(Batch.from_careers([c]), kb, [Branch.old_age], trace=True, instrument=inst)
    return next(r for r in entitlement_rows(res, 0) if r["country"] == "THA")


def test_lifting_an_exclusion_covers_work_from_that_date() -> None:
    before = old_age(FARM, "none")
    after = old_age(FARM, "lift-tha-agriculture")
    assert before["status"] == "not_covered" and before["insured_months"] == 0
    assert after["insured_months"] == 60  # January 2027 to December 2031


def test_a_parameter_patch_changes_the_rule_from_its_date() -> None:
    """144 contribution months: a lump sum under the 180-month rule, a pension under a 120-month one."""
    assert old_age(FACTORY, "none")["benefit"]["kind"] == "lump_sum"
    patched = old_age(FACTORY, "tha-120-months")
    assert patched["benefit"]["kind"] == "pension"
    assert any("120" in r["message"] for r in patched["reasons"])


def test_patches_stack_over_the_baseline_and_the_instrument_applies() -> None:
    scenario, kb, inst = scenario_run("asean-c157-lift-tha-agriculture", knowledge())
    assert inst.id == "asean-c157" and scenario.baseline == "lift-tha-agriculture"
    cell = kb.cell("THA", Branch.old_age)
    assert any(e.until == date(2026, 12, 31) for e in cell.exclusions if "agriculture" in e.who.sectors)
    assert knowledge().cell("THA", Branch.old_age) is not cell  # the shared knowledge is never modified


def test_builtins_and_instrument_ids_resolve() -> None:
    assert {"none", "asean-c157", "lift-tha-agriculture", "tha-120-months"} <= set(builtin())
    _, _, inst = scenario_run("bilateral:THA-MMR", knowledge())
    assert inst.parties == ["THA", "MMR"]


def test_bad_scenarios_are_user_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ntitle: x\nparameters: {THA.nope: {2027-01-01: 1}}\n")
    with pytest.raises(InvalidInput, match="unknown parameter"):
        scenario_run(str(bad), knowledge())
    typo = tmp_path / "typo.yaml"
    typo.write_text("id: typo\ntitle: x\nlift_exclusion: []\n")
    with pytest.raises(InvalidInput, match="lift_exclusion"):
        scenario_run(str(typo), knowledge())


def test_scenario_commands() -> None:
    runner = CliRunner()
    listing = runner.invoke(app, ["scenarios"])
    assert listing.exit_code == 0 and "lift-tha-agriculture" in listing.stdout
    shown = runner.invoke(app, ["scenario", "tha-120-months"])
    assert "THA.ssf.old_age.qualifying_months" in shown.stdout
    schema = runner.invoke(app, ["schema", "scenario"])
    assert schema.exit_code == 0 and "lift_exclusions" in schema.stdout
