"""Load the knowledge base (atlas, sources, parameters, agreements, findings) and check every file.

`load_knowledge()` returns the parsed base together with every problem found; callers decide whether
problems are fatal. Nothing here reaches outside the knowledge directory.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from pydantic import BaseModel, ValidationError

from migrantsp import __version__
from migrantsp.domain import ASEAN, ASEAN_CODES, BRANCHES, PARTNERS, Branch, Confidence, Coverage
from migrantsp.knowledge.parameters import Parameter, ParameterTree
from migrantsp.knowledge.schema import (
    PRIMARY_KINDS,
    AgreementsFile,
    Cell,
    CountryFile,
    Fact,
    FindingsFile,
    ParameterFile,
    RatificationsFile,
    Reference,
    Source,
    SourceFile,
    unit_problem,
)
from migrantsp.problems import InvalidInput, Problem
from migrantsp.yamlfile import Loc, YamlDoc, load_yaml, validation_problems

M = TypeVar("M", bound=BaseModel)


def default_root() -> Path:
    return Path(str(resources.files("migrantsp.knowledge") / "data"))


@dataclass
class Knowledge:
    root: Path
    sources: dict[str, Source] = field(default_factory=dict)
    countries: dict[str, CountryFile] = field(default_factory=dict)
    parameters: ParameterTree = field(default_factory=lambda: ParameterTree({}))
    agreements: AgreementsFile | None = None
    ratifications: RatificationsFile | None = None
    findings: FindingsFile | None = None
    version: str = ""  # hash of every file's bytes: which facts and rules a result used
    memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)  # derived once

    def cell(self, country: str, branch: Branch) -> Cell:
        return self.countries[country].branches[branch]


def _validate(doc: YamlDoc, model: type[M]) -> tuple[M | None, list[Problem]]:
    if doc.problems or doc.data is None:
        return None, doc.problems or [doc.problem((), "file is empty")]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, validation_problems(exc, doc)


def _missing_branches(doc: YamlDoc) -> list[Problem]:
    """Checked on the raw file so a missing branch is reported even when other fields are wrong."""
    branches = doc.data.get("branches") if isinstance(doc.data, dict) else None
    if not isinstance(branches, dict):
        return []
    return [
        doc.problem(
            ("branches",),
            f"branch {b.value} is missing (all nine ILO C102 branches are required, no_scheme included)",
        )
        for b in BRANCHES
        if b.value not in branches
    ]


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _facts(obj: Any, loc: Loc = ()) -> Iterator[tuple[Loc, Fact]]:
    """Every Fact inside a model, with its location."""
    if isinstance(obj, Fact):
        yield loc, obj
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            alias = type(obj).model_fields[name].alias or name
            yield from _facts(getattr(obj, name), (*loc, alias))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _facts(v, (*loc, str(k)))
    elif isinstance(obj, list | tuple):
        for i, v in enumerate(obj):
            yield from _facts(v, (*loc, i))


def _timeline_problems(doc: YamlDoc, loc: Loc, items: list[Any]) -> list[Problem]:
    out = []
    for i in range(1, len(items)):
        prev, cur = items[i - 1], items[i]
        if cur.from_ < prev.from_:
            out.append(
                doc.problem(
                    (*loc, i, "from"),
                    f"dated values out of order: {cur.from_} comes after "
                    f"{prev.from_}; list them oldest first",
                )
            )
        elif cur.from_ == prev.from_:
            out.append(
                doc.problem((*loc, i, "from"), f"overlapping dated values: two entries from {cur.from_}")
            )
        elif prev.until is not None and prev.until >= cur.from_:
            out.append(
                doc.problem(
                    (*loc, i - 1, "until"),
                    f"overlapping dated values: entry runs until "
                    f"{prev.until} but the next one starts {cur.from_}",
                )
            )
    return out


class _Checker:
    def __init__(self, kb: Knowledge) -> None:
        self.kb = kb
        self.problems: list[Problem] = []

    def sources_cited(self, doc: YamlDoc, loc: Loc, ids: Iterable[str] | str, confidence: Confidence) -> None:
        """`ids` is a list field (problems name each item) or a single source field."""
        items = [(loc, ids)] if isinstance(ids, str) else [((*loc, i), s) for i, s in enumerate(ids)]
        ids = [s for _, s in items]
        for where, sid in items:
            if sid not in self.kb.sources:
                self.problems.append(doc.problem(where, f"unknown source id {sid!r} (not in sources/)"))
        known = [self.kb.sources[s] for s in ids if s in self.kb.sources]
        if confidence is Confidence.primary and known and not any(s.kind in PRIMARY_KINDS for s in known):
            self.problems.append(
                doc.problem(
                    loc,
                    "confidence is primary but every cited source is "
                    "secondary; cite the law or agency text, or lower the confidence",
                )
            )

    def facts(self, doc: YamlDoc, model: BaseModel) -> None:
        for loc, fact in _facts(model):
            self.sources_cited(doc, (*loc, "sources"), fact.sources, fact.confidence)

    def country(self, doc: YamlDoc, c: CountryFile, expected: str) -> None:
        if c.country != expected:
            self.problems.append(doc.problem(("country",), f"file is named {expected} but says {c.country}"))
        if c.country in ASEAN and c.currency != ASEAN[c.country][1]:
            self.problems.append(
                doc.problem(("currency",), f"{c.country}'s currency is {ASEAN[c.country][1]}")
            )
        for b, cell in c.branches.items():
            loc: Loc = ("branches", b.value)
            for i, sid in enumerate(cell.schemes):
                if sid not in c.schemes:
                    self.problems.append(
                        doc.problem(
                            (*loc, "schemes", i),
                            f"unknown scheme {sid!r} (defined: {', '.join(c.schemes) or 'none'})",
                        )
                    )
            has_scheme = any(
                f.status is not Coverage.no_scheme for f in cell.foreign_workers + cell.nationals
            )
            if has_scheme and not cell.schemes:
                self.problems.append(
                    doc.problem((*loc, "schemes"), "a covered branch must name its scheme(s)")
                )
            for name in ("foreign_workers", "nationals", "nationals_abroad"):
                self.problems += _timeline_problems(doc, (*loc, name), getattr(cell, name))
            for name in ("export", "lump_sum_on_departure"):
                self.problems += _timeline_problems(
                    doc, (*loc, "portability", name), getattr(cell.portability, name)
                )
        self.facts(doc, c)

    def parameter(self, doc: YamlDoc, p: ParameterFile) -> None:
        if p.metadata.unit is None:
            self.problems.append(doc.problem(("metadata", "unit"), "parameter has no unit"))
        elif (msg := unit_problem(p.metadata.unit)) is not None:
            self.problems.append(doc.problem(("metadata", "unit"), msg))
        for i, ref in enumerate(p.metadata.reference):
            self.sources_cited(doc, ("metadata", "reference", i, "source"), ref.source, ref.confidence)
        dates = list(p.values)
        for i in range(1, len(dates)):
            if dates[i] <= dates[i - 1]:
                self.problems.append(
                    doc.problem(
                        ("values", str(dates[i])),
                        f"dated values out of order: "
                        f"{dates[i]} comes after {dates[i - 1]}; list them oldest first",
                    )
                )
        for d, v in p.values.items():
            for i, ref in enumerate(v.reference):
                self.sources_cited(
                    doc, ("values", str(d), "reference", i, "source"), ref.source, ref.confidence
                )
            if v.value is not None and not v.reference and not p.metadata.reference:
                self.problems.append(
                    doc.problem(
                        ("values", str(d)), "value has no source: add reference to the value or to metadata"
                    )
                )


def _parameter(path: str, p: ParameterFile, file: str) -> Parameter:
    items = sorted(p.values.items())
    return Parameter(
        path=path,
        description=p.description,
        unit=p.metadata.unit or "",
        starts=np.array([d for d, _ in items], dtype="datetime64[D]"),
        values=np.array([np.nan if v.value is None else float(v.value) for _, v in items], dtype=np.float64),
        references=tuple(tuple(v.reference) or tuple(p.metadata.reference) for _, v in items),
        file=file,
        notes=tuple(v.note for _, v in items),
    )


def load_knowledge(root: Path | None = None) -> tuple[Knowledge, list[Problem]]:
    root = root or default_root()
    kb = Knowledge(root=root)
    problems: list[Problem] = []
    if not root.is_dir():
        return kb, [Problem(str(root), None, "", "knowledge directory not found")]

    def read(path: Path, model: type[M]) -> tuple[YamlDoc, M | None]:
        doc = load_yaml(path, _rel(path, root))
        obj, errs = _validate(doc, model)
        problems.extend(errs)
        return doc, obj

    # Sources first: everything else cites them.
    for path in sorted((root / "sources").glob("*.yaml")):
        doc, sf = read(path, SourceFile)
        for sid, src in sf.sources.items() if sf else []:
            if sid in kb.sources:
                problems.append(doc.problem(("sources", sid), "source id defined twice"))
            kb.sources[sid] = src
    check = _Checker(kb)

    for path in sorted((root / "countries").glob("*.yaml")):
        doc, cf = read(path, CountryFile)
        problems.extend(_missing_branches(doc))
        if cf is not None:
            check.country(doc, cf, path.stem)
            kb.countries[cf.country] = cf
    for code in ASEAN_CODES:
        if code not in kb.countries and not any(p.file == f"countries/{code}.yaml" for p in problems):
            problems.append(
                Problem(f"countries/{code}.yaml", None, "", f"no atlas file for {ASEAN[code][0]}")
            )

    params: dict[str, Parameter] = {}
    for path in sorted((root / "parameters").rglob("*.yaml")):
        rel = path.relative_to(root / "parameters")
        doc, pf = read(path, ParameterFile)
        if rel.parts[0] not in kb.countries and rel.parts[0] not in ASEAN:
            problems.append(
                doc.problem((), f"parameters must sit under a member state's folder, not {rel.parts[0]}")
            )
        if pf is not None:
            check.parameter(doc, pf)
            dotted = ".".join((*rel.parts[:-1], rel.stem))
            params[dotted] = _parameter(dotted, pf, doc.name)
    kb.parameters = ParameterTree(params)

    known_parties = set(ASEAN) | set(PARTNERS) | {"ASEAN"}
    if (root / "agreements.yaml").exists():
        doc, af = read(root / "agreements.yaml", AgreementsFile)
        if af is not None:
            kb.agreements = af
            check.facts(doc, af)
            for aid, a in af.agreements.items():
                for i, party in enumerate(a.parties):
                    if party not in known_parties:
                        problems.append(
                            doc.problem(("agreements", aid, "parties", i), f"unknown party {party!r}")
                        )
                if a.in_force and a.signed and a.in_force < a.signed:
                    problems.append(
                        doc.problem(("agreements", aid, "in_force"), "in force before it was signed")
                    )
    if (root / "ratifications.yaml").exists():
        doc, rf = read(root / "ratifications.yaml", RatificationsFile)
        if rf is not None:
            kb.ratifications = rf
            check.facts(doc, rf)
            seen: set[tuple[str, str]] = set()
            for i, r in enumerate(rf.ratifications):
                key = (r.country, r.convention.value)
                if key in seen:
                    problems.append(
                        doc.problem(("ratifications", i), f"{r.country} {r.convention} listed twice")
                    )
                seen.add(key)
                if r.country not in ASEAN:
                    problems.append(
                        doc.problem(("ratifications", i, "country"), f"{r.country} is not a member state")
                    )
    if (root / "findings.yaml").exists():
        doc, ff = read(root / "findings.yaml", FindingsFile)
        if ff is not None:
            kb.findings = ff
            for gid, f in ff.findings.items():
                check.sources_cited(doc, ("findings", gid, "sources"), f.sources, f.confidence)
                for i, ref in enumerate(f.evidence):
                    if not (root / "countries" / f"{ref.country}.yaml").exists():
                        problems.append(
                            doc.problem(
                                ("findings", gid, "evidence", i, "country"),
                                f"no atlas file for {ref.country}",
                            )
                        )

    problems.extend(check.problems)
    kb.version = content_digest(root)[:12]
    return kb, sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.path, p.message))


def content_digest(root: Path) -> str:
    """SHA-256 of every knowledge file's name and bytes: which facts and rules a result used."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.yaml")):
        digest.update(_rel(path, root).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _code_digest() -> str:
    """The modules whose classes are pickled: a changed class must not load an old pickle."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted([*package.glob("*.py"), package.parent / "domain.py"]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _cache_file(root: Path) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = f"{content_digest(root)}-{__version__}-{_code_digest()}"
    return base / "migrantsp" / f"knowledge-{key}.pickle"


@cache
def knowledge(root: Path | None = None) -> Knowledge:
    """The knowledge base, loaded once per process; invalid files raise InvalidInput.

    Parsing and checking hundreds of YAML files takes over a second, so a valid base is also kept in the
    user's cache directory under the hash of its files' contents: any edit gives a new key.
    """
    root = root or default_root()
    cached = _cache_file(root)
    try:
        kb = pickle.loads(cached.read_bytes())
        if isinstance(kb, Knowledge):
            return kb
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
        pass  # no cache yet, or one from another version: parse
    kb, problems = load_knowledge(root)
    if problems:
        raise InvalidInput(problems)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(kb, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(cached)  # atomic: another process never reads half a file
    except OSError:
        pass  # a read-only home: work without the cache
    return kb


def status_at(timeline: list[Any], when: date) -> Any | None:
    """The entry of a dated timeline in force on `when` (None before the first)."""
    current = None
    for item in timeline:
        if item.from_ <= when and (item.until is None or when <= item.until):
            current = item
        elif item.from_ > when:
            break
    return current


def weakest(confidences: Iterable[Confidence]) -> Confidence:
    from migrantsp.domain import CONFIDENCE_RANK

    return min(confidences, key=lambda c: CONFIDENCE_RANK[c], default=Confidence.unverified)


__all__ = ["Knowledge", "Reference", "knowledge", "load_knowledge", "status_at", "weakest"]
