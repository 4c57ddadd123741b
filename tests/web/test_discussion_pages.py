"""The discussion through the site: the pilot page's section, writing and its errors, edit, delete, "nuttig",
report, the moderation queue, CSRF, rate limits, the mention autocomplete, notification links and search."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Comment, Notification
from pilotstarter_web.services import comments
from tests.factories import make_pilot, make_user


@pytest.fixture
def world():
    owner = make_user("GM0344", name="Olga Eigenaar", email="olga@example.nl")
    pilot = make_pilot(owner, title="Slimme lantaarnpalen", body="## Doel\n\nMinder stroom.\n")
    return {
        "pilot": pilot,
        "owner": owner,
        "anna": make_user("GM0363", name="Anna Amsterdam", email="anna@example.nl"),
        "bram": make_user("GM0200", name="Bram Apeldoorn", email="bram@example.nl"),
        "staff": make_user("vng", role="vng_staff", name="Vera VNG", email="vera@vng.nl"),
        "unverified": make_user("GM0344", verified=False, email="wacht@example.nl"),
    }


def page(client, slug="slimme-lantaarnpalen") -> str:
    response = client.get(f"/pilots/{slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def post(client, body: str, reply_to: int | None = None, slug="slimme-lantaarnpalen"):
    data = {"body": body} | ({"reply_to": str(reply_to)} if reply_to else {})
    return client.post(f"/pilots/{slug}/reacties", data=data)


def test_anyone_reads_the_discussion_only_verified_accounts_see_the_form(client, auth, world):
    comments.post_comment(world["anna"], world["pilot"], "Hoe deden jullie de **DPIA**?")
    db.session.commit()
    html = page(client)
    assert 'id="discussie"' in html and "(1 reactie)" in html and "<strong>DPIA</strong>" in html
    assert "Anna Amsterdam" in html and "Reactie plaatsen" not in html and "om te reageren" in html
    auth.login(world["unverified"])
    assert "Reageren kan zodra uw account is geverifieerd" in page(client)
    assert post(client, "Hallo").status_code == 403
    auth.logout()
    auth.login(world["bram"])
    html = page(client)
    assert "Reactie plaatsen" in html and "data-mentions" in html and "js/mentions.js" in html


def test_posting_goes_to_the_comment_and_a_reply_joins_its_thread(client, auth, world):
    auth.login(world["anna"])
    response = post(client, "Eerste vraag")
    top = db.session.scalars(select(Comment)).one()
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/pilots/slimme-lantaarnpalen#reactie-{top.id}"
    )
    auth.logout()
    auth.login(world["bram"])
    assert post(client, "Een antwoord", reply_to=top.id).status_code == 302
    html = page(client)
    assert "(2 reacties)" in html and 'class="comment-list comment-list--replies"' in html
    assert f'id="reactie-{top.id}"' in html


def test_a_too_long_or_empty_comment_comes_back_with_the_text_and_a_clear_message(client, auth, world):
    auth.login(world["anna"])
    long_text = "woord " * 2_000
    response = post(client, long_text)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Uw reactie is te lang: gebruik hoogstens 10000 tekens" in html and 'aria-invalid="true"' in html
    assert long_text.strip() in html  # nothing typed is lost
    assert post(client, "  ").status_code == 422
    assert db.session.scalar(select(db.func.count()).select_from(Comment)) == 0


def test_edit_shows_bewerkt_and_only_the_author_may(client, auth, world):
    c = comments.post_comment(world["anna"], world["pilot"], "Eerste versie")
    db.session.commit()
    auth.login(world["bram"])
    assert client.get(f"/reacties/{c.id}/bewerken").status_code == 403
    auth.logout()
    auth.login(world["anna"])
    form = client.get(f"/reacties/{c.id}/bewerken").get_data(as_text=True)
    assert "Eerste versie" in form and "Reactie bewerken" in form
    assert client.post(f"/reacties/{c.id}/bewerken", data={"body": "Tweede versie"}).status_code == 302
    html = page(client)
    assert "Tweede versie" in html and "bewerkt" in html


def test_delete_with_a_reply_leaves_a_placeholder(client, auth, world):
    top = comments.post_comment(world["anna"], world["pilot"], "Te verwijderen tekst")
    comments.post_comment(world["bram"], world["pilot"], "Antwoord", top)
    db.session.commit()
    auth.login(world["bram"])
    assert client.post(f"/reacties/{top.id}/verwijderen").status_code == 403
    auth.logout()
    auth.login(world["anna"])
    assert client.post(f"/reacties/{top.id}/verwijderen").status_code == 302
    html = page(client)
    assert "Deze reactie is verwijderd" in html and "Te verwijderen tekst" not in html and "(1 reactie)" in html


def test_useful_toggles_and_shows_the_count(client, auth, world):
    c = comments.post_comment(world["anna"], world["pilot"], "Tip")
    db.session.commit()
    auth.login(world["bram"])
    client.post(f"/reacties/{c.id}/nuttig")
    html = page(client)
    assert re.search(r'aria-pressed="true">Nuttig <span class="useful-count">1</span>', html)
    client.post(f"/reacties/{c.id}/nuttig")
    assert re.search(r'aria-pressed="false">Nuttig <span class="useful-count">0</span>', page(client))


def test_report_hide_and_restore_through_the_queue(client, auth, world):
    c = comments.post_comment(world["anna"], world["pilot"], "Onaardige tekst")
    db.session.commit()
    auth.login(world["bram"])
    assert client.get("/moderatie").status_code == 403
    response = client.post(f"/reacties/{c.id}/melden", data={"reason": ""})
    assert response.status_code == 422 and "Schrijf waarom" in response.get_data(as_text=True)
    assert client.post(f"/reacties/{c.id}/melden", data={"reason": "Beledigend"}).status_code == 302
    assert "U heeft deze reactie gemeld." in page(client)
    again = client.post(f"/reacties/{c.id}/melden", data={"reason": "Nog eens"})
    assert again.status_code == 422 and "al gemeld" in again.get_data(as_text=True)
    auth.logout()
    auth.login(world["staff"])
    queue = client.get("/moderatie").get_data(as_text=True)
    assert "Gemelde reacties (1)" in queue and "Beledigend" in queue and "Onaardige tekst" in queue
    assert 'href="/moderatie"' in queue  # the staff navigation links it
    client.post(f"/moderatie/{c.id}/verbergen", data={"reason": ""})
    assert c.moderation == "gemeld"
    client.post(f"/moderatie/{c.id}/verbergen", data={"reason": "Beledigend voor bewoners"})
    db.session.refresh(c)
    assert c.moderation == "verborgen"
    staff_view = page(client)
    assert "Verborgen door de moderatie: Beledigend voor bewoners" in staff_view
    assert "Onaardige tekst" in staff_view  # moderators still read it
    auth.logout()
    public = page(client)
    assert "Verborgen door de moderatie: Beledigend voor bewoners" in public and "Onaardige tekst" not in public
    auth.login(world["staff"])
    assert client.post(f"/moderatie/{c.id}/terugzetten").status_code == 302
    auth.logout()
    assert "Onaardige tekst" in page(client)


def test_forms_need_a_csrf_token(client, auth, world, app):
    auth.login(world["anna"])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = post(client, "Zonder token")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert db.session.scalar(select(db.func.count()).select_from(Comment)) == 0


def test_comment_writes_are_rate_limited(client, auth, world, monkeypatch, app):
    monkeypatch.setitem(app.config, "RATELIMIT_COMMENTS", "2/minute")
    auth.login(world["anna"])
    assert [post(client, f"Reactie {n}").status_code for n in range(3)] == [302, 302, 429]


def test_mention_autocomplete_needs_login_and_is_bounded(client, auth, world):
    assert client.get("/reacties/namen?q=bram").status_code in (302, 401)
    auth.login(world["anna"])
    items = client.get("/reacties/namen?q=bram").json["items"]
    assert items[0]["label"] == "Bram Apeldoorn" and items[0]["token"] == f"@[Bram Apeldoorn](user:{world['bram'].id})"
    assert client.get("/reacties/namen?q=" + "x" * 10_000).json == {"items": []}


def test_a_mention_notification_opens_the_comment(client, auth, world):
    bram = world["bram"]
    auth.login(world["anna"])
    post(client, f"Vraag aan @[Bram](user:{bram.id})")
    c = db.session.scalars(select(Comment)).one()
    assert f'href="/organisations/GM0200#lid-{bram.id}"' in c.html
    auth.logout()
    auth.login(bram)
    note = db.session.scalars(select(Notification).where(Notification.user_id == bram.id)).one()
    assert note.kind == "comment.mention"
    assert "Anna Amsterdam noemde u in een reactie bij de pilot Slimme lantaarnpalen" in client.get(
        "/notifications"
    ).get_data(as_text=True)
    opened = client.get(f"/notifications/{note.id}")
    assert opened.headers["Location"].endswith(f"/pilots/slimme-lantaarnpalen#reactie-{c.id}")


def test_the_api_lists_comments_with_hidden_ones_without_text(client, world):
    pilot = world["pilot"]
    top = comments.post_comment(world["anna"], pilot, "Openbare **vraag**")
    bad = comments.post_comment(world["bram"], pilot, "Verborgen tekst", top)
    from pilotstarter_web.services import comment_moderation

    comment_moderation.hide(world["staff"], bad, "Reclame")
    comments.toggle_useful(world["bram"], top)
    db.session.commit()
    body = client.get("/api/v1/pilots/slimme-lantaarnpalen/comments").json
    assert (body["total"], body["page"], body["per_page"]) == (2, 1, 50)
    first, second = body["items"]
    assert first["markdown"] == "Openbare **vraag**" and "<strong>vraag</strong>" in first["html"]
    assert first["author"] == "Anna Amsterdam" and first["organisation"]["code"] == "GM0363" and first["useful"] == 1
    assert second["parent_id"] == top.id and second["hidden"] is True and second["hidden_reason"] == "Reclame"
    assert second["markdown"] is None and second["html"] is None
    assert client.get("/api/v1/pilots/bestaat-niet/comments").status_code == 404
    assert client.get("/api/v1/pilots/slimme-lantaarnpalen/comments?per_page=500").status_code == 400
    assert "/pilots/{slug}/comments" in client.get("/api/v1/openapi.json").json["paths"]


def test_a_pilot_is_found_by_a_comment_word_until_the_comment_is_hidden(client, auth, world):
    make_pilot(world["owner"], title="Digitale balie", body="Vragen aan de balie.")
    auth.login(world["anna"])
    post(client, "Hebben jullie ook naar zonnepanelen gekeken?")
    c = db.session.scalars(select(Comment)).one()
    found = client.get("/search?q=zonnepanelen").get_data(as_text=True)
    assert "Slimme lantaarnpalen" in found and "Digitale balie" not in found
    assert "<mark>zonnepanelen</mark>" in found  # the snippet shows why it matched
    auth.logout()
    auth.login(world["staff"])
    client.post(f"/moderatie/{c.id}/verbergen", data={"reason": "Reclame"})
    assert "Slimme lantaarnpalen" not in client.get("/search?q=zonnepanelen").get_data(as_text=True)
    client.post(f"/moderatie/{c.id}/terugzetten")
    assert "Slimme lantaarnpalen" in client.get("/search?q=zonnepanelen").get_data(as_text=True)


def test_a_long_thread_says_how_many_replies_are_not_on_the_page(client, world, monkeypatch):
    monkeypatch.setattr(comments, "REPLIES_SHOWN", 1)
    top = comments.post_comment(world["anna"], world["pilot"], "Vraag")
    for n in range(3):
        comments.post_comment(world["bram"], world["pilot"], f"Antwoord {n}", top)
    db.session.commit()
    html = page(client)
    assert "Antwoord 0" in html and "Antwoord 2" not in html
    assert "Nog 2 latere antwoorden staan niet op deze pagina" in html
    assert 'href="/api/v1/pilots/slimme-lantaarnpalen/comments"' in html
