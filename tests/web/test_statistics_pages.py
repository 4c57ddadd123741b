"""/statistieken and GET /api/v1/statistics: well-formed accessible SVG, one bar per category, the tables saying
what the charts say, the empty state, English, escaping, and charts that survive extreme data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

from pilotstarter_web import charts
from pilotstarter_web.extensions import db
from pilotstarter_web.models import Organisation, Participation
from tests import statistics_data
from tests.factories import make_pilot, make_user

SVG = "{http://www.w3.org/2000/svg}"
CHART = re.compile(r'<svg class="chart".*?</svg>', re.S)
TABLE = re.compile(r'<table class="utrecht-table" id="(?P<id>[\w-]+)-tabel">.*?</table>', re.S)
ROW = re.compile(r'<th class="utrecht-table__header-cell" scope="row">(.*?)</th>(.*?)</tr>', re.S)
CELL = re.compile(r'<td class="utrecht-table__cell utrecht-table__cell--numeric">(.*?)</td>')


def _charts(page: str) -> dict[str, ET.Element]:
    parsed = [ET.fromstring(svg) for svg in CHART.findall(page)]  # well-formed XML, or this raises
    return {svg.get("id"): svg for svg in parsed}


def _tables(page: str) -> dict[str, list[tuple[str, list[str]]]]:
    return {
        m["id"]: [(label, CELL.findall(cells)) for label, cells in ROW.findall(m.group(0))]
        for m in TABLE.finditer(page)
    }


def _bars(svg: ET.Element) -> list[tuple[str, str]]:
    """(label, printed value) of each horizontal bar."""
    rows = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "chart__row"]
    result = []
    for row in rows:
        assert len(row.findall(f"{SVG}rect")) == 1
        label, value = (t.text for t in row.findall(f"{SVG}text"))
        result.append((label, value))
    return result


@pytest.fixture
def page(client) -> str:
    statistics_data.build()
    response = client.get("/statistieken")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_every_chart_is_an_image_named_by_its_title_and_summary(page):
    found = _charts(page)
    assert list(found) == [
        "pilots-door-de-tijd", "gemeenten-door-de-tijd", "per-soort", "per-thema", "per-status", "per-provincie", "per-fase",
        "gemeenten-per-aantal-pilots", "voordracht-tot-besluit",
    ]  # fmt: skip
    for chart_id, svg in found.items():
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert svg.get("role") == "img" and svg.get("viewBox", "").startswith("0 0 400 ")
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert title.text and len(desc.text) > 40, chart_id
    assert "Data: 3, Zorg en Wmo: 2, Jeugd: 1" in found["per-thema"].find(f"{SVG}desc").text


def test_one_bar_per_category_and_the_table_holds_the_same_numbers(page):
    found, tables = _charts(page), _tables(page)
    for chart_id in ("per-thema", "per-status", "per-provincie", "per-fase", "gemeenten-per-aantal-pilots"):
        assert _bars(found[chart_id]) == [(label, cells[0]) for label, cells in tables[chart_id]], chart_id
    assert _bars(found["per-thema"]) == [("Data", "3"), ("Zorg en Wmo", "2"), ("Jeugd", "1")]
    assert _bars(found["gemeenten-per-aantal-pilots"]) == [
        ("1 pilot", "1"), ("2 pilots", "2"), ("3 tot en met 5 pilots", "1"), ("6 of meer pilots", "0"),
    ]  # fmt: skip
    timeline = found["pilots-door-de-tijd"]
    bars = [r for r in timeline.iter(f"{SVG}rect") if r.get("class") == "chart__bar chart__bar--new"]
    assert [b.find(f"{SVG}title").text for b in bars] == ["jan 2025: 2", "feb 2025: 0", "mrt 2025: 1", "apr 2025: 2"]
    assert tables["pilots-door-de-tijd"] == [
        ("jan 2025", ["2", "2"]), ("feb 2025", ["0", "2"]), ("mrt 2025", ["1", "3"]), ("apr 2025", ["2", "5"]),
    ]  # fmt: skip
    assert _bars(found["voordracht-tot-besluit"]) == [("Opschalen", "10 dagen"), ("Niet nu", "25,5 dagen (20–31)")]
    assert tables["voordracht-tot-besluit"] == [
        ("Opschalen", ["1", "10 dagen", "10 dagen", "10 dagen"]),
        ("Niet nu", ["2", "25,5 dagen", "20 dagen", "31 dagen"]),
    ]


def test_headline_numbers_and_where_the_page_is_linked(client, page):
    headlines = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.split('class="stat-headlines"')[1].split("</ul>")[0]))
    assert (
        "5 pilots" in headlines and "4 gemeenten doen mee" in headlines and "2 pilots worden opgeschaald" in headlines
    )
    assert "1,2% van de 342 Nederlandse gemeenten doet mee (4)" in headlines
    nav, footer = page.split('aria-label="Hoofdmenu"')[1].split("</nav>")[0], page.split("<footer")[1]
    assert 'href="/statistieken" aria-current="page">Statistieken</a>' in nav
    assert 'href="/statistieken">Statistieken</a>' in footer
    assert 'href="/kaart">Bekijk de deelnemende gemeenten op de kaart</a>' in page


def test_empty_database_shows_words_instead_of_charts(client):
    page = client.get("/statistieken").get_data(as_text=True)
    assert "<svg" not in page.split('id="inhoud"')[1]
    assert "Er zijn nog geen pilots." in page and "Het portfolio-overleg heeft nog niets besloten." in page
    assert client.get("/api/v1/statistics").get_json()["pilots"] == 0


def test_english_page_has_english_labels_months_and_numbers(client):
    statistics_data.build()
    page = client.get("/statistieken", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en"' in page
    tables = _tables(page)
    assert [label for label, _cells in tables["per-thema"]] == ["Data", "Care and social support", "Youth"]
    assert [label for label, _cells in tables["pilots-door-de-tijd"]][:2] == ["Jan 2025", "Feb 2025"]
    assert tables["voordracht-tot-besluit"][1][0] == "Not now"
    assert "25.5" in tables["voordracht-tot-besluit"][1][1][1]
    assert "1.2%" in page


def test_labels_from_data_are_escaped(client):
    """Province and organisation names are data: markup in them is shown as text and the SVG stays well-formed."""
    odd = Organisation(code="GM9999", name='Gemeente "<b>Vet</b>"', kind="municipality", province="<script>x</script>&")
    db.session.add(odd)
    db.session.flush()
    pilot = make_pilot(make_user("GM0344"))
    db.session.add(Participation(pilot=pilot, organisation=odd, role="partner"))
    db.session.commit()
    page = client.get("/statistieken").get_data(as_text=True)
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;&amp;" in page
    assert ("<script>x</script>&", "1") in _bars(_charts(page)["per-provincie"])  # parsed back: the same text


def test_api_gives_the_same_figures(client):
    statistics_data.build()
    body = client.get("/api/v1/statistics").get_json()
    assert (body["pilots"], body["municipalities"], body["scaled_up"]) == (5, 4, 2)
    assert body["share"] == {"country": "NL", "taking_part": 4, "total": 342, "percent": 1.2}
    assert [(t["key"], t["count"]) for t in body["themes"]] == [("data", 3), ("zorg", 2), ("jeugd", 1)]
    assert [(p["period"], p["new"], p["total"]) for p in body["pilots_over_time"]["periods"]] == [
        ("2025-01", 2, 2), ("2025-02", 0, 2), ("2025-03", 1, 3), ("2025-04", 2, 5),
    ]  # fmt: skip
    assert body["pilots_over_time"]["periods"][0]["start"] == "2025-01-01"
    assert [(b["key"], b["count"]) for b in body["pilots_per_municipality"]] == [
        ("1", 1), ("2", 2), ("3-5", 1), ("6+", 0),
    ]  # fmt: skip
    durations = {d["decision"]: d for d in body["decision_durations"]}
    assert durations["niet_nu"] == {
        "decision": "niet_nu", "label": "Niet nu", "count": 2, "median_days": 25.5, "min_days": 20, "max_days": 31,
    }  # fmt: skip
    english = client.get("/api/v1/statistics", headers={"Accept-Language": "en"}).get_json()
    assert english["themes"][1]["label"] == "Care and social support" and english["themes"][1]["key"] == "zorg"
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["paths"]["/statistics"]["get"]["responses"]["200"]
    assert set(spec["components"]["schemas"]["Statistics"]["properties"]) == set(body)


def test_charts_survive_long_labels_huge_numbers_and_many_points(app):
    with app.test_request_context("/"):
        long_label = "Een heel lang thema " * 15
        bars = [charts.Bar(long_label, 10**15), charts.Bar("<&>", 0), charts.Bar("Kort", 1)]
        svg = ET.fromstring(charts.horizontal_bars("lang", "Titel", "Beschrijving", bars))
        texts = [t.text for t in svg.iter(f"{SVG}text")]
        assert texts[0].endswith("…") and len(texts[0]) == charts.MAX_LABEL
        assert texts[1] == "1.000.000.000.000.000" and "<&>" in texts
        assert svg.find(f"{SVG}g/{SVG}title").text.startswith(long_label.strip()[:40])  # the full label on hover
        widths = [float(r.get("width")) for r in svg.iter(f"{SVG}rect")]
        assert max(widths) <= charts.WIDTH and widths[1] == 0
        for count in (1, 2, 40):
            new = [charts.Bar(f"p{i}", i * 10**12) for i in range(count)]
            cumulative = [sum(b.value for b in new[: i + 1]) for i in range(count)]
            svg = ET.fromstring(charts.timeline(f"t{count}", "Titel", "Beschrijving", new, cumulative))
            assert len([r for r in svg.iter(f"{SVG}rect") if "chart__bar--new" in r.get("class", "")]) == count
            axis = [t for t in svg.iter(f"{SVG}text") if "chart__axis" in t.get("class", "")]
            assert len([t for t in axis if t.text.startswith("p")]) == min(count, charts.MAX_X_LABELS)
        assert charts.nice_ceiling(3) == 5 and charts.nice_ceiling(21) == 25 and charts.nice_ceiling(100) == 100


def test_a_decade_of_pilots_is_shown_by_quarter(client):
    author = make_user("GM0344")
    for when in ("2015-02-01", "2024-11-30"):
        make_pilot(author).created_at = datetime.fromisoformat(when)
    db.session.commit()
    tables = _tables(client.get("/statistieken").get_data(as_text=True))
    periods = tables["pilots-door-de-tijd"]
    assert len(periods) == 40 and periods[0][0] == "K1 2015" and periods[-1] == ("K4 2024", ["1", "2"])
