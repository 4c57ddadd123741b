"""The edit-conflict page: each conflicting part side by side with a choice, never a version-control marker."""

import html
import re

from pilotstarter_web.extensions import db
from pilotstarter_web.services.pilots import PilotText, edit_pilot
from tests.factories import make_pilot, make_user

BODY = "## Aanleiding\n\nWe willen X.\n\n## Aanpak\n\nStap 1.\n\n## Resultaat\n\nNog niet.\n"
MARKERS = ("&lt;&lt;&lt;&lt;&lt;&lt;&lt;", "<<<<<<<", "=======", ">>>>>>>", "&gt;&gt;&gt;&gt;&gt;&gt;&gt;")


def someone_else_saves(pilot, body: str) -> None:
    other = make_user("GM0599", name="Piet Jansen")
    rev = pilot.current_revision
    edit_pilot(other, pilot, PilotText(rev.title, rev.summary, body, pilot.theme_keys, [], pilot.status), rev.number)
    db.session.commit()


def form(pilot, body: str, base: int, token: str, **extra) -> dict:
    return {
        "title": pilot.title, "summary": pilot.summary, "body": body, "status": pilot.status,
        "base_revision": str(base), "token": token, **extra,
    }  # fmt: skip


def hidden(page: str, name: str) -> str:
    """A hidden field's value as the browser would send it."""
    return html.unescape(re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1))


def two_conflicts(client, auth, pilot):
    someone_else_saves(pilot, BODY.replace("We willen X.", "We willen B.").replace("Nog niet.", "Hun cijfers."))
    auth.login(make_user("GM0363"))
    mine = BODY.replace("We willen X.", "We willen A.").replace("Nog niet.", "Mijn cijfers.")
    return client.post(f"/pilots/{pilot.slug}/edit", data=form(pilot, mine, 1, "c-1"))


def test_a_conflict_shows_both_versions_side_by_side_without_markers(client, auth):
    pilot = make_pilot(body=BODY)
    response = two_conflicts(client, auth, pilot)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Bewerkingsconflict" in page
    assert not any(marker in page for marker in MARKERS)
    assert page.count('class="utrecht-form-fieldset conflict-part') == 2
    assert "Conflict 1 van 2" in page and "Conflict 2 van 2" in page
    assert "Uw versie" in page and "De versie van Piet Jansen (" in page
    sides = re.findall(r'<div class="conflict-text" lang="nl">([^<]*)</div>', page)
    assert "We willen A.\n" in sides and "We willen B.\n" in sides and "Mijn cijfers.\n" in sides
    assert sum("## Aanpak" in s for s in sides) == 1  # the agreed text is shown once
    assert 'name="body"' not in page  # no textarea holding a half-merged text
    assert hidden(page, "base_revision") == "2" and hidden(page, "conflict_base") == "1"


def test_choosing_parts_saves_the_expected_text(client, auth):
    pilot = make_pilot(body=BODY)
    page = two_conflicts(client, auth, pilot).get_data(as_text=True)
    data = form(
        pilot, "", 2, hidden(page, "token"), conflict_base="1", mine_body=hidden(page, "mine_body"),
        **{"keuze-0": "theirs", "keuze-1": "edit", "eigen-1": "Mijn en hun cijfers."},
    )  # fmt: skip
    response = client.post(f"/pilots/{pilot.slug}/edit", data=data)
    assert response.status_code == 302
    db.session.refresh(pilot)
    assert pilot.current_revision.number == 3
    assert pilot.current_revision.body == BODY.replace("We willen X.", "We willen B.").replace(
        "Nog niet.", "Mijn en hun cijfers."
    )


def test_a_missing_choice_comes_back_with_the_choices_made(client, auth):
    pilot = make_pilot(body=BODY)
    page = two_conflicts(client, auth, pilot).get_data(as_text=True)
    data = form(
        pilot, "", 2, hidden(page, "token"), conflict_base="1", mine_body=hidden(page, "mine_body"),
        **{"keuze-0": "both"},
    )  # fmt: skip
    page = client.post(f"/pilots/{pilot.slug}/edit", data=data).get_data(as_text=True)
    assert "Kies welke tekst u houdt bij conflict 2." in page and 'href="#keuze-1"' in page
    assert re.search(r'id="keuze-0-both" value="both" checked', page)
    db.session.refresh(pilot)
    assert pilot.current_revision.number == 2


def test_a_resolution_after_yet_another_edit_is_a_new_conflict(client, auth):
    pilot = make_pilot(body=BODY)
    page = two_conflicts(client, auth, pilot).get_data(as_text=True)
    someone_else_saves(pilot, BODY.replace("We willen X.", "We willen C.").replace("Nog niet.", "Hun cijfers."))
    data = form(
        pilot, "", 2, hidden(page, "token"), conflict_base="1", mine_body=hidden(page, "mine_body"),
        **{"keuze-0": "mine", "keuze-1": "mine"},
    )  # fmt: skip
    page = client.post(f"/pilots/{pilot.slug}/edit", data=data).get_data(as_text=True)
    assert "Bewerkingsconflict" in page and "Conflict 1 van 1" in page
    assert hidden(page, "base_revision") == "3" and hidden(page, "conflict_base") == "2"
    db.session.refresh(pilot)
    assert pilot.current_revision.number == 3


def test_a_title_both_changed_is_named_with_both_versions(client, auth):
    pilot = make_pilot(body=BODY, title="Oude titel")
    other = make_user("GM0599")
    rev = pilot.current_revision
    edit_pilot(other, pilot, PilotText("Titel A", rev.summary, BODY, pilot.theme_keys, [], pilot.status), 1)
    db.session.commit()
    auth.login(make_user("GM0363"))
    page = client.post(f"/pilots/{pilot.slug}/edit", data=form(pilot, BODY, 1, "t-1", title="Titel B")).get_data(
        as_text=True
    )
    assert "Titel: u schreef “Titel B”, de ander “Titel A”" in page
    assert "conflict-part" not in page and 'name="body"' in page  # the description merged: the editor as usual
