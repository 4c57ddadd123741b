"""The edit form merges status, themes and tags of concurrent editors (M2) and history shows them."""

import re

from pilotstarter_web.extensions import db
from tests.factories import make_pilot, make_user
from tests.web.test_pilot_pages import form_values

BODY = "## Aanleiding\n\nWe willen X.\n\n## Aanpak\n\nStap 1.\n"


def loaded_form(client, pilot) -> dict:
    """Everything the edit form posts, as the browser loaded it."""
    values = form_values(client.get(f"/pilots/{pilot.slug}/edit").get_data(as_text=True))
    rev = pilot.current_revision
    return {
        **values, "title": rev.title, "summary": rev.summary, "body": rev.body, "themes": pilot.theme_keys,
        "tags": ", ".join(pilot.tag_values), "status": pilot.status, "edit_summary": "",
    }  # fmt: skip


def test_text_only_save_on_a_stale_form_keeps_the_others_metadata(app, auth):
    pilot = make_pilot(body=BODY, themes=["data"], status="idee")
    a, b = app.test_client(), app.test_client()
    auth.__class__(a).login(make_user("GM0363"))
    auth.__class__(b).login(make_user("GM0599"))
    form_a, form_b = loaded_form(a, pilot), loaded_form(b, pilot)  # both open the form at revision 1
    assert form_a["base_revision"] == form_b["base_revision"] == "1"
    saved = a.post(
        f"/pilots/{pilot.slug}/edit", data={**form_a, "status": "lopend", "themes": ["data", "zorg"], "tags": "wmo"}
    )
    assert saved.status_code == 302
    response = b.post(
        f"/pilots/{pilot.slug}/edit", data={**form_b, "body": BODY + "\nB schreef dit.\n"}, follow_redirects=True
    )
    assert "automatisch samengevoegd" in response.get_data(as_text=True)
    db.session.expire_all()
    assert (pilot.status, pilot.theme_keys, pilot.tag_values) == ("lopend", ["data", "zorg"], ["wmo"])
    assert "B schreef dit." in pilot.current_revision.body


def test_a_status_conflict_comes_back_with_both_choices_and_the_merged_sets(app, auth):
    pilot = make_pilot(body=BODY, themes=["data"], status="idee")
    a, b = app.test_client(), app.test_client()
    auth.__class__(a).login(make_user("GM0363"))
    auth.__class__(b).login(make_user("GM0599"))
    form_a, form_b = loaded_form(a, pilot), loaded_form(b, pilot)
    a.post(f"/pilots/{pilot.slug}/edit", data={**form_a, "status": "lopend", "themes": ["data", "zorg"]})
    response = b.post(f"/pilots/{pilot.slug}/edit", data={**form_b, "status": "gestopt", "tags": "wmo"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Bewerkingsconflict" in html
    assert "Status: u koos Gestopt, de ander koos Lopend" in html
    assert "dezelfde tekst wijzigde" not in html  # the text itself had no conflict
    assert _checked(html, "zorg") and _checked(html, "data")  # A's theme is in the form B saves next
    assert 'value="wmo"' in html
    db.session.expire_all()
    assert (pilot.status, pilot.current_revision.number) == ("lopend", 2)


def _checked(html: str, value: str) -> bool:
    return any("checked" in tag for tag in re.findall(rf'<input[^>]*value="{value}"[^>]*>', html))


def test_a_metadata_only_save_shows_in_history_and_diff(client, auth):
    pilot = make_pilot(themes=["data"], status="idee")
    auth.login(make_user())
    form = loaded_form(client, pilot)
    client.post(f"/pilots/{pilot.slug}/edit", data={**form, "status": "afgerond", "themes": ["data", "ai"]})
    history = client.get(f"/pilots/{pilot.slug}/history").get_data(as_text=True)
    assert "Revisie 2" in history and "Status: Idee → Afgerond" in history
    diff = client.get(f"/pilots/{pilot.slug}/diff?from=1&to=2").get_data(as_text=True)
    assert "Status: Idee → Afgerond" in diff and "+AI en algoritmes" in diff
