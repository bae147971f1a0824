"""Worked cases: the career files of a folder (the repository's examples/), computed live by the engine."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from migrantsp.api import as_career
from migrantsp.career import Career
from migrantsp.knowledge.base import Knowledge
from migrantsp.report.compare import Comparison, compare

CASE_INSTRUMENTS = ["none", "asean-c157"]


@dataclass
class Case:
    id: str
    title: str
    description: str
    career: Career
    comparison: Comparison


def _comment(path: Path) -> str:
    """The file's leading comment lines: each example says in words who the worker is."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(lines)


def career_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml", ".json"))


def load_cases(folder: Path, kb: Knowledge, instruments: list[str] | None = None) -> list[Case]:
    """Every career file in `folder`, compared under `instruments` (default: none vs asean-c157)."""
    cases = []
    for path in career_files(folder):
        career = as_career(path)
        text = _comment(path)
        title = text.split(". ")[0].rstrip(".") if text else path.stem.replace("-", " ")
        cases.append(
            Case(
                id=path.stem,
                title=title,
                description=text,
                career=career,
                comparison=compare(career, kb, instruments or CASE_INSTRUMENTS),
            )
        )
    return cases
