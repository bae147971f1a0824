"""`migrantsp report --out DIR`: every section, the CSV beside it, nothing loaded from outside."""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrantsp.cli import report_cmds  # noqa: F401  (registers the commands on the app)
from migrantsp.cli.app import app
from migrantsp.report.simulation import DEFAULT_SCENARIOS

SECTIONS = ["atlas", "gaps", "corridors", "scenarios", "cases", "sources"]
CSVS = [
    "atlas.csv",
    "findings.csv",
    "schemes.csv",
    "corridors.csv",
    "scenarios.csv",
    "assumptions.csv",
    "cases.csv",
    "sources.csv",
]


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(path: Path) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_section_id_is_present(report_dir: Path) -> None:
    ids = {a.get("id") for tag, a in _tags(report_dir / "index.html") if tag == "section"}
    assert set(SECTIONS) <= ids


def test_loads_nothing_from_outside(report_dir: Path) -> None:
    """Self-contained: no script, style, font, image or frame from elsewhere; links to cited documents
    (<a href>) are citations a reader may follow, not resources the page loads."""
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    for tag, attrs in _tags(report_dir / "index.html"):
        for name in ("src", "href", "data", "poster", "srcset"):
            value = (attrs.get(name) or "").strip().lower()
            if tag == "a" and name == "href":
                continue
            assert not value.startswith(("http:", "https:", "//")), (tag, name, value)
    assert "@import" not in html.split("<script")[0]
    scripts = [a for tag, a in _tags(report_dir / "index.html") if tag == "script"]
    assert scripts and all(not a.get("src") for a in scripts), "every script is inline"


def test_plotly_is_inlined_and_the_heatmap_has_90_cells(report_dir: Path) -> None:
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    assert "Plotly" in html and 'id="atlas-heatmap-data"' in html
    atlas = _rows(report_dir / "atlas.csv")
    assert len(atlas) == 90
    assert {r["foreign_workers"] for r in atlas} <= {"mandatory", "voluntary", "excluded", "no_scheme"}


def test_csv_beside_the_html(report_dir: Path, kb) -> None:  # type: ignore[no-untyped-def]
    for name in CSVS:
        assert (report_dir / name).is_file(), name
    findings = _rows(report_dir / "findings.csv")
    assert {r["id"] for r in findings} == set(kb.findings.findings)
    assert len(_rows(report_dir / "sources.csv")) == len(kb.sources)


def test_cases_are_computed_by_the_engine(report_dir: Path) -> None:
    """The Myanmar woman in Thai manufacturing: the same figure `migrantsp entitlements` gives."""
    from migrantsp.api import entitlements

    from .conftest import EXAMPLES

    rows = _rows(report_dir / "cases.csv")
    case = "myanmar-woman-thai-factory"
    assert {r["instrument"] for r in rows if r["case"] == case} == {"none", "asean-c157"}
    expected = entitlements(EXAMPLES / f"{case}.yaml")["entitlements"]
    thai_old_age = next(e for e in expected if (e["country"], e["branch"]) == ("THA", "old_age"))
    row = next(r for r in rows if (r["case"], r["instrument"], r["country"], r["branch"]) ==
               (case, "none", "THA", "old_age"))  # fmt: skip
    assert row["status"] == thai_old_age["status"]
    assert float(row["amount"]) == thai_old_age["benefit"]["amount"]
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    assert f'id="case-{case}"' in html


def _section(html: str, sid: str, until: str) -> str:
    return html[html.index(f'<section id="{sid}"') : html.index(f'<section id="{until}"')]


@pytest.fixture(scope="module")
def simulated(kb) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """The same run as the report's, straight from the simulation (same settings, same seed)."""
    from migrantsp.population import assumptions
    from migrantsp.population.run import Settings, simulate, summary

    from .conftest import SIM_SEED, SIM_SIZE

    settings = Settings(size=SIM_SIZE, seed=SIM_SEED, scenarios=DEFAULT_SCENARIOS)
    return summary(simulate(settings, assumptions.defaults(), kb))


def test_corridors_section_has_the_simulations_figures(report_dir: Path, simulated: dict) -> None:  # type: ignore[type-arg]
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    corridors = _section(html, "corridors", "scenarios")
    assert "not yet available" not in corridors
    mmr_tha = next(r for r in simulated["population"]["by_corridor"] if (r["origin"], r["destination"]) ==
                   ("MMR", "THA"))  # fmt: skip
    none = next(s for s in simulated["scenarios"] if s["id"] == "none")
    row = next(r for r in none["by_corridor"] if (r["origin"], r["destination"]) == ("MMR", "THA"))
    assert "Myanmar → Thailand" in corridors
    assert f"{mmr_tha['represented']:,}" in corridors  # the UN stock the weights reproduce
    assert f"{100 * row['share_covered']:.1f} %" in corridors
    assert f"{simulated['population']['represented_migrants']:,}" in corridors
    for chart in ("corridor-stock", "corridor-shares", "corridor-gains"):
        assert f'id="{chart}-data"' in corridors
    fig = json.loads(re.search(r'id="corridor-stock-data">(.*?)</script>', corridors, re.S)[1])  # type: ignore[index]
    assert fig["data"][0]["y"][0] == "Myanmar → Thailand" and fig["data"][0]["x"][0] == mmr_tha["represented"]


