"""Plotly figures as plain JSON (drawn by plotly.js in the page) and the plotly.js bundle itself."""

from __future__ import annotations

import html
import json
import textwrap
from functools import cache
from typing import Any

from migrantsp.domain import ASEAN, BRANCH_LABELS, BRANCHES

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
