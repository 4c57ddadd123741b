"""/activiteit and a pilot's own activity through the test client: what people see, filters, paging, 404s."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pilotstarter_web.extensions import db
from pilotstarter_web.services import comments, portfolio, scaleup
from pilotstarter_web.services.content_import import import_content
from pilotstarter_web.services.participation import join_pilot
from pilotstarter_web.services.pilots import PilotText, delete_pilot, edit_pilot
from tests.factories import make_pilot, make_user


def edit(user, pilot, summary: str) -> None:
    rev = pilot.current_revision
    text = PilotText(rev.title, rev.summary, rev.body + f"\n\n{summary}.", pilot.theme_keys, [], pilot.status, summary)
    edit_pilot(user, pilot, text, rev.number)
    db.session.commit()


@pytest.fixture
def world():
    anna = make_user("GM0344", name="Anna de Vries")
    bram = make_user("GM0599", name="Bram Jansen")
    lamps = make_pilot(anna, title="Slimme lantaarnpalen", themes=["duurzaamheid"])
    bins = make_pilot(bram, title="Slimme afvalbakken", themes=["data"])
    edit(anna, lamps, "planning toegevoegd")
    join_pilot(bram, lamps)
    db.session.commit()
    return {"anna": anna, "bram": bram, "lamps": lamps, "bins": bins}


def test_activity_page_lists_changes_with_diff_links(client, world):
    html = client.get("/activiteit").get_data(as_text=True)
    assert "Nieuwe pilot van Rotterdam, geplaatst door Bram Jansen" in html
    assert "Bewerkt door Anna de Vries" in html
    assert "planning toegevoegd" in html
    assert "Rotterdam doet mee als partner" in html
    assert f'href="/pilots/{world["lamps"].slug}/diff?from=1&amp;to=2"' in html
    assert html.index("Rotterdam doet mee") < html.index("Bewerkt door Anna") < html.index("Slimme afvalbakken")
    # In the main navigation, current on this page, and the feed announced in <head>.
    assert 'href="/activiteit" aria-current="page">Activiteit</a>' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html and 'href="/activiteit/feed.atom"' in html


def test_filters_narrow_the_page_and_its_feed_link(client, world):
    html = client.get("/activiteit?theme=data&kind=pilot").get_data(as_text=True)
    assert "Slimme afvalbakken" in html and "Slimme lantaarnpalen" not in html
    assert 'href="/activiteit/feed.atom?theme=data&amp;kind=pilot"' in html
    assert '<option value="data" selected>' in html
    html = client.get("/activiteit?organisation=GM0344").get_data(as_text=True)
    assert "Slimme lantaarnpalen" in html and "Slimme afvalbakken" not in html
    html = client.get("/activiteit?kind=join").get_data(as_text=True)
    assert "Rotterdam doet mee" in html and "Bewerkt door" not in html
    html = client.get("/activiteit?theme=jeugd").get_data(as_text=True)
    assert "Geen activiteit met deze filters" in html


def test_nonsense_filters_fall_back_and_an_unknown_pilot_is_404(client, world):
    response = client.get("/activiteit?theme=onzin&kind=onzin&before=gisteren&organisation=" + "x" * 5000)
    assert response.status_code == 200
    assert client.get("/activiteit?pilot=bestaat-niet").status_code == 404
    delete_pilot(world["anna"], world["lamps"])
    db.session.commit()
    assert client.get(f"/activiteit?pilot={world['lamps'].slug}").status_code == 404
    assert "Slimme lantaarnpalen" not in client.get("/activiteit").get_data(as_text=True)


def test_older_activity_is_paged(client):
    anna = make_user(name="Anna")
    for n in range(30):
        make_pilot(anna, title=f"Pilot nummer {n:02d}")
    first = client.get("/activiteit").get_data(as_text=True)
    assert "Pilot nummer 29" in first and "Pilot nummer 04" not in first
    link = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(link).get_data(as_text=True)
    assert "Pilot nummer 04" in second and "Pilot nummer 29" not in second
    assert "Nieuwste activiteit" in second and 'rel="next"' not in second


def test_pilot_page_shows_its_own_recent_activity(client, world):
    lamps = world["lamps"]
    html = client.get(f"/pilots/{lamps.slug}").get_data(as_text=True)
    section = html.split('id="activiteit"')[1].split("</section>")[0]
    assert "Bewerkt door Anna de Vries" in section and "Rotterdam doet mee als partner" in section
    assert "Slimme afvalbakken" not in section
    assert f'href="/activiteit?pilot={lamps.slug}"' in section
    assert f'href="/pilots/{lamps.slug}/feed.atom"' in html.split("</head>")[0]
    only_lamps = client.get(f"/activiteit?pilot={lamps.slug}").get_data(as_text=True)
    assert "Slimme afvalbakken" not in only_lamps and "Bewerkt door Anna" in only_lamps


def test_imported_pilots_read_as_the_start_of_the_platform(client, tmp_path: Path):
    (tmp_path / "buurtapp.md").write_text(
        "---\ntitle: Buurtapp\nsummary: Een app.\norganisation: GM0344\nthemes: [data]\n---\n## Doel\n\nTekst.\n",
        encoding="utf-8",
    )
    import_content(tmp_path)
    db.session.commit()
    html = client.get("/activiteit").get_data(as_text=True)
    assert "Pilot van Utrecht, toegevoegd bij de start van Pilotstarter" in html
    assert ".md" not in html and "Geïmporteerd" not in html and "door import" not in html


def test_home_page_shows_recent_activity_with_a_link_to_all(client, world):
    html = client.get("/").get_data(as_text=True)
    section = html.split('id="activiteit-kop"')[1].split("</section>")[0]
    assert "Rotterdam doet mee als partner" in section and "Bewerkt door Anna de Vries" in section
    assert 'href="/activiteit">Alle activiteit</a>' in section
    assert 'href="/activiteit/feed.atom"' in html.split("</head>")[0]


def test_scale_up_decisions_read_as_sentences(client):
    staff = make_user("vng", role="vng_staff")
    pilot = make_pilot(make_user("GM0344"), title="Slimme meldingen", status="lopend")
    meeting = portfolio.create_meeting(staff, date(2026, 1, 15), "Portfolio-overleg januari")
    scaleup.flag(staff, pilot, "Werkt in drie gemeenten.")
    scaleup.schedule(staff, pilot, meeting.id)
    scaleup.decide(staff, pilot, "opschalen", "Iedereen kan dit gebruiken.")
    db.session.commit()
    html = client.get("/activiteit?kind=scaleup").get_data(as_text=True)
    assert "Opschaling: Besluit portfolio-overleg: Wordt opgeschaald (Portfolio-overleg januari)" in html
    assert "Opschaling: Opschaalbaar verklaard" in html and "Iedereen kan dit gebruiken." in html


def test_a_comment_shows_on_activiteit_with_its_opening_and_on_its_pilot_page_once(client, world):
    lamps, bram = world["lamps"], world["bram"]
    comment = comments.post_comment(bram, lamps, "Hoe deden jullie de **DPIA**?")
    db.session.commit()
    html = client.get("/activiteit?kind=comment").get_data(as_text=True)
    assert "Reactie van Bram Jansen" in html and "Hoe deden jullie de DPIA?" in html
    assert f"/pilots/{lamps.slug}#reactie-{comment.id}" in html
    page = client.get(f"/pilots/{lamps.slug}").get_data(as_text=True)
    assert "Reactie van Bram Jansen" in page and page.count("Hoe deden jullie de") == 1  # the discussion's own
