"""The write API with a personal token: the done-when journey and each write endpoint over the page services."""

from __future__ import annotations

from sqlalchemy import func, select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent, DuplicateDismissal, Follow, Participation, Pilot, ThemeFollow
from pilotstarter_web.services.pilots import PilotText, edit_pilot
from tests.factories import make_pilot, make_user
from tests.web.api_token_helpers import TokenClient, new_token

BODY = "## Aanleiding\n\nRegel een.\n\n## Aanpak\n\nRegel twee.\n"
NEW_PILOT = {
    "title": "Slimme lantaarnpalen",
    "summary": "Lantaarnpalen die dimmen als er niemand is.",
    "body": BODY,
    "themes": ["data"],
    "tags": ["licht"],
    "status": "idee",
}


def no_cookie(response) -> None:
    assert "Set-Cookie" not in response.headers, response.headers.get("Set-Cookie")


def test_a_token_client_creates_edits_resolves_a_conflict_and_joins_another_pilot(app):
    """The done-when journey: only the Bearer header, never a session."""
    me = make_user("GM0344", name="Ans Utrecht")
    api = TokenClient(app, new_token(me, "write"))

    created = api.post("/api/v1/pilots", json=NEW_PILOT, headers={"Idempotency-Key": "lantaarn-1"})
    assert created.status_code == 201, created.get_json()
    no_cookie(created)
    slug = created.get_json()["slug"]
    assert created.headers["Location"] == f"http://localhost/api/v1/pilots/{slug}"
    assert created.get_json()["revision"] == 1 and created.get_json()["owner"]["code"] == "GM0344"
    again = api.post("/api/v1/pilots", json=NEW_PILOT, headers={"Idempotency-Key": "lantaarn-1"})
    assert again.status_code == 201 and again.get_json()["slug"] == slug
    assert db.session.scalar(select(func.count()).select_from(Pilot)) == 1  # the retry made no second pilot

    edited = api.put(f"/api/v1/pilots/{slug}", json={"base_revision": 1, "summary": "Dimmen als niemand er is."})
    assert edited.status_code == 200, edited.get_json()
    assert edited.get_json()["saved"] is True and edited.get_json()["auto_merged"] is False
    assert edited.get_json()["pilot"]["revision"] == 2
    assert edited.get_json()["pilot"]["body_markdown"] == BODY  # fields left out keep the base's value

    pilot = db.session.scalar(select(Pilot).where(Pilot.slug == slug))
    other = make_user("GM0363", name="Bob Amsterdam")
    theirs = BODY.replace("Regel twee.", "Regel twee, door de ander.")
    edit_pilot(other, pilot, PilotText(pilot.title, pilot.summary, theirs, ["data"], ["licht"], "idee"), 2)
    db.session.commit()

    mine = BODY.replace("Regel een.", "Regel een, beter.").replace("Regel twee.", "Regel twee, door mij.")
    conflict = api.patch(f"/api/v1/pilots/{slug}", json={"base_revision": 2, "body": mine})
    assert conflict.status_code == 409
    assert conflict.mimetype == "application/problem+json"
    problem = conflict.get_json()
    assert problem["current_revision"] == 3 and problem["base_revision"] == 2
    segments = problem["merged_text"]["segments"]
    assert problem["merged_text"]["conflicts"] == 1
    assert {"yours": "Regel twee, door mij.\n", "theirs": "Regel twee, door de ander.\n", "base": "Regel twee.\n"} in (
        segments
    )
    assert any("Regel een, beter." in s.get("agreed", "") for s in segments)  # the other change merged cleanly
    assert db.session.scalar(select(func.count()).select_from(Pilot)) == 1

    resolved = "".join(s["agreed"] if "agreed" in s else s["yours"] + s["theirs"] for s in segments)
    saved = api.put(f"/api/v1/pilots/{slug}", json={"base_revision": problem["current_revision"], "body": resolved})
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["pilot"]["revision"] == 4
    assert saved.get_json()["pilot"]["body_markdown"] == resolved
    assert "Regel twee, door de ander." in resolved and "Regel een, beter." in resolved

    elsewhere = make_pilot(other, title="Slimme bruggen")
    joined = api.post(f"/api/v1/pilots/{elsewhere.slug}/participation", json={"role": "partner"})
    assert joined.status_code == 200, joined.get_json()
    assert joined.get_json() == {"pilot": elsewhere.slug, "organisation": "GM0344", "role": "partner"}
    part = db.session.scalar(
        select(Participation).where(Participation.pilot_id == elsewhere.id, Participation.role == "partner")
    )
    assert part.organisation.code == "GM0344" and part.created_by_id == me.id  # own member's doing: consent
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "pilot.joined")).actor_id == me.id


