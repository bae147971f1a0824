"""End to end in a real headless Chromium (Debian's, driven by Playwright): the report and the calculator.

Screenshots go to test-artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

SECTIONS = ["atlas", "gaps", "corridors", "scenarios", "cases", "sources"]


def _heatmap_drawn(page: Any) -> None:
    page.wait_for_selector("#atlas-heatmap .plotly svg.main-svg", timeout=20_000)
    assert page.locator("#atlas-heatmap .plotly").count() == 1
    # 90 cells drawn: plotly paints a heatmap as one image, and writes one text label per cell
    assert page.locator("#atlas-heatmap g.textpoint, #atlas-heatmap .heatmaplayer text").count() >= 90 or (
        page.locator("#atlas-heatmap .hm image").count() == 1
    )


def test_report_renders_every_section_offline(
    page: Any, report_dir: Path, artifacts: Path, external_requests: list[str]
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((report_dir / "index.html").as_uri())
    for sid in SECTIONS:
        section = page.locator(f"section#{sid}")
        assert section.count() == 1, sid
        assert section.locator("h2").first.is_visible(), sid
    _heatmap_drawn(page)
    page.locator("#atlas").screenshot(path=str(artifacts / "report-atlas.png"))
    page.locator("#case-myanmar-woman-thai-factory").screenshot(path=str(artifacts / "report-case.png"))
    assert page.locator("#case-myanmar-woman-thai-factory table.comparison").is_visible()
    assert errors == [] and external_requests == []


def test_heatmap_hover_shows_conditions_and_sources(page: Any, report_dir: Path, artifacts: Path) -> None:
    page.goto((report_dir / "index.html").as_uri())
    _heatmap_drawn(page)
    box = page.locator("#atlas-heatmap .nsewdrag").first.bounding_box()
    # Thailand's old-age cell: row 9 of 10, column 4 of 9
    page.mouse.move(box["x"] + box["width"] * 3.5 / 9, box["y"] + box["height"] * 8.5 / 10)
    label = page.locator("#atlas-heatmap .hoverlayer .hovertext")
    label.wait_for(timeout=5_000)
    text = label.text_content() or ""
    assert "Thailand" in text and "Old age" in text and "Sources:" in text
    page.locator("#atlas").screenshot(path=str(artifacts / "report-atlas-hover.png"))


def test_report_on_a_phone(browser: Any, report_dir: Path, artifacts: Path) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    page.goto((report_dir / "index.html").as_uri())
    _heatmap_drawn(page)
    # wide tables scroll inside their own box; the page itself never scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(artifacts / "report-phone.png"))
    context.close()


def test_web_atlas_draws_with_the_local_plotly(
    page: Any, server_url: str, external_requests: list[str]
) -> None:
    page.goto(f"{server_url}/atlas")
    _heatmap_drawn(page)
    page.goto(f"{server_url}/countries/MYS")
    assert page.locator("h1").inner_text() == "Malaysia (MYS)"
    assert external_requests == []


def test_calculator_computes_and_explains_a_case(
    page: Any, server_url: str, artifacts: Path, external_requests: list[str]
) -> None:
    """A Myanmar woman, 12 years in Thai manufacturing, entered by label and submitted by keyboard."""
    page.goto(f"{server_url}/calculator")
    page.get_by_label("Date of birth").fill("1980-05-01")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Nationality (ISO code)").fill("MMR")
    page.get_by_label("Evaluate on").fill("2035-05-01")
    spell = page.locator("fieldset", has_text="Spell 1")
    spell.get_by_label("Country (ISO code)").fill("THA")
    spell.get_by_label("From").fill("2005-01-01")
    spell.get_by_label("To (inclusive)").fill("2016-12-31")
    spell.get_by_label("Sector").select_option("manufacturing")
    spell.get_by_label("Monthly wage").fill("12000")
    page.get_by_label("Old age").check()
    page.get_by_label("asean-c157 —", exact=False).first.check()
    page.get_by_role("button", name="Calculate").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#results table.comparison")
    table = page.locator("#results table.comparison")
    assert "lump sum: 103,680.00 THB once" in table.inner_text()
    assert "asean-c157" in table.locator("thead").inner_text()
    page.get_by_text("Step-by-step explanation under none").click()
    explanation = page.locator("#results details pre.explain").first
    assert explanation.is_visible() and "THA · Old age: entitled" in explanation.inner_text()
    page.locator("#results").screenshot(path=str(artifacts / "calculator-result.png"))
    assert external_requests == []


def test_calculator_shows_problems_next_to_fields(page: Any, server_url: str, artifacts: Path) -> None:
    page.goto(f"{server_url}/calculator")
    page.get_by_label("Date of birth").fill("1980-05-01")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Nationality (ISO code)").fill("MMR")
    spell = page.locator("fieldset", has_text="Spell 1")
    spell.get_by_label("Country (ISO code)").fill("THA")
    spell.get_by_label("From").fill("2005-01-01")
    spell.get_by_label("To (inclusive)").fill("2004-12-31")
    spell.get_by_label("Monthly wage").fill("12000")
    page.get_by_role("button", name="Calculate").click()
    alert = page.get_by_role("alert")
    assert "2004-12-31 is before start 2005-01-01" in alert.inner_text()
    assert page.locator("#s0_end").get_attribute("aria-invalid") == "true"
    page.screenshot(path=str(artifacts / "calculator-error.png"))


def _bars_drawn(page: Any, chart: str) -> int:
    page.wait_for_selector(f"#{chart} .plotly svg.main-svg", timeout=20_000)
    return int(page.locator(f"#{chart} .barlayer .point").count())


def test_report_scenario_and_corridor_charts_render(
    page: Any, report_dir: Path, artifacts: Path, external_requests: list[str]
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((report_dir / "index.html").as_uri())
    # 8 indicators x 3 scenarios; the differences chart: 8 x 2 (zero bars are drawn too)
    assert _bars_drawn(page, "scenario-indicators") == 24
    assert _bars_drawn(page, "scenario-differences") == 16
    assert _bars_drawn(page, "corridor-stock") == 12 and _bars_drawn(page, "corridor-gains") == 36
    legend = page.locator("#scenario-indicators .legend").text_content() or ""
    assert "asean-c157" in legend and "lift-tha-agriculture" in legend
    page.locator("#scenarios").screenshot(path=str(artifacts / "report-scenarios.png"))
    page.locator("#corridors").screenshot(path=str(artifacts / "report-corridors.png"))
    assert errors == [] and external_requests == []


def test_explorer_by_keyboard_draws_the_chart(
    page: Any, server_url: str, artifacts: Path, external_requests: list[str]
) -> None:
    page.goto(f"{server_url}/scenarios")
    page.get_by_label("Simulated workers").fill("5000")
    page.get_by_label("Random seed").fill("2")
    page.get_by_role("checkbox", name="lift-tha-agriculture — Thailand").uncheck()
    page.get_by_role("checkbox", name="tha-120-months —").check()
    page.get_by_role("button", name="Simulate").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/scenarios?size=5000*")
    assert _bars_drawn(page, "scenario-indicators") == 8 * 3
    assert "5,000 (seed 2)" in page.locator("#results dl").inner_text()
    head = page.locator("#results table.scenarios thead").inner_text()
    assert "tha-120-months" in head and "lift-tha-agriculture" not in head
    page.locator("#results").screenshot(path=str(artifacts / "explorer.png"))
    assert external_requests == []
