"""The shipped knowledge base: valid, complete (10 states x 9 branches), every fact sourced and dated."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from migrantsp.atlas import atlas
from migrantsp.cli.main import app
from migrantsp.domain import ASEAN, BRANCHES, Confidence, Coverage
from migrantsp.knowledge.base import Knowledge, _facts, load_knowledge
from migrantsp.knowledge.schema import Convention


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    kb, problems = load_knowledge()
    assert problems == [], "\n".join(map(str, problems))
    return kb


def test_all_ninety_cells_have_a_status_and_a_source(kb: Knowledge) -> None:
    cells = atlas(kb, date(2026, 11, 28))
    assert len(cells) == 90
    assert {(c.country, c.branch) for c in cells} == {(k, b) for k in ASEAN for b in BRANCHES}
    for c in cells:
        assert c.foreign_workers in Coverage
        assert c.nationals_abroad in Coverage
        assert c.sources, f"{c.country} {c.branch} has no source"
        assert all(s in kb.sources for s in c.sources)
        if c.foreign_workers is not Coverage.no_scheme:
            assert c.schemes, f"{c.country} {c.branch} names no scheme"


def test_every_fact_has_sources_confidence_and_date(kb: Knowledge) -> None:
    n = 0
    for cf in kb.countries.values():
        for _, fact in _facts(cf):
            assert fact.sources and fact.confidence in Confidence and fact.from_ <= date(2040, 1, 1)
            n += 1
    assert n > 300


def test_parameters_have_units_and_sources(kb: Knowledge) -> None:
    assert len(kb.parameters) >= 100
    for p in kb.parameters.parameters.values():
        assert p.unit, p.path
        assert all(refs for refs, v in zip(p.references, p.values, strict=True) if v == v), p.path


def test_ratifications_cover_every_state_and_convention(kb: Knowledge) -> None:
    assert kb.ratifications is not None
    pairs = {(r.country, r.convention) for r in kb.ratifications.ratifications}
    assert pairs == {(k, c) for k in ASEAN for c in Convention}


def test_findings_link_to_existing_cells(kb: Knowledge) -> None:
    assert kb.findings is not None
    assert {f"G{i}" for i in range(1, 11)} <= set(kb.findings.findings)
    for f in kb.findings.findings.values():
        for ref in f.evidence:
            assert ref.branch in kb.countries[ref.country].branches


def test_agreements_include_the_philippine_network_and_viet_nam_korea(kb: Knowledge) -> None:
    assert kb.agreements is not None
    parties = [set(a.parties) for a in kb.agreements.agreements.values()]
    assert {"VNM", "KOR"} in parties
    assert sum("PHL" in p for p in parties) >= 10
    assert any(a.kind.value == "declaration" for a in kb.agreements.agreements.values())


def test_check_is_clean_and_atlas_json_follows_the_contract() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["check", "--stats"])
    assert result.exit_code == 0, result.output
    cells = json.loads(runner.invoke(app, ["atlas", "--format", "json"]).stdout)
    assert len(cells) == 90
    for c in cells:
        assert set(c["portability"]) == {"export", "lump_sum_on_departure"}
        assert c["confidence"] in ("primary", "secondary", "unverified")
        date.fromisoformat(c["as_of"])


def test_known_history_malaysia_employment_injury(kb: Knowledge) -> None:
    """SOCSO covered foreign workers' employment injury from 2019 (they were in a private scheme before)."""
    before = atlas(kb, date(2018, 6, 1), ["MYS"])
    after = atlas(kb, date(2020, 6, 1), ["MYS"])
    ei = BRANCHES.index(BRANCHES[4])
    assert before[ei].foreign_workers is not Coverage.mandatory
    assert after[ei].foreign_workers is Coverage.mandatory
