"""The /oproepen pages and /api/v1/calls: who may open which page (anonymous, member, other organisation,
committee, staff), what the public and the API see before and after publication, and the forms' errors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pilotstarter_web.extensions import db
from pilotstarter_web.services import call_admin, call_proposals, call_scoring, call_submissions, challenges
from pilotstarter_web.services.pilots import PilotText
from tests.call_world import make_world, score_all, submitted
from tests.factories import make_pilot, make_user


@pytest.fixture
def scored():
    """A closed call with one submitted challenge that one committee member scored."""
    world = make_world()
    submission = submitted(world)
    challenges.close_call(world.staff, world.call)
    score_all(world.judges[0], submission, [4, 2])
    db.session.commit()
    return world, submission


def statuses(client, auth, user, paths) -> dict[str, int]:
    """One login per user (the login rate limit counts every attempt)."""
    if user is not None:
        auth.login(user)
    found = {path: client.get(path).status_code for path in paths}
    if user is not None:
        auth.logout()
    return found


def test_permissions_matrix(client, auth, scored):
    world, submission = scored
    slug, sid = world.call.slug, submission.id
    who = {
        "anonymous": None, "member": world.lead, "other": world.other, "committee": world.judges[0],
        "conflicted": world.conflicted, "staff": world.staff,
    }  # fmt: skip
    expected = {
        "/oproepen": dict.fromkeys(who, 200),
        f"/oproepen/{slug}": dict.fromkeys(who, 200),
        f"/oproepen/inzendingen/{sid}": dict.fromkeys(who, 200),
        "/oproepen/nieuw": {**dict.fromkeys(who, 403), "anonymous": 302, "staff": 200},
        f"/oproepen/{slug}/bewerken": {**dict.fromkeys(who, 403), "anonymous": 302, "staff": 200},
        f"/oproepen/{slug}/commissie": {**dict.fromkeys(who, 403), "anonymous": 302, "staff": 200},
        f"/oproepen/{slug}/selectie": {**dict.fromkeys(who, 403), "anonymous": 302, "staff": 200},
        f"/oproepen/inzendingen/{sid}/beoordelen": {
            **dict.fromkeys(who, 403),
            "anonymous": 302,
            "committee": 200,
        },
    }
    by_user = {name: statuses(client, auth, user, expected) for name, user in who.items()}
    assert {path: {name: by_user[name][path] for name in who} for path in expected} == expected


def test_scores_are_not_on_any_public_page_or_in_the_api_before_publication(client, auth, scored):
    world, submission = scored
    pages = [f"/oproepen/{world.call.slug}", f"/oproepen/inzendingen/{submission.id}", f"/api/v1/calls/{world.call.id}"]
    for user in (None, world.lead, world.judges[1]):
        if user is not None:
            auth.login(user)
        for path in pages:
            body = client.get(path).get_data(as_text=True)
            assert "Motivering 4" not in body and "Rangorde en besluit" not in body, (user, path)
        if user is not None:
            auth.logout()
    assert client.get(f"/api/v1/calls/{world.call.slug}").get_json()["ranking"] == []
    auth.login(world.judges[1])  # a member who has not scored yet sees no one else's scores
    assert "Motivering 4" not in client.get(f"/oproepen/inzendingen/{submission.id}/beoordelen").get_data(as_text=True)
    auth.logout()
    auth.login(world.staff)
    assert "Motivering 4" in client.get(f"/oproepen/{world.call.slug}/selectie").get_data(as_text=True)


def test_the_published_page_and_api_show_ranking_reasons_and_the_accepted_proposal(client, auth, scored):
    world, submission = scored
    auth.login(world.staff)
    response = client.post(f"/oproepen/{world.call.slug}/selectie", data={f"selected_{submission.id}": "1"})
    assert response.status_code == 422 and "Geef de reden" in response.get_data(as_text=True)
    response = client.post(
        f"/oproepen/{world.call.slug}/selectie",
        data={f"selected_{submission.id}": "1", f"reason_{submission.id}": "Breed toepasbaar bij alle gemeenten."},
    )
    assert response.status_code == 302
    auth.logout()
    proposal = call_proposals.submit_proposal(world.supplier, submission, "Wachtrij-app", "Een **app**.", "30000")
    call_proposals.accept(world.lead, proposal, "Snel in te voeren.")
    db.session.commit()
    page = client.get(f"/oproepen/{world.call.slug}").get_data(as_text=True)
    assert "Breed toepasbaar bij alle gemeenten." in page and "Wachtrij-app" in page and "Snel in te voeren." in page
    assert "Motivering 4" not in page  # individual scores stay private
    data = client.get(f"/api/v1/calls/{world.call.slug}").get_json()
    assert data["ranking"][0]["score"] == pytest.approx(3.5)  # (3*4 + 1*2) / 4
    assert data["ranking"][0]["accepted_proposal"]["title"] == "Wachtrij-app"
    assert [c["normalised_weight"] for c in data["criteria"]] == [0.75, 0.25]
    listing = client.get("/api/v1/calls").get_json()
    assert [c["slug"] for c in listing["items"]] == [world.call.slug] and listing["items"][0]["submissions"] == 1


def test_the_api_answers_404_problems_for_unknown_and_concept_calls(client):
    staff = make_user("vng", role="vng_staff")
    call = call_admin.create_call(
        staff, call_admin.CallData("Concept", opens_on=date.today(), closes_on=date.today() + timedelta(days=1))
    )
    db.session.commit()
    for path in ("/api/v1/calls/bestaat-niet", f"/api/v1/calls/{call.id}"):
        response = client.get(path)
        assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert client.get("/api/v1/calls").get_json()["items"] == []
    assert "/calls/{key}" in client.get("/api/v1/openapi.json").get_json()["paths"]


def test_staff_create_a_call_through_the_form_with_clear_errors(client, auth):
    staff = make_user("vng", role="vng_staff")
    auth.login(staff)
    page = client.get("/oproepen/nieuw").get_data(as_text=True)
    assert "Onderscheidend vermogen: 1" in page
    bad = client.post("/oproepen/nieuw", data={"title": "X", "opens_on": "gisteren", "criteria": "Missie: 1"})
    assert bad.status_code == 422 and "sluitingsdatum" in bad.get_data(as_text=True)
    bad = client.post(
        "/oproepen/nieuw",
        data={
            "title": "X",
            "opens_on": "2027-01-01",
            "closes_on": "2027-02-01",
            "min_cofunding": "20",
            "criteria": "Missie: -1",
        },
    )
    assert bad.status_code == 422 and "gewicht" in bad.get_data(as_text=True)
    good = client.post(
        "/oproepen/nieuw",
        data={
            "title": "Oproep datagedreven werken", "description": "Zie **hieronder**.<script>alert(1)</script>",
            "opens_on": "2027-01-01",
            "closes_on": "2027-03-01", "min_cofunding": "25", "budget": "250.000", "criteria": "Missie: 2\nEffectiviteit: 1",
        },
    )  # fmt: skip
    assert good.status_code == 302
    call = challenges.get_call("oproep-datagedreven-werken", staff)
    assert (call.min_cofunding, call.budget, call.state) == (25, 250_000, "concept")
    shown = client.get(good.headers["Location"]).get_data(as_text=True)
    assert "<strong>hieronder</strong>" in shown and "<script>alert" not in shown  # the sanitizing renderer
    too_long = client.post(
        "/oproepen/nieuw",
        data={"title": "Y", "description": "x" * 60_000, "opens_on": "2027-01-01", "closes_on": "2027-02-01",
              "min_cofunding": "20", "criteria": "Missie", "budget": "veel"},
    )  # fmt: skip
    assert too_long.status_code == 422


FUNERAL = "Uitvaartondernemers doen de aangifte van overlijden digitaal via een portaal, zonder loketbezoek."


def test_the_lead_sees_governments_with_similar_pilots_as_co_submitters_with_reasons(client, auth):
    world = make_world()
    make_pilot(make_user("GM0687"), title="Uitvaartportaal voor gemeenten", body=FUNERAL)
    make_pilot(make_user("datalab-noord"), title="Uitvaartportaal als dienst", body=FUNERAL)  # a supplier: never
    submission = call_submissions.start_submission(
        world.lead, world.call, 10, text=PilotText("Overlijden digitaal aangeven", "Zonder loket.", FUNERAL)
    )
    db.session.commit()
    suggestions = call_submissions.suggested_co_submitters(submission)
    assert [s.organisation.code for s in suggestions] == ["GM0687"] and suggestions[0].reasons
    auth.login(world.lead)
    page = client.get(f"/oproepen/inzendingen/{submission.id}").get_data(as_text=True)
    assert "Voorgestelde medeindieners" in page and suggestions[0].reasons[0] in page
    response = client.post(f"/oproepen/inzendingen/{submission.id}/uitnodigen", data={"organisation": "GM0687"})
    assert response.status_code == 302 and call_submissions.suggested_co_submitters(submission) == []
    bad = client.post(f"/oproepen/inzendingen/{submission.id}/uitnodigen", data={"organisation": "datalab-noord"})
    assert bad.status_code == 422 and "leveranciers tellen niet" in bad.get_data(as_text=True)


def test_nav_links_the_calls(client):
    assert 'href="/oproepen"' in client.get("/oproepen").get_data(as_text=True)


def test_mail_settings_name_the_call_kinds():
    from pilotstarter_web.services.notifications import kind_label

    assert kind_label("call.invited") == "Uw organisatie wordt gevraagd een challenge mee in te dienen"
    assert call_scoring.SCALE == (1, 5)


def test_staff_correct_a_published_decision_only_with_a_reason(client, auth, scored):
    world, submission = scored
    call_scoring.publish(world.staff, world.call, {submission.id: (True, "Sterk.")})
    db.session.commit()
    auth.login(world.staff)
    page = client.get(f"/oproepen/{world.call.slug}/selectie").get_data(as_text=True)
    assert "Selectie publiceren" not in page and "Toch niet selecteren" in page
    url = f"/oproepen/{world.call.slug}/selectie/{submission.id}/corrigeren"
    assert client.post(url, data={"selected": "0", "reason": ""}).status_code == 302
    db.session.refresh(submission)
    assert submission.state == "open_voor_voorstellen"
    assert client.post(url, data={"selected": "0", "reason": "Dubbel met een landelijk project."}).status_code == 302
    db.session.refresh(submission)
    assert submission.state == "niet_geselecteerd"
    auth.logout()
    public = client.get(f"/oproepen/{world.call.slug}").get_data(as_text=True)
    assert "Dubbel met een landelijk project." in public and "Selectie gecorrigeerd" in public
    auth.login(world.lead)
    assert client.post(url, data={"selected": "1", "reason": "Graag"}).status_code == 403
