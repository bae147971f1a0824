"""Every output format of every atlas command, on the minimal knowledge base (deterministic content)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrantsp.cli.main import app

runner = CliRunner()


def run(*args: str, kb: Path) -> str:
    result = runner.invoke(app, [*args, "--knowledge", str(kb)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_atlas_json_has_90_cells_per_contract(min_knowledge: Path) -> None:
    cells = json.loads(run("atlas", "--format", "json", "--at", "2024-01-01", kb=min_knowledge))
    assert len(cells) == 90
    keys = {
        "country",
        "branch",
        "foreign_workers",
        "exclusions",
        "nationals_abroad",
        "schemes",
        "portability",
        "sources",
        "confidence",
        "as_of",
    }
    assert all(keys <= set(c) for c in cells)
    tha_old_age = next(c for c in cells if c["country"] == "THA" and c["branch"] == "old_age")
    assert tha_old_age["foreign_workers"] == "mandatory"  # the 2020 entry of the timeline
    assert tha_old_age["confidence"] == "secondary"
    assert tha_old_age["portability"] == {"export": "no", "lump_sum_on_departure": "yes"}
    assert tha_old_age["exclusions"][0]["kind"] == "sector"
    assert tha_old_age["sources"] == ["SRC-LAW", "SRC-SEC"]


def test_atlas_reads_facts_on_the_chosen_date(min_knowledge: Path) -> None:
    cells = json.loads(
        run("atlas", "--format", "json", "--at", "2019-12-31", "-c", "THA", "-b", "old_age", kb=min_knowledge)
    )
    assert [c["foreign_workers"] for c in cells] == ["excluded"]
    before = json.loads(
        run("atlas", "--format", "json", "--at", "1999-01-01", "-c", "THA", "-b", "old_age", kb=min_knowledge)
    )
    assert before[0]["foreign_workers"] == "no_scheme"


def test_atlas_csv_and_markdown_carry_the_same_cells(min_knowledge: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("atlas", "--format", "csv", kb=min_knowledge))))
    assert len(rows) == 90
    assert rows[0]["country"] == "BRN" and rows[0]["branch"] == "medical_care"
    md = run("atlas", "--format", "markdown", kb=min_knowledge).splitlines()
    assert len(md) == 92 and md[0].startswith("| country |")


@pytest.mark.parametrize("fmt", ["matrix", "table"])
def test_atlas_terminal_formats(min_knowledge: Path, fmt: str) -> None:
    text = run("atlas", "--format", fmt, kb=min_knowledge)
    assert "THA" in text and ("Old" in text or "old_age" in text)


def test_country_profile_all_formats(min_knowledge: Path) -> None:
    text = run("country", "tha", kb=min_knowledge)
    assert "Test social insurance" in text and "Farm workers are outside the act" in text
    doc = json.loads(run("country", "THA", "--format", "json", kb=min_knowledge))
    assert doc["currency"] == "THB" and len(doc["branches"]) == 9
    assert run("country", "THA", "--format", "markdown", kb=min_knowledge).startswith("| country |")


def test_unknown_country_is_a_user_error(min_knowledge: Path) -> None:
    result = runner.invoke(app, ["country", "XYZ", "--knowledge", str(min_knowledge)])
    assert result.exit_code == 2
    assert "'XYZ' is not a member state" in result.stderr


def test_sources_all_formats(min_knowledge: Path) -> None:
    assert "SRC-LAW" in run("sources", kb=min_knowledge)
    rows = json.loads(run("sources", "--format", "json", kb=min_knowledge))
    assert {r["id"] for r in rows} == {"SRC-LAW", "SRC-SEC", "NOTES"}
    assert len(list(csv.DictReader(io.StringIO(run("sources", "--format", "csv", kb=min_knowledge))))) == 3
    assert run("sources", "--format", "markdown", "--kind", "law", kb=min_knowledge).count("\n") == 3


def test_findings_all_formats(min_knowledge: Path) -> None:
    assert "Sector exclusions" in run("findings", kb=min_knowledge)
    doc = json.loads(run("findings", "--format", "json", kb=min_knowledge))
    assert doc[0]["id"] == "G1" and doc[0]["validation"]["status"] == "to_validate"
    assert "| G1 |" in run("findings", "--format", "markdown", kb=min_knowledge)


def test_parameter_on_a_date(min_knowledge: Path) -> None:
    text = run("parameter", "THA.si.old_age.qualifying_months", "--at", "2025-07-01", kb=min_knowledge)
    assert "180 month" in text and "SRC-SEC" in text
    doc = json.loads(
        run(
            "parameter",
            "THA.si.old_age.qualifying_months",
            "--at",
            "2024-01-01",
            "-f",
            "json",
            kb=min_knowledge,
        )
    )
    assert doc["value"] == 240 and doc["unit"] == "month" and doc["sources"][0]["source"] == "SRC-LAW"
    assert doc["history"] == {"2000-01-01": 240, "2025-07-01": 180, "2030-01-01": None}
    listing = json.loads(run("parameter", "THA.si", "-f", "json", kb=min_knowledge))
    assert isinstance(listing, list) and listing[0]["path"] == "THA.si.old_age.qualifying_months"


def test_unknown_parameter_is_a_user_error(min_knowledge: Path) -> None:
    result = runner.invoke(app, ["parameter", "THA.nope", "--knowledge", str(min_knowledge)])
    assert result.exit_code == 2 and "no parameter 'THA.nope'" in result.stderr


def test_bad_date_is_a_user_error(min_knowledge: Path) -> None:
    result = runner.invoke(app, ["atlas", "--at", "2024-13-01", "--knowledge", str(min_knowledge)])
    assert result.exit_code == 2


def test_schema_atlas_is_a_json_schema() -> None:
    result = runner.invoke(app, ["schema", "atlas"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["type"] == "array" and "foreign_workers" in doc["items"]["properties"]
