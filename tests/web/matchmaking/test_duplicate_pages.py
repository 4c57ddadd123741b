"""Duplicates through the pages: the check step before publishing, joining instead, staff-only curation."""

from __future__ import annotations

from sqlalchemy import func, select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Participation, Pilot
from tests.factories import make_pilot, make_user

FUNERAL = "Uitvaartondernemers doen de aangifte van overlijden digitaal via een portaal, zonder loketbezoek."
TITLE = "Digitale overlijdensaangifte door uitvaartondernemers"


def existing():
    return make_pilot(make_user("GM0200"), title=TITLE, body=FUNERAL, summary="Aangifte van overlijden online.")


def twin(**extra):
    """A near-duplicate of existing(), by another municipality."""
    return make_pilot(
        make_user("GM0687"), title="Overlijdensaangifte digitaal door uitvaartondernemers", body=FUNERAL,
        summary="Aangifte van overlijden online.", **extra,
    )  # fmt: skip


def new_pilot_form(**extra) -> dict:
    return {
        "title": "Overlijdensaangifte digitaal door uitvaartondernemers",
        "summary": "Aangifte van overlijden online.",
        "body": FUNERAL + "\n\nMet een eigen tekst van mij.",
        "status": "idee",
        "themes": ["dienstverlening"],
        "action": "save",
        **extra,
    }


def pilot_count() -> int:
    return db.session.scalar(select(func.count(Pilot.id)))


def test_without_javascript_a_likely_duplicate_comes_back_with_the_text_and_nothing_is_created(client, auth):
    main = existing()
    auth.login(make_user("GM0344"))
    response = client.post("/pilots/new", data=new_pilot_form())
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and pilot_count() == 1
    assert "Lijkt op bestaande pilots" in html and "Uw pilot is nog niet gepubliceerd." in html
    panel = html[html.index('id="dubbels"') :]
    assert (
        main.title in panel
        and ("waarschijnlijk dubbel" in panel or "mogelijk dubbel" in panel)
        and "Overeenkomst:" in panel
    )
    assert "Met een eigen tekst van mij." in html  # the body is kept
    assert "Overlijdensaangifte digitaal door uitvaartondernemers" in html
    assert f'formaction="/pilots/{main.slug}/join?bijdrage=1"' in panel
    assert f'name="reviewed" value="{main.slug}"' in panel and "toch publiceren" in panel


def test_confirming_the_check_step_publishes(client, auth):
    main = existing()
    auth.login(make_user("GM0344"))
    response = client.post("/pilots/new", data=new_pilot_form(reviewed=main.slug))
    assert response.status_code == 302 and pilot_count() == 2
    first = db.session.scalar(select(Pilot).where(Pilot.id != main.id))
    # A duplicate not reviewed yet (the pilot just published) still stops the next one.
    again = new_pilot_form(title="Nog een uitvaartportaal", reviewed=["", main.slug])
    response = client.post("/pilots/new", data=again)
    assert response.status_code == 200 and pilot_count() == 2 and first.title in response.get_data(as_text=True)
    # The JavaScript dismissal fills the hidden field with a comma list, next to an empty button value.
    again["reviewed"] = ["", f"{main.slug},{first.slug}"]
    assert client.post("/pilots/new", data=again).status_code == 302 and pilot_count() == 3


def test_a_pilot_without_duplicates_publishes_at_once(client, auth):
    existing()
    auth.login(make_user("GM0344"))
    form = new_pilot_form(title="Slimme lantaarnpalen", summary="Licht dimmen als er niemand is.", body="Sensoren.")
    assert client.post("/pilots/new", data=form).status_code == 302 and pilot_count() == 2


def test_join_instead_makes_the_organisation_a_partner_and_goes_to_that_pilot(client, auth):
    main = existing()
    user = make_user("GM0344")
    auth.login(user)
    response = client.post(f"/pilots/{main.slug}/join", data=new_pilot_form())  # the formaction button
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/pilots/{main.slug}#deelnemers")
    page = client.get(f"/pilots/{main.slug}").get_data(as_text=True)
    assert "doet nu mee aan deze pilot" in page
    part = db.session.scalar(
        select(Participation).where(
            Participation.pilot_id == main.id, Participation.organisation_id == user.organisation_id
        )
    )
    assert part.role == "partner" and pilot_count() == 1


def test_doe_mee_from_the_new_pilot_form_keeps_the_text_as_a_contribution(client, auth):
    """The panel's "Doe mee" joins and offers what was written in the joined pilot's editor: nothing lost,
    nothing saved until the writer saves it."""
    main = existing()
    revisions = main.current_revision.number
    auth.login(make_user("GM0344"))
    response = client.post(f"/pilots/{main.slug}/join?bijdrage=1", data=new_pilot_form())
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Utrecht doet nu mee aan deze pilot." in html
    assert f'action="/pilots/{main.slug}/edit"' in html
    textarea = html[html.index('name="body"') :]
    textarea = textarea[: textarea.index("</textarea>")]
    assert FUNERAL in textarea and "## Bijdrage van Utrecht: Overlijdensaangifte digitaal" in textarea
    assert "Met een eigen tekst van mij." in textarea
    db.session.refresh(main)
    assert main.current_revision.number == revisions and pilot_count() == 1  # joined, nothing saved yet
    form = {
        "title": main.title, "summary": "Aangifte van overlijden online.", "status": "idee",
        "themes": ["dienstverlening"], "base_revision": str(main.current_revision.number),
        "body": FUNERAL + "\n\n## Bijdrage van Utrecht\n\nMet een eigen tekst van mij.\n", "action": "save",
    }  # fmt: skip
    assert client.post(f"/pilots/{main.slug}/edit", data=form).status_code == 302
    assert "Met een eigen tekst van mij." in client.get(f"/pilots/{main.slug}").get_data(as_text=True)