def test_an_edit_on_a_stale_base_that_does_not_overlap_is_merged_and_says_so(app):
    me = make_user()
    pilot = make_pilot(me, body=BODY)
    edit_pilot(make_user(), pilot, PilotText(pilot.title, pilot.summary, BODY + "\nNog meer.\n", ["data"]), 1)
    db.session.commit()
    api = TokenClient(app, new_token(me))
    saved = api.put(f"/api/v1/pilots/{pilot.slug}", json={"base_revision": 1, "body": "Bovenaan.\n" + BODY})
    assert saved.status_code == 200
    assert saved.get_json()["auto_merged"] is True
    assert saved.get_json()["pilot"]["body_markdown"] == "Bovenaan.\n" + BODY + "\nNog meer.\n"


def test_edit_needs_a_base_revision_and_answers_field_errors(app):
    me = make_user()
    pilot = make_pilot(me)
    api = TokenClient(app, new_token(me))
    missing = api.put(f"/api/v1/pilots/{pilot.slug}", json={"title": "Nieuw"})
    assert missing.status_code == 422 and "base_revision" in missing.get_json()["errors"]
    bad = api.put(f"/api/v1/pilots/{pilot.slug}", json={"base_revision": 1, "status": "klaar", "tags": ["x"] * 5})
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) == {"status"}
    wrong_type = api.put(f"/api/v1/pilots/{pilot.slug}", json={"base_revision": "1"})
    assert wrong_type.status_code == 400 and wrong_type.get_json()["field"] == "base_revision"
    too_many = api.post("/api/v1/pilots", json={**NEW_PILOT, "tags": ["t"] * 101})
    assert too_many.status_code == 400 and too_many.get_json()["field"] == "tags"


def test_create_refuses_an_unknown_partner_and_invites_known_ones(app):
    api = TokenClient(app, new_token(make_user()))
    unknown = api.post("/api/v1/pilots", json={**NEW_PILOT, "partners": ["GM9999"]})
    assert unknown.status_code == 422 and list(unknown.get_json()["errors"]) == ["partners.0"]
    created = api.post("/api/v1/pilots", json={**NEW_PILOT, "partners": ["GM0363"]})
    assert created.status_code == 201
    assert [p["code"] for p in created.get_json()["participants"]] == ["GM0344"]  # invited, not listed: consent


def test_create_a_best_practice_or_a_challenge_with_their_own_statuses(app):
    api = TokenClient(app, new_token(make_user()))
    fields = {k: NEW_PILOT[k] for k in ("title", "summary", "body")}
    challenge = api.post("/api/v1/pilots", json={**fields, "type": "challenge"})
    assert challenge.status_code == 201 and challenge.get_json()["type"] == "challenge"
    assert challenge.get_json()["status"] == "open"  # a challenge's first status, not a pilot's "idee"
    wrong = api.post("/api/v1/pilots", json={**fields, "title": "Goede praktijk", "type": "best_practice",
                                             "status": "lopend"})  # fmt: skip
    assert wrong.status_code == 422 and "status" in wrong.get_json()["errors"]
    unknown = api.post("/api/v1/pilots", json={**fields, "title": "Iets anders", "type": "wens"})
    assert unknown.status_code == 422 and "entry_type" in unknown.get_json()["errors"]
    slug = challenge.get_json()["slug"]
    edited = api.patch(f"/api/v1/pilots/{slug}", json={"base_revision": 1, "type": "pilot", "status": "opgelost"})
    assert edited.status_code == 200 and edited.get_json()["pilot"]["type"] == "challenge"  # the type stays


