"""How much of the knowledge base rests on primary texts: facts and parameter values by confidence."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from migrantsp.domain import Confidence
from migrantsp.knowledge.base import Knowledge, _facts


@dataclass
class FactStats:
    by_country: dict[str, Counter[str]] = field(default_factory=dict)
    confidences: tuple[str, ...] = tuple(c.value for c in Confidence)

    @property
    def total(self) -> Counter[str]:
        t: Counter[str] = Counter()
        for c in self.by_country.values():
            t.update(c)
        return t

    def share(self, confidence: str) -> float:
        n = sum(self.total.values())
        return self.total[confidence] / n if n else 0.0


def fact_stats(kb: Knowledge) -> FactStats:
    """Count each atlas fact and each dated parameter value once, under its country ('regional' otherwise)."""
    s = FactStats()
    for code, cf in sorted(kb.countries.items()):
        counts = s.by_country.setdefault(code, Counter())
        for _, fact in _facts(cf):
            counts[fact.confidence.value] += 1
    for p in kb.parameters.parameters.values():
        counts = s.by_country.setdefault(p.path.split(".")[0], Counter())
        for value, refs in zip(p.values, p.references, strict=True):
            if refs and value == value:  # NaN marks "stops applying": not a fact of its own
                counts[max((r.confidence for r in refs), key=_rank).value] += 1
    regional = s.by_country.setdefault("regional", Counter())
    for part in (kb.agreements, kb.ratifications):
        for _, fact in _facts(part):
            regional[fact.confidence.value] += 1
    if kb.findings:
        for f in kb.findings.findings.values():
            regional[f.confidence.value] += 1
    return s


def _rank(c: Confidence) -> int:
    return {Confidence.primary: 2, Confidence.secondary: 1, Confidence.unverified: 0}[c]
