"""Corridors and scenarios for the report and the web app: a run of the simulation (contract section 6).

`run` calls `migrantsp.population.run.simulate` and `summary`; everything else turns that JSON into plain
rows, so the HTML tables, the charts and the CSV files beside them cannot disagree. No figure is made up:
a row the simulation does not give stays empty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from migrantsp.domain import ASEAN
from migrantsp.knowledge.base import Knowledge

BASELINE = "none"
DEFAULT_SCENARIOS = (BASELINE, "asean-c157", "lift-tha-agriculture")
DEFAULT_SIZE = 200_000
MAIN_CORRIDORS = 12  # the largest corridors within ASEAN, shown in the charts and the table

# The shares the report compares (old-age branch, weighted by the UN stock), with a label for readers.
INDICATORS: dict[str, str] = {
    "share_covered": "covered (insured at least one month somewhere)",
    "share_covered_in_destination": "covered in the destination",
    "share_entitled": "entitled to a pension or lump sum",
    "share_entitled_pension": "entitled to a pension",
    "share_forfeiting": "forfeiting insured months",
    "share_of_insured_months_forfeited": "insured months forfeited (share of insured months)",
    "share_payable_abroad": "entitled to a benefit payable abroad",
    "share_stranded": "stranded (entitled abroad, not payable where they live)",
}

CORRIDORS_CSV = [
    "origin",
    "destination",
    "within_asean",
    "scenario",
    "represented",
    "female",
    "male",
    "workers",
    "share_covered",
    "share_covered_in_destination",
    "share_entitled",
    "share_entitled_pension",
    "share_payable_abroad",
    "share_stranded",
    "workers_covered",
    "workers_entitled",
    "workers_payable_abroad",
    "insured_months",
    "forfeited_months",
    "share_of_insured_months_forfeited",
    "share_entitled_change_from_none",
]
SCENARIOS_CSV = ["scenario", "title", "indicator", "value", "baseline_value", "difference_from_none"]
ASSUMPTIONS_CSV = ["kind", "name", "value", "unit", "rationale", "source", "overridden"]


@dataclass(frozen=True)
class SimOptions:
    """What `migrantsp report` simulates: `none` is always run first, as the baseline."""

    size: int = DEFAULT_SIZE
    seed: int = 0
    scenarios: tuple[str, ...] = DEFAULT_SCENARIOS
    scope: str = "world"
    workers: int | None = None

    def with_baseline(self) -> tuple[str, ...]:
        return (BASELINE, *dict.fromkeys(s for s in self.scenarios if s != BASELINE))


def run(kb: Knowledge, options: SimOptions) -> dict[str, Any]:
    """The contract's JSON for `options`, with the default named assumptions (exit 2 on bad options)."""
    from migrantsp.population import assumptions
    from migrantsp.population.data import Scope
    from migrantsp.population.run import Settings, simulate, summary

    settings = Settings(
        size=options.size,
        seed=options.seed,
        scenarios=options.with_baseline(),
        scope=Scope(options.scope),
        workers=options.workers,
    )
    return summary(simulate(settings, assumptions.defaults(), kb))


def scenario_titles(kb: Knowledge) -> dict[str, str]:
    """A title for every built-in scenario and instrument id (a scenario's wins over an instrument's)."""
    from migrantsp.coordination.instruments import builtin as instruments

    titles = {i.id: i.title for i in instruments(kb).values()}
    try:
        from migrantsp.scenarios.apply import builtin
    except ImportError:  # pragma: no cover - scenarios ship with the package
        return titles
    return {**titles, **{s.id: s.title for s in builtin().values()}}


def name(code: str) -> str:
    return ASEAN[code][0] if code in ASEAN else code


@dataclass
class SimView:
    """What the corridor and scenario sections show, from one summary."""

    doc: dict[str, Any]
    titles: dict[str, str]
    scenarios: list[str] = field(default_factory=list)
    main: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    assumptions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def population(self) -> dict[str, Any]:
        return dict(self.doc["population"])

    @property
    def within_asean(self) -> int:
        return sum(
            r["represented"] for r in self.doc["population"]["by_corridor"] if r["destination"] in ASEAN
        )

    @property
    def forfeited_total(self) -> dict[str, int]:
        return {s["id"]: int(s["indicators"]["forfeited_months"]) for s in self.doc["scenarios"]}