def test_live_panel_endpoint_returns_the_panel_and_a_short_announcement(client, auth):
    main = existing()
    auth.login(make_user("GM0344"))
    data = client.post("/pilots/new/similar", json={"title": TITLE, "summary": "", "body": FUNERAL}).get_json()
    assert data["duplicates"] == [main.slug] and data["count"] >= 1
    assert data["message"].startswith(f"{data['count']} vergelijkbare pilot")
    assert "Doe mee met deze pilot" in data["html"] and "Toch een nieuwe pilot starten" in data["html"]
    assert client.post("/pilots/new/similar", json={"title": "Kort"}).get_json()["count"] == 0  # too little text
    assert client.post("/pilots/new/similar", json={"title": 5}).status_code == 400


def test_not_duplicate_moves_the_pair_to_related_on_both_pages(client, auth):
    main = existing()
    other = twin()
    page = client.get(f"/pilots/{main.slug}").get_data(as_text=True)
    assert "Mogelijk dubbel initiatief" in page
    auth.login(make_user("GM0344"))
    response = client.post(f"/pilots/{main.slug}/not-duplicate", data={"other": other.slug, "reason": "Ander doel"})
    assert response.status_code == 302
    for a, b in ((main, other), (other, main)):
        html = client.get(f"/pilots/{a.slug}").get_data(as_text=True)
        panel = html[html.index('id="vergelijkbaar"') :]
        panel = panel[: panel.index("</section>")]
        assert "Mogelijk dubbel initiatief" not in panel and b.title in panel and "Ander doel" in panel
        items = client.get(f"/api/v1/pilots/{a.slug}/similar").get_json()["items"]
        assert [i["duplicate"] for i in items if i["slug"] == b.slug] == [False]


def test_staff_mark_merge_and_the_duplicate_forwards_with_history_kept(client, auth):
    main = existing()
    dup = twin(partners=["GM0654"])
    staff = make_user("vng", role="vng_staff")
    auth.login(staff)
    assert client.post(f"/pilots/{dup.slug}/duplicate-of", data={"main": main.slug}).status_code == 302
    assert "Deze pilot is een dubbel van" in client.get(f"/pilots/{dup.slug}").get_data(as_text=True)
    assert "Dubbele pilots:" in client.get(f"/pilots/{main.slug}").get_data(as_text=True)
    response = client.post(f"/pilots/{dup.slug}/merge")
    assert response.status_code == 302 and f"/pilots/{main.slug}" in response.headers["Location"]
    forward = client.get(f"/pilots/{dup.slug}")
    assert forward.status_code == 301 and forward.headers["Location"].endswith(f"/pilots/{main.slug}")
    auth.logout()
    assert client.get(f"/pilots/{dup.slug}").status_code == 301  # for everyone
    history = client.get(f"/pilots/{dup.slug}/history").get_data(as_text=True)
    assert "samengevoegd met" in history and main.title in history
    assert client.get(f"/pilots/{dup.slug}/revisions/1").status_code == 200
    main_page = client.get(f"/pilots/{main.slug}").get_data(as_text=True)
    assert "Samengevoegd met deze pilot:" in main_page and "GM0654" in main_page
    assert dup.slug not in client.get("/pilots").get_data(as_text=True)
    api = client.get(f"/api/v1/pilots/{dup.slug}").get_json()
    assert api["duplicate_of"] == main.slug and api["merged"] is True
    assert client.get(f"/api/v1/pilots/{main.slug}").get_json()["merged"] is False


def test_a_member_crafting_the_staff_posts_gets_403(client, auth):
    main = existing()
    dup = twin()
    member = make_user("GM0344")
    auth.login(member)
    assert "dubbel-beheer" not in client.get(f"/pilots/{dup.slug}").get_data(as_text=True)
    assert client.post(f"/pilots/{dup.slug}/duplicate-of", data={"main": main.slug}).status_code == 403
    dup.duplicate_of_id = main.id
    db.session.commit()
    assert client.post(f"/pilots/{dup.slug}/merge").status_code == 403
    assert client.post(f"/pilots/{dup.slug}/duplicate-of/undo").status_code == 403
    client.post(f"/pilots/{dup.slug}/not-duplicate", data={"other": main.slug})  # allowed: members dismiss
    assert client.post(f"/pilots/{dup.slug}/not-duplicate/undo", data={"other": main.slug}).status_code == 403
    db.session.refresh(dup)
    assert dup.merged_at is None and dup.duplicate_of_id == main.id