def test_corridors_csv_has_every_corridor_under_every_scenario(report_dir: Path, simulated: dict) -> None:  # type: ignore[type-arg]
    rows = _rows(report_dir / "corridors.csv")
    corridors = simulated["population"]["by_corridor"]
    assert len(rows) == len(corridors) * len(DEFAULT_SCENARIOS)
    assert {r["scenario"] for r in rows} == set(DEFAULT_SCENARIOS)
    by_key = {(r["origin"], r["destination"], r["scenario"]): r for r in rows}
    for s in simulated["scenarios"]:
        for c in s["by_corridor"]:
            r = by_key[(c["origin"], c["destination"], s["id"])]
            assert float(r["share_entitled"]) == c["share_entitled"]
            assert int(r["forfeited_months"]) == c["forfeited_months"]
    assert sum(int(r["represented"]) for r in rows if r["scenario"] == "none") == sum(
        c["represented"] for c in corridors
    )
    thai = by_key[("MMR", "THA", "none")]
    assert thai["within_asean"] == "True" and thai["share_entitled_change_from_none"] == "0.0"


def test_scenarios_section_and_csv(report_dir: Path, simulated: dict) -> None:  # type: ignore[type-arg]
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    section = _section(html, "scenarios", "cases")
    assert 'id="scenario-indicators-data"' in section and 'id="scenario-differences-data"' in section
    rows = _rows(report_dir / "scenarios.csv")
    got = {(r["scenario"], r["indicator"]): r for r in rows}
    base = next(s for s in simulated["scenarios"] if s["id"] == "none")["indicators"]
    for s in simulated["scenarios"]:
        for k, v in s["indicators"].items():
            r = got[(s["id"], k)]
            assert float(r["value"]) == v and float(r["baseline_value"]) == base[k]
            assert abs(float(r["difference_from_none"]) - (v - base[k])) < 1e-6
        assert f"{100 * s['indicators']['share_entitled']:.1f} %" in section
    c157 = got[("asean-c157", "share_payable_abroad")]
    assert f"{100 * float(c157['difference_from_none']):+.1f} points" in section


def test_assumptions_and_data_revision_beside_them(report_dir: Path, simulated: dict) -> None:  # type: ignore[type-arg]
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    section = _section(html, "scenarios", "cases")
    rows = _rows(report_dir / "assumptions.csv")
    named = [r for r in rows if r["kind"] == "assumption"]
    assert [r["name"] for r in named] == [a["name"] for a in simulated["assumptions"]]
    for a in simulated["assumptions"]:
        assert f"<code>{a['name']}</code>" in section
    settings = {r["name"]: r["value"] for r in rows if r["kind"] == "setting"}
    assert settings["stock_revision"] == "UN DESA IMS 2020" and settings["size"] == "3000"
    assert "UN DESA IMS 2020" in section and simulated["knowledge_version"][:12] in section
    assert {r["name"] for r in rows if r["kind"] == "data"} == set(simulated["data"])


def test_accessible_structure(report_dir: Path) -> None:
    tags = _tags(report_dir / "index.html")
    assert [t for t, _ in tags].count("h1") == 1
    assert sum(1 for t, _ in tags if t == "table") == sum(1 for t, _ in tags if t == "caption")
    assert next(a for t, a in tags if t == "html").get("lang") == "en"
    assert any(t == "meta" and a.get("name") == "viewport" for t, a in tags)
    assert "@media print" in (report_dir / "index.html").read_text(encoding="utf-8")


def test_report_command(tmp_path: Path) -> None:
    from .conftest import EXAMPLES

    out = tmp_path / "out"
    args = ["report", "--out", str(out), "--at", "2026-03-01", "--examples", str(EXAMPLES)]
    result = CliRunner().invoke(app, [*args, "--size", "1000", "--seed", "2", "--scope", "asean",
                                      "--scenario", "tha-120-months"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file() and (out / "cases.csv").is_file()
    assert "index.html" in result.output and "corridors.csv" in result.output
    # none always runs, as the baseline
    assert {r["scenario"] for r in _rows(out / "scenarios.csv")} == {"none", "tha-120-months"}
    settings = {r["name"]: r["value"] for r in _rows(out / "assumptions.csv") if r["kind"] == "setting"}
    assert (settings["scope"], settings["size"], settings["seed"]) == ("asean", "1000", "2")


def test_report_command_rejects_bad_options(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["report", "--out", str(out), "--size", "10", "--scenario", "nope"])
    assert result.exit_code == 2
    assert "--size" in result.output and "'nope'" in result.output
    assert not out.exists(), "nothing written"


def test_report_without_examples_says_so(tmp_path: Path, kb) -> None:  # type: ignore[no-untyped-def]
    from migrantsp.report import build_report
    from migrantsp.report.simulation import SimOptions

    build_report(tmp_path, kb, None, tmp_path / "missing", SimOptions(size=1000, scope="asean"))
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "No career files were found" in html
    assert _rows(tmp_path / "cases.csv") == []
