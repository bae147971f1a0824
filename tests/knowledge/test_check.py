"""The checker accepts a valid knowledge base and rejects each kind of broken file with a precise message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from migrantsp.cli.main import app
from migrantsp.knowledge.base import load_knowledge
from tests.conftest import FIXTURES

CASES: list[dict[str, Any]] = yaml.safe_load((FIXTURES / "broken_knowledge.yaml").read_text())
runner = CliRunner()


def test_minimal_knowledge_is_valid(min_knowledge: Path) -> None:
    kb, problems = load_knowledge(min_knowledge)
    assert problems == []
    assert len(kb.countries) == 10
    assert kb.parameters["THA.si.old_age.qualifying_months"].unit == "month"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_broken_file_is_rejected_with_its_message(min_knowledge: Path, case: dict[str, Any]) -> None:
    target = min_knowledge / case["file"]
    text = target.read_text()
    assert case["replace"] in text, "fixture no longer matches the minimal knowledge base"
    target.write_text(text.replace(case["replace"], case["with"], 1))

    result = runner.invoke(app, ["check", "--knowledge", str(min_knowledge)])

    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert any(case["expect"] in line for line in lines), "\n".join(lines)
    assert "Traceback" not in result.output


def test_check_lists_every_problem_not_just_the_first(min_knowledge: Path) -> None:
    for code in ("THA", "VNM"):
        p = min_knowledge / "countries" / f"{code}.yaml"
        p.write_text(p.read_text().replace("sources: [SRC-SEC]", "sources: [MISSING]"))
    result = runner.invoke(app, ["check", "--knowledge", str(min_knowledge)])
    assert result.exit_code == 2
    assert sum("unknown source id 'MISSING'" in line for line in result.stderr.splitlines()) == 4


def test_missing_country_file_is_reported(min_knowledge: Path) -> None:
    (min_knowledge / "countries" / "LAO.yaml").unlink()
    result = runner.invoke(app, ["check", "--knowledge", str(min_knowledge)])
    assert result.exit_code == 2
    assert "countries/LAO.yaml: no atlas file for Lao PDR" in result.stderr


def test_check_stats_counts_facts_by_confidence(min_knowledge: Path) -> None:
    result = runner.invoke(app, ["check", "--stats", "--knowledge", str(min_knowledge)])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.stdout
    assert "Facts by confidence" in result.stdout
    # Each templated country has primary facts (law), secondary facts and unverified no-scheme facts.
    assert "THA" in result.stdout and "all" in result.stdout
