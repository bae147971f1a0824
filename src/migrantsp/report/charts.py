"""Plotly figures as plain JSON (drawn by plotly.js in the page) and the plotly.js bundle itself."""

from __future__ import annotations

import html
import json
import textwrap
from functools import cache
from typing import Any

from migrantsp.domain import ASEAN, BRANCH_LABELS, BRANCHES
from migrantsp.report.simulation import BASELINE, SimView

# Numeric levels for the heatmap; the colours pass WCAG AA against the letter drawn on them.
LEVELS = {"no_scheme": 0, "excluded": 1, "voluntary": 2, "mandatory": 3}
COLOURS = {"no_scheme": "#5f6368", "excluded": "#b3261e", "voluntary": "#f2c94c", "mandatory": "#1e6b3a"}


@cache
def plotly_js() -> str:
    """The plotly.js bundle shipped inside the `plotly` package: no CDN, works offline."""
    from plotly.offline import get_plotlyjs  # type: ignore[import-untyped]

    return str(get_plotlyjs())


def _wrap(text: str, width: int = 70) -> str:
    return "<br>".join(textwrap.wrap(html.escape(text), width)) or "—"


def _hover(row: dict[str, Any]) -> str:
    parts = [
        f"<b>{html.escape(row['country_name'])} · {html.escape(row['branch_label'])}</b>",
        f"Foreign workers: <b>{row['coverage_label']}</b> ({row['confidence']})",
        _wrap(row["foreign_workers_note"]),
    ]
    parts += [f"Excluded: {_wrap(e)}" for e in row["exclusion_list"][:3]]
    parts += [f"Condition: {_wrap(c)}" for c in row["condition_list"][:3]]
    more = len(row["exclusion_list"]) + len(row["condition_list"]) - 6
    if more > 0:
        parts.append(f"… {more} more in the country profile")
    parts.append(f"Sources: {_wrap(', '.join(row['source_list']))}")
    return "<br>".join(parts)


