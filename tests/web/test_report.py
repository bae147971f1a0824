"""`migrantsp report --out DIR`: every section, the CSV beside it, nothing loaded from outside."""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

from typer.testing import CliRunner

from migrantsp.cli import report_cmds  # noqa: F401  (registers the commands on the app)
from migrantsp.cli.app import app

SECTIONS = ["atlas", "gaps", "corridors", "scenarios", "cases", "sources"]
CSVS = ["atlas.csv", "findings.csv", "schemes.csv", "cases.csv", "sources.csv"]


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


def test_pending_sections_invent_no_numbers(report_dir: Path) -> None:
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    start = html.index('<section id="corridors"')
    pending = html[start : html.index('<section id="cases"')]
    assert "migrantsp simulate" in pending and "not yet available" in pending
    text = re.sub(r"(?i)c157", "", re.sub(r"<[^>]+>", " ", pending))
    assert not any(ch.isdigit() for ch in text), "no figures before the simulation"


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
    result = CliRunner().invoke(
        app, ["report", "--out", str(out), "--at", "2026-03-01", "--examples", str(EXAMPLES)]
    )
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file() and (out / "cases.csv").is_file()
    assert "index.html" in result.output


def test_report_without_examples_says_so(tmp_path: Path, kb) -> None:  # type: ignore[no-untyped-def]
    from migrantsp.report import build_report

    build_report(tmp_path, kb, None, tmp_path / "missing")
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "No career files were found" in html
    assert _rows(tmp_path / "cases.csv") == []
