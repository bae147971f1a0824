"""Server-rendered pages and the calculator's form POST, without JavaScript (TestClient)."""

from __future__ import annotations

from typing import Any

import pytest

FORM = {
    "birth_date": "1980-05-01", "sex": "female", "nationality": "MMR", "residence": "", "evaluate_date": "2035-05-01",
    "s0_country": "THA", "s0_start": "2005-01-01", "s0_end": "2016-12-31", "s0_activity": "employee",
    "s0_sector": "manufacturing", "s0_documented": "yes", "s0_monthly_wage": "12,000", "s0_currency": "",
    "s1_country": "", "s1_start": "", "s1_end": "", "s1_monthly_wage": "",
    "branch": "old_age", "instrument": "asean-c157",
}  # fmt: skip


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/", "Calculator"),
        ("/atlas", 'id="atlas-heatmap"'),
        ("/atlas?at=2018-06-30", "2018-06-30"),
        ("/gaps", 'id="finding-G1"'),
        ("/sources", 'id="sources"'),
        ("/scenarios", 'id="scenario-indicators-data"'),
        ("/countries/THA", "Thailand (THA)"),
        ("/countries/mys", "Malaysia (MYS)"),
        ("/calculator", 'for="s0_country"'),
    ],
)
def test_pages(client: Any, url: str, text: str) -> None:
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert text in r.text


def test_unknown_country_is_404(client: Any) -> None:
    assert client.get("/countries/FRA").status_code == 404


def test_plotly_served_locally(client: Any) -> None:
    r = client.get("/static/plotly.min.js")
    assert r.status_code == 200 and "javascript" in r.headers["content-type"] and len(r.content) > 100_000


def test_every_calculator_field_has_a_label(client: Any) -> None:
    import re

    html = client.get("/calculator").text
    ids = set(re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html))
    labelled = set(re.findall(r'<label for="([^"]+)"', html))
    assert ids and ids <= labelled
    assert 'type="checkbox"' in html and html.count('<label><input type="checkbox"') == html.count(
        'type="checkbox"'
    )


def test_calculator_computes_and_compares(client: Any) -> None:
    r = client.post("/calculator", data=FORM)
    assert r.status_code == 200
    assert 'id="results"' in r.text
    assert "Under <code>none</code>" in r.text and "Under <code>asean-c157</code>" in r.text
    assert "103,680.00 THB once" in r.text  # the engine's figure (see test_api / the README)
    assert "Step-by-step explanation" in r.text
    assert 'value="12,000"' in r.text  # the form keeps what was typed


def test_calculator_lists_problems_by_field(client: Any) -> None:
    r = client.post("/calculator", data={**FORM, "sex": "", "s0_monthly_wage": "abc"})
    assert r.status_code == 422 and 'role="alert"' in r.text
    assert 'href="#sex"' in r.text and 'aria-describedby="sex-error"' in r.text
    assert 'href="#s0_monthly_wage">Spell 1, monthly wage</a>' in r.text
    r = client.post("/calculator", data={**FORM, "s0_end": "2004-12-31"})
    assert r.status_code == 422
    assert 'href="#s0_end">Spell 1, end</a>: 2004-12-31 is before start 2005-01-01' in r.text
    assert 'aria-invalid="true" aria-describedby="s0_end-error"' in r.text


def test_calculator_without_spells(client: Any) -> None:
    r = client.post("/calculator", data={"birth_date": "1980-05-01", "sex": "male", "nationality": "MMR"})
    assert r.status_code == 422 and "spells" in r.text


def test_explorer_default_run(client: Any) -> None:
    """The first visit shows the default run: 10,000 workers, none, asean-c157, lift-tha-agriculture."""
    r = client.get("/scenarios")
    assert r.status_code == 200 and 'id="results"' in r.text
    assert "10,000 (seed 0)" in r.text and "23,541,148" in r.text  # the UN stock the weights reproduce
    for sc in ("none", "asean-c157", "lift-tha-agriculture"):
        assert f'<th scope="col"><code>{sc}</code></th>' in r.text
    assert "Myanmar → Thailand" in r.text and 'id="corridor-gains-data"' in r.text
    assert "<code>return_probability</code>" in r.text  # the named assumptions
    assert 'value="asean-c157" checked' in r.text


def test_explorer_runs_the_scenarios_picked(client: Any, kb: Any) -> None:
    from migrantsp.population import assumptions
    from migrantsp.population.data import Scope
    from migrantsp.population.run import Settings, simulate, summary

    r = client.get("/scenarios", params=[("size", "2,000"), ("seed", "3"), ("scope", "asean"),
                                         ("scenario", "tha-120-months")])  # fmt: skip
    assert r.status_code == 200
    assert "2,000 (seed 3)" in r.text and "7,060,102" in r.text  # intra-ASEAN stock, Rev.2020
    assert "<code>tha-120-months</code></th>" in r.text and "<code>asean-c157</code></th>" not in r.text
    assert 'value="tha-120-months" checked' in r.text and 'value="2,000"' in r.text
    s = Settings(size=2000, seed=3, scenarios=("none", "tha-120-months"), scope=Scope.asean, workers=1)
    doc = summary(simulate(s, assumptions.defaults(), kb))
    share = next(x for x in doc["scenarios"] if x["id"] == "tha-120-months")["indicators"]["share_entitled"]
    assert f"{100 * share:.1f} %" in r.text


def test_explorer_lists_problems_by_field(client: Any) -> None:
    r = client.get("/scenarios", params=[("size", "900000"), ("seed", "abc"), ("scope", "world"),
                                         ("scenario", "no-such-scenario")])  # fmt: skip
    assert r.status_code == 422 and 'role="alert"' in r.text and 'id="results"' not in r.text
    assert 'href="#size">Simulated workers</a>: Input should be less than or equal to 50000' in r.text
    assert 'href="#seed">Random seed</a>' in r.text
    assert 'href="#scenario">Scenarios</a>: unknown scenario &#39;no-such-scenario&#39;' in r.text
    assert 'id="size" name="size"' in r.text and 'aria-invalid="true" aria-describedby="size-error"' in r.text
    assert 'value="900000"' in r.text  # what was typed stays


def test_explorer_form_has_labels(client: Any) -> None:
    import re

    html = client.get("/scenarios").text
    form = html[html.index("<form") : html.index("</form>")]
    ids = set(re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', form))
    assert ids == {"size", "seed", "scope"} and ids <= set(re.findall(r'<label for="([^"]+)"', form))
    assert form.count('<label><input type="checkbox" name="scenario"') == form.count('type="checkbox"') >= 4
