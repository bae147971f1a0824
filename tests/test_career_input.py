"""Bad career files get every problem listed with file and field path, exit 2, and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrantsp.cli.main import app

runner = CliRunner()

GOOD = """\
person: {birth_date: 1980-05-01, sex: female, nationality: MMR}
spells:
  - {country: THA, start: 2005-01-01, end: 2016-12-31, monthly_wage: 12000}
evaluate: {date: 2035-05-01, branches: [old_age]}
"""


def run(tmp_path: Path, text: str, name: str = "career.yaml") -> tuple[int, str]:
    path = tmp_path / name
    path.write_text(text)
    result = runner.invoke(app, ["entitlements", str(path), "--format", "json"])
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr if result.exit_code else result.stdout


def test_good_career_runs(tmp_path: Path) -> None:
    code, out = run(tmp_path, GOOD)
    assert code == 0 and '"status"' in out


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        ("end: 2016-12-31", "end: 2004-12-31", "career.yaml:3: spells[0].end: 2004-12-31 is before start 2005-01-01"),
        ("start: 2005-01-01", "start: 1985-01-01", "spells[0].start: 1985-01-01 is before the person's 10th birthday"),
        ("date: 2035-05-01", "date: 1970-01-01", "evaluate.date: 1970-01-01 is before birth 1980-05-01"),
        ("country: THA", "country: XYZ", "spells[0].country: unknown country 'XYZ'"),
        ("country: THA", "country: Thailand", "spells[0].country: 'THAILAND' is not an ISO 3166-1 alpha-3 code"),
        ("nationality: MMR", "nationality: XAA", "person.nationality: unknown country 'XAA' (custom codes"),
        ("monthly_wage: 12000", "monthly_wage: -5", "spells[0].monthly_wage: Input should be greater than or equal to 0"),
        ("monthly_wage: 12000", "monthly_wage: 1200000000000", "spells[0].monthly_wage: 1,200,000,000,000 THB a month is not plausible"),
        ("monthly_wage: 12000", "monthly_wage: 12000, currency: ZZZ", "spells[0].currency: unknown or unsupported currency 'ZZZ'"),
        ("branches: [old_age]", "branches: [pension]", "evaluate.branches[0]: 'pension' is not allowed"),
        ("sex: female", "sex: f", "person.sex: 'f' is not allowed"),
        ("monthly_wage: 12000", "monthly_wage: 12000, sector: farming", "spells[0].sector: 'farming' is not allowed"),
        ("monthly_wage: 12000", "monthly_wage: 12000, activity: boss", "spells[0].activity: 'boss' is not allowed"),
        ("monthly_wage: 12000", "monthly_wage: 12000, colour: red", "spells[0].colour: unknown field"),
        ("spells:\n  - {country: THA, start: 2005-01-01, end: 2016-12-31, monthly_wage: 12000}\n", "spells: []\n",
         "spells: List should have at least 1 item"),
        ("person: {birth_date: 1980-05-01, sex: female, nationality: MMR}", "person: {sex: female, nationality: MMR}",
         "person.birth_date: required field is missing"),
        ("monthly_wage: 12000", "monthly_wage: 12000, currency: VND", "spells[0].currency: no exchange rate from VND to THB"),
        ("date: 2035-05-01", "date: 9999-12-31", "evaluate.date: 9999-12-31 is outside the dates the engine handles"),
        ("birth_date: 1980-05-01", "birth_date: 1880-05-01", "person.birth_date: 1880-05-01 is outside the dates"),
    ],
)  # fmt: skip
def test_each_mistake_is_named(tmp_path: Path, replace: str, by: str, expected: str) -> None:
    assert replace in GOOD
    code, err = run(tmp_path, GOOD.replace(replace, by))
    assert code == 2, err
    assert expected in err, err


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    text = GOOD.replace("end: 2016-12-31", "end: 2004-12-31").replace("date: 2035-05-01", "date: 1970-01-01")
    code, err = run(tmp_path, text)
    assert code == 2
    assert "spells[0].end" in err and "evaluate.date" in err


def test_malformed_files(tmp_path: Path) -> None:
    code, err = run(tmp_path, "person: [unclosed", "career.yaml")
    assert code == 2 and "career.yaml:1: not valid YAML" in err
    code, err = run(tmp_path, '{"person": ', "career.json")
    assert code == 2 and "career.json:1: not valid JSON" in err
    code, err = run(tmp_path, "just text", "career.yaml")
    assert code == 2 and "Input should be a valid dictionary" in err
    missing = runner.invoke(app, ["entitlements", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "cannot read file" in missing.stderr


def test_json_career_works_like_yaml(tmp_path: Path) -> None:
    import json

    import yaml

    code, out = run(tmp_path, json.dumps(yaml.safe_load(GOOD), default=str), "career.json")
    assert code == 0 and '"country": "THA"' in out