def _by_corridor(doc: dict[str, Any]) -> dict[str, dict[tuple[str, str], dict[str, Any]]]:
    return {s["id"]: {(r["origin"], r["destination"]): r for r in s["by_corridor"]} for s in doc["scenarios"]}


def _change(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(a - b, 4)


def view(doc: dict[str, Any], titles: dict[str, str], top: int = MAIN_CORRIDORS) -> SimView:
    v = SimView(doc=doc, titles=titles, scenarios=[s["id"] for s in doc["scenarios"]])
    per = _by_corridor(doc)
    inside = [r for r in doc["population"]["by_corridor"] if r["destination"] in ASEAN]
    for r in sorted(inside, key=lambda r: (-r["represented"], r["origin"], r["destination"]))[:top]:
        key = (r["origin"], r["destination"])
        v.main.append(
            {
                **r,
                "label": f"{name(r['origin'])} → {name(r['destination'])}",
                "by_scenario": {sc: per[sc][key] for sc in v.scenarios},
            }
        )
    base = next((s["indicators"] for s in doc["scenarios"] if s["id"] == BASELINE), None)
    for ind, label in INDICATORS.items():
        values = {s["id"]: s["indicators"].get(ind) for s in doc["scenarios"]}
        diffs = {sc: _change(x, base.get(ind) if base else None) for sc, x in values.items()}
        v.indicators.append({"id": ind, "label": label, "values": values, "differences": diffs})
    v.assumptions = assumption_rows(doc)
    return v


def corridor_csv_rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per corridor x scenario, every corridor of the run (not only the main ones)."""
    per = _by_corridor(doc)
    base = per.get(BASELINE, {})
    rows = []
    for p in doc["population"]["by_corridor"]:
        key = (p["origin"], p["destination"])
        for sc, corridors in per.items():
            r = corridors[key]
            b = base.get(key)
            rows.append(
                {
                    **{k: r.get(k) for k in CORRIDORS_CSV if k in r},
                    **{
                        k: p[k] for k in ("origin", "destination", "represented", "female", "male", "workers")
                    },
                    "within_asean": p["destination"] in ASEAN,
                    "scenario": sc,
                    "share_entitled_change_from_none": _change(
                        r["share_entitled"], b["share_entitled"] if b else None
                    ),
                }
            )
    return rows


def scenario_csv_rows(doc: dict[str, Any], titles: dict[str, str]) -> list[dict[str, Any]]:
    """One row per scenario x indicator (every count and share of contract section 6)."""
    base: dict[str, Any] = next((s["indicators"] for s in doc["scenarios"] if s["id"] == BASELINE), {})
    return [
        {
            "scenario": s["id"],
            "title": titles.get(s["id"], ""),
            "indicator": k,
            "value": x,
            "baseline_value": base.get(k),
            "difference_from_none": _change(x, base.get(k)),
        }
        for s in doc["scenarios"]
        for k, x in s["indicators"].items()
    ]


def assumption_rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The named assumptions, then the run's settings and the data it rests on (revision, file hashes)."""
    p = doc["population"]
    rows = [
        {
            "kind": "assumption",
            **a,
            "value": a["value"] if isinstance(a["value"], str) else json.dumps(a["value"]),
            "source": a["source"] or "",
        }
        for a in doc["assumptions"]
    ]
    settings = {
        "stock_revision": (p["stock_revision"], "UN DESA International Migrant Stock revision"),
        "stock_reference_date": (p["stock_reference_date"], "date"),
        "scope": (p["scope"], "world: every ASEAN-born migrant; asean: intra-ASEAN corridors"),
        "size": (p["size"], "simulated workers"),
        "seed": (p["seed"], "random seed"),
        "represented_migrants": (p["represented_migrants"], "persons (sum of the weights)"),
        "branch": (p["branch"], "branch summarised"),
        "knowledge_version": (doc["knowledge_version"], "knowledge base version"),
    }
    rows += [
        {"kind": "setting", "name": k, "value": v, "unit": u, "rationale": "", "source": "", "overridden": ""}
        for k, (v, u) in settings.items()
    ]
    rows += [
        {
            "kind": "data",
            "name": f,
            "value": h,
            "unit": "SHA-256",
            "rationale": "",
            "source": "",
            "overridden": "",
        }
        for f, h in doc["data"].items()
    ]
    return rows
