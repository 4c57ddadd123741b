"""/statistieken in a real browser: reached from the menu, a chart's table shows the known count, every chart is
drawn within a phone's width with legible text, and axe finds nothing, in Dutch and English, at 1280 and 375 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pilotstarter_web.extensions import db
from tests import statistics_data

pytestmark = pytest.mark.browser

MOBILE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def figures() -> None:
    statistics_data.build()
    db.session.rollback()  # end this thread's read transaction before the server thread reads


def test_a_chart_table_shows_the_known_count(page, figures):
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Statistieken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistieken")
    section = page.get_by_role("region", name="Pilots per thema")
    expect(section.get_by_role("img", name="Pilots per thema")).to_be_visible()
    section.get_by_text("Toon als tabel").click()
    table = section.get_by_role("table", name="Pilots per thema")
    expect(table).to_be_visible()
    data_row = table.get_by_role("row", name="Data")
    expect(data_row.get_by_role("cell")).to_have_text("3")  # P1, P2 and P5: the deleted and merged pilots do not count
    headline = page.get_by_role("region", name="Kerncijfers")
    expect(headline).to_contain_text("5 pilots")
    expect(headline).to_contain_text("4 gemeenten doen mee")


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280", "375"])
@pytest.mark.parametrize("locale", ["nl-NL", "en-GB"])
def test_statistics_page_is_accessible_and_fits(new_page, figures, assert_accessible, viewport, locale):
    page = new_page(viewport=viewport, locale=locale)
    assert page.goto("/statistieken").status == 200
    expect(page.locator("html")).to_have_attribute("lang", locale[:2])
    for summary in page.locator("details.stat-table > summary").all():
        summary.click()  # the tables are checked too
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    charts = page.locator("svg.chart")
    assert charts.count() == 9  # every figure but reuse, which has no adoptions in this data
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] <= viewport["width"]
        # The charts' text stays legible: at least 10 CSS pixels high on a phone.
        smallest = charts.nth(i).evaluate(
            "svg => Math.min(...[...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect().height))"
        )
        assert smallest >= 10, smallest
    assert_accessible(page)


def test_empty_statistics_page_is_accessible(page, assert_accessible):
    page.goto("/statistieken")
    expect(page.get_by_role("main")).to_contain_text("Er zijn nog geen pilots.")
    assert page.locator("svg.chart").count() == 0
    assert_accessible(page)


def test_charts_follow_forced_colours(new_page, figures):
    """In Windows high-contrast mode the bars and text take the system colours, not the site's blue."""
    fill = "el => getComputedStyle(el).fill"
    normal = new_page()
    normal.goto("/statistieken")
    assert normal.locator("svg.chart g.chart__row rect").first.evaluate(fill) == "rgb(29, 79, 145)"
    forced = new_page(forced_colors="active")
    forced.goto("/statistieken")
    assert forced.locator("svg.chart g.chart__row rect").first.evaluate(fill) != "rgb(29, 79, 145)"
    assert forced.locator("svg.chart text").first.evaluate(fill) != "rgb(17, 24, 39)"