def atlas_heatmap(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Country x branch heatmap of foreign workers' coverage; hover shows conditions and sources."""
    by_key = {(r["country"], r["branch"]): r for r in rows}
    countries = [c for c in ASEAN if any((c, b.value) in by_key for b in BRANCHES)]
    z, text, hover = [], [], []
    for c in countries:
        cells = [by_key[(c, b.value)] for b in BRANCHES]
        z.append([LEVELS[r["foreign_workers"]] for r in cells])
        text.append([r["letter"] for r in cells])
        hover.append([_hover(r) for r in cells])
    scale = []
    for name, level in LEVELS.items():
        scale += [[level / 4, COLOURS[name]], [(level + 1) / 4, COLOURS[name]]]
    trace = {
        "type": "heatmap",
        "z": z,
        "x": [BRANCH_LABELS[b] for b in BRANCHES],
        "y": [ASEAN[c][0] for c in countries],
        "zmin": -0.5,
        "zmax": 3.5,
        "colorscale": scale,
        "showscale": False,
        "text": text,
        "texttemplate": "%{text}",
        "customdata": hover,
        "hovertemplate": "%{customdata}<extra></extra>",
        "xgap": 2,
        "ygap": 2,
    }
    layout = {
        "margin": {"l": 130, "r": 10, "t": 10, "b": 90},
        "height": 120 + 42 * len(countries),
        "yaxis": {"autorange": "reversed", "fixedrange": True},
        "xaxis": {"side": "bottom", "tickangle": -35, "fixedrange": True},
        "hoverlabel": {"align": "left", "bgcolor": "#ffffff", "font": {"color": "#111111", "size": 12}},
        "font": {"family": "system-ui, sans-serif", "color": "#1b1b1b"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }
    return {"data": [trace], "layout": layout}


def figure_json(figure: dict[str, Any]) -> str:
    """JSON safe to place inside a <script> element (no closing tag can appear in it)."""
    return json.dumps(figure, ensure_ascii=False).replace("</", "<\\/")


# ------------------------------------------------------------------------------ corridors and scenarios
# Distinct hues that stay apart for the common colour-vision deficiencies (Okabe-Ito), darkest first.
PALETTE = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"]
SHORT = {
    "share_covered": "covered",
    "share_covered_in_destination": "covered in destination",
    "share_entitled": "entitled",
    "share_entitled_pension": "entitled to a pension",
    "share_forfeiting": "forfeiting months",
    "share_of_insured_months_forfeited": "months forfeited",
    "share_payable_abroad": "payable abroad",
    "share_stranded": "stranded",
}


def _pct(x: float | None) -> float | None:
    return None if x is None else round(100 * x, 2)


def _layout(height: int, title: str, horizontal: bool = True) -> dict[str, Any]:
    axis = {"title": {"text": title}, "fixedrange": True, "automargin": True, "gridcolor": "#e3e3e3"}
    cats = {"fixedrange": True, "automargin": True}
    return {
        "barmode": "group",
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10, "pad": 4},
        "xaxis": axis if horizontal else {**cats, "tickangle": -30},
        "yaxis": {**cats, "autorange": "reversed"} if horizontal else axis,
        "legend": {"orientation": "h", "y": -0.15 if horizontal else -0.35},
        "font": {"family": "system-ui, sans-serif", "color": "#1b1b1b"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"bgcolor": "#ffffff", "font": {"color": "#111111"}},
    }


def _hbar(name: str, labels: list[str], values: list[Any], i: int, unit: str) -> dict[str, Any]:
    return {
        "type": "bar",
        "orientation": "h",
        "name": name,
        "y": labels,
        "x": values,
        "marker": {"color": PALETTE[i % len(PALETTE)]},
        "hovertemplate": f"%{{y}}<br>{html.escape(name)}: %{{x:,.1f}}{unit}<extra></extra>",
    }


def corridor_stock(main: list[dict[str, Any]]) -> dict[str, Any]:
    """Migrants represented in each main corridor (the UN stock the weights reproduce)."""
    labels = [r["label"] for r in main]
    trace = _hbar("migrants represented", labels, [r["represented"] for r in main], 0, "")
    trace["hovertemplate"] = "%{y}<br>%{x:,.0f} migrants<extra></extra>"
    return {"data": [trace], "layout": _layout(90 + 30 * len(main), "migrants (UN stock)")}


def corridor_shares(main: list[dict[str, Any]], scenario: str) -> dict[str, Any]:
    """Share covered, entitled, and entitled to a benefit payable abroad, per corridor, under `scenario`."""
    labels = [r["label"] for r in main]
    names = ["share_covered", "share_entitled", "share_payable_abroad"]
    data = [
        _hbar(SHORT[n], labels, [_pct(r["by_scenario"][scenario][n]) for r in main], i, " %")
        for i, n in enumerate(names)
    ]
    return {"data": data, "layout": _layout(110 + 3 * 22 * len(main), f"% of migrants, under {scenario}")}


def corridor_gains(main: list[dict[str, Any]], scenarios: list[str]) -> dict[str, Any]:
    """Share entitled to an old-age benefit per main corridor, under each scenario."""
    labels = [r["label"] for r in main]
    data = [
        _hbar(sc, labels, [_pct(r["by_scenario"][sc]["share_entitled"]) for r in main], i, " %")
        for i, sc in enumerate(scenarios)
    ]
    height = 110 + len(scenarios) * 20 * len(main)
    return {"data": data, "layout": _layout(height, "% of migrants entitled to an old-age benefit")}


def _vbar(name: str, labels: list[str], values: list[Any], i: int, unit: str) -> dict[str, Any]:
    return {
        "type": "bar",
        "name": name,
        "x": labels,
        "y": values,
        "marker": {"color": PALETTE[i % len(PALETTE)]},
        "hovertemplate": f"%{{x}}<br>{html.escape(name)}: %{{y:,.2f}}{unit}<extra></extra>",
    }


def scenario_indicators(indicators: list[dict[str, Any]], scenarios: list[str]) -> dict[str, Any]:
    """Each indicator (share of migrants, %) under each scenario."""
    labels = [SHORT[r["id"]] for r in indicators]
    data = [
        _vbar(sc, labels, [_pct(r["values"][sc]) for r in indicators], i, " %")
        for i, sc in enumerate(scenarios)
    ]
    return {
        "data": data,
        "layout": _layout(440, "% of migrants", horizontal=False),
    }


def scenario_differences(
    indicators: list[dict[str, Any]], scenarios: list[str], baseline: str
) -> dict[str, Any]:
    """Each indicator's difference from the baseline, in percentage points, per other scenario."""
    labels = [SHORT[r["id"]] for r in indicators]
    others = [sc for sc in scenarios if sc != baseline]
    data = [
        _vbar(sc, labels, [_pct(r["differences"][sc]) for r in indicators], i + 1, " points")
        for i, sc in enumerate(others)
    ]
    return {
        "data": data,
        "layout": _layout(420, f"points above {baseline}", horizontal=False),
    }


def simulation_figures(v: SimView) -> dict[str, str]:
    """Every corridor and scenario chart of a run, as JSON for the page."""
    figures = {
        "corridor-stock": corridor_stock(v.main),
        "corridor-shares": corridor_shares(v.main, BASELINE),
        "corridor-gains": corridor_gains(v.main, v.scenarios),
        "scenario-indicators": scenario_indicators(v.indicators, v.scenarios),
        "scenario-differences": scenario_differences(v.indicators, v.scenarios, BASELINE),
    }
    return {k: figure_json(f) for k, f in figures.items()}
