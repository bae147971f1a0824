"""Shared fixtures: a minimal valid knowledge base built in a temporary directory."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from migrantsp.domain import ASEAN

# Property tests draw the same examples on every run, so CI is reproducible; HYPOTHESIS_PROFILE=explore
# draws fresh ones each run to look for new counterexamples.
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FIXTURES = Path(__file__).parent / "fixtures"


def build_min_knowledge(root: Path) -> Path:
    """Ten templated member-state files, three sources, one dated parameter, one finding."""
    src = FIXTURES / "knowledge_min"
    (root / "countries").mkdir(parents=True)
    (root / "sources").mkdir()
    (root / "parameters" / "THA" / "si" / "old_age").mkdir(parents=True)
    template = (src / "country.yaml.tmpl").read_text()
    for code, (_, currency) in ASEAN.items():
        (root / "countries" / f"{code}.yaml").write_text(template.format(code=code, currency=currency))
    shutil.copy(src / "sources.yaml", root / "sources" / "TEST.yaml")
    shutil.copy(
        src / "qualifying_months.yaml",
        root / "parameters" / "THA" / "si" / "old_age" / "qualifying_months.yaml",
    )
    shutil.copy(src / "findings.yaml", root / "findings.yaml")
    return root


@pytest.fixture
def min_knowledge(tmp_path: Path) -> Path:
    return build_min_knowledge(tmp_path / "knowledge")