def test_leaving_following_and_the_initiator_rule(app):
    me = make_user("GM0344")
    own = make_pilot(me)
    theirs = make_pilot(make_user("GM0363"))
    api = TokenClient(app, new_token(me))
    refused = api.post(f"/api/v1/pilots/{own.slug}/participation")
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"  # the initiator
    assert api.post(f"/api/v1/pilots/{theirs.slug}/participation", json={"organisation": "GM0363"}).status_code == 422
    assert api.post(f"/api/v1/pilots/{theirs.slug}/participation", json={"role": "interested"}).get_json()["role"] == (
        "interested"
    )
    left = api.delete(f"/api/v1/pilots/{theirs.slug}/participation")
    assert left.status_code == 200 and left.get_json()["left"] == "interested"

    assert api.post(f"/api/v1/pilots/{theirs.slug}/follow").get_json() == {"following": True, "changed": True}
    assert api.post(f"/api/v1/pilots/{theirs.slug}/follow").get_json() == {"following": True, "changed": False}
    assert db.session.scalar(select(func.count()).select_from(Follow)) == 1
    assert api.delete(f"/api/v1/pilots/{theirs.slug}/follow").get_json() == {"following": False, "changed": True}
    assert api.post("/api/v1/themes/data/follow").status_code == 200
    assert db.session.scalar(select(ThemeFollow.theme)) == "data"
    assert api.post("/api/v1/themes/geen-thema/follow").status_code == 404
    assert api.post("/api/v1/organisations/GM0363/follow").get_json()["changed"] is True
    assert api.delete("/api/v1/organisations/GM0363/follow").get_json()["changed"] is True


def test_comments_replies_and_not_duplicate(app):
    me = make_user()
    pilot, other = make_pilot(me, title="Eerste"), make_pilot(make_user("GM0363"), title="Tweede")
    api = TokenClient(app, new_token(me))
    posted = api.post(f"/api/v1/pilots/{pilot.slug}/comments", json={"body": "Goed **idee** <script>x</script>"})
    assert posted.status_code == 201
    assert "<strong>idee</strong>" in posted.get_json()["html"] and "<script" not in posted.get_json()["html"]
    reply = api.post(f"/api/v1/pilots/{pilot.slug}/comments", json={"body": "Eens", "parent": posted.get_json()["id"]})
    assert reply.status_code == 201 and reply.get_json()["parent_id"] == posted.get_json()["id"]
    assert api.post(f"/api/v1/pilots/{pilot.slug}/comments", json={"body": "x", "parent": 99999}).status_code == 422
    assert api.post(f"/api/v1/pilots/{pilot.slug}/comments", json={"body": "  "}).status_code == 422

    marked = api.post(f"/api/v1/pilots/{pilot.slug}/not-duplicate", json={"other": other.slug, "reason": "Ander doel"})
    assert marked.status_code == 200 and marked.get_json()["duplicate"] is False
    assert db.session.scalar(select(DuplicateDismissal.reason)) == "Ander doel"
    assert api.post(f"/api/v1/pilots/{pilot.slug}/not-duplicate", json={"other": pilot.slug}).status_code == 422
    assert api.post(f"/api/v1/pilots/{pilot.slug}/not-duplicate", json={"other": "nee"}).status_code == 422


def test_me_says_who_and_what_the_token_may_do(app):
    me = make_user(name="Ans")
    body = TokenClient(app, new_token(me, "read")).get("/api/v1/me").get_json()
    assert body["name"] == "Ans" and body["authenticated_by"] == "token" and body["scopes"] == ["read"]
    assert body["token"]["prefix"].startswith("pst_")
    anonymous = app.test_client().get("/api/v1/me")
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_unverified_account_may_hold_a_token_but_not_write(app):
    api = TokenClient(app, new_token(make_user(verified=False)))
    refused = api.post("/api/v1/pilots", json=NEW_PILOT)
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"


def test_session_writes_stay_json_only(app, client, auth):
    """The JSON API is CSRF-exempt: a browser session writes only with a JSON body, which a form cannot send."""
    pilot = make_pilot(make_user("GM0363"))
    auth.login(make_user())
    assert client.post(f"/api/v1/pilots/{pilot.slug}/follow", data={"x": "1"}).status_code == 415
    assert client.post(f"/api/v1/pilots/{pilot.slug}/follow", json={}).status_code == 200
    assert client.delete(f"/api/v1/pilots/{pilot.slug}/follow").status_code == 200
