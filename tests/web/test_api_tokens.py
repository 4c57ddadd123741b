"""Personal API tokens: the account page, Bearer authentication on /api/v1, scopes, revocation, audit, limits."""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from pilotstarter_web import create_app
from pilotstarter_web.extensions import db
from pilotstarter_web.models import ApiToken, AuditEvent, utcnow
from pilotstarter_web.services import api_tokens
from pilotstarter_web.services.errors import InvalidInput
from tests.factories import make_pilot, make_user
from tests.web.api_token_helpers import TokenClient, new_token


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def the_row(token: str) -> ApiToken:
    db.session.expire_all()
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hashlib.sha256(token.encode()).hexdigest()))


def test_a_read_token_reads_but_cannot_write(app):
    pilot = make_pilot()
    api = TokenClient(app, new_token(make_user(), "read"))
    assert api.get(f"/api/v1/pilots/{pilot.slug}").status_code == 200
    refused = api.post(f"/api/v1/pilots/{pilot.slug}/follow")
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    assert 'error="insufficient_scope"' in refused.headers["WWW-Authenticate"]
    assert "alleen lezen" in refused.get_json()["detail"]
    assert len(events("api_token.insufficient_scope")) == 1
    assert api.post("/api/v1/notifications/read", json={}).status_code == 403  # the older write endpoint too


@pytest.mark.parametrize("how", ["revoked", "expired", "blocked", "unknown"])
def test_a_token_that_no_longer_works_is_refused_with_401_and_audited(app, how):
    user = make_user()
    token = new_token(user, "write")
    row = the_row(token)
    if how == "revoked":
        api_tokens.revoke_token(user, row.id)
    elif how == "expired":
        row.expires_at = utcnow() - timedelta(seconds=1)
    elif how == "blocked":
        user.active = False
    else:
        token = token[:-2] + "xx"
    db.session.commit()
    refused = TokenClient(app, token).get("/api/v1/pilots")  # even a read: a bad token is never anonymous
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    assert refused.headers["WWW-Authenticate"] == 'Bearer realm="pilotstarter", error="invalid_token"'
    (event,) = events("api_token.rejected")
    assert event.data["reason"] == how
    assert token not in str(event.data)


def test_a_write_without_a_token_is_401_with_a_bearer_challenge(app, client):
    pilot = make_pilot()
    refused = client.post("/api/v1/pilots", json={"title": "x"})
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.post(f"/api/v1/pilots/{pilot.slug}/follow", headers={"Authorization": "Bearer nee"}).status_code == (
        401
    )


def test_only_the_hash_is_stored_and_the_token_is_never_logged(app, client, auth, caplog):
    caplog.set_level(logging.DEBUG)
    user = make_user()
    auth.login(user)
    page = client.post("/account/tokens", data={"name": "Zaaksysteem", "scope": "write", "expires": "90"})
    token = re.search(r"pst_[\w-]{40,}", page.get_data(as_text=True)).group(0)
    TokenClient(app, token).get("/api/v1/me")
    row = the_row(token)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.prefix == token[:10] and row.name == "Zaaksysteem" and row.scopes == ["read", "write"]
    stored = [str(v) for v in db.session.execute(select(ApiToken.__table__)).one()]
    stored += [str(e.data) for e in db.session.scalars(select(AuditEvent))]
    assert not any(token in value for value in stored)
    assert token not in caplog.text
    assert [e.object_id for e in events("api_token.created")] == [str(row.id)]


def test_last_used_is_written_at_most_once_a_minute(app):
    token = new_token(make_user())
    api = TokenClient(app, token)
    assert the_row(token).last_used_at is None
    api.get("/api/v1/me")
    first = the_row(token).last_used_at
    assert first is not None
    api.get("/api/v1/me")
    assert the_row(token).last_used_at == first  # within the minute: no write
    row = the_row(token)
    row.last_used_at = first - timedelta(minutes=2)
    db.session.commit()
    api.get("/api/v1/me")
    assert the_row(token).last_used_at > first - timedelta(minutes=2)


def test_a_token_logs_in_its_own_api_request_only(app):
    api = TokenClient(app, new_token(make_user()))
    response = api.get("/api/v1/me")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    page = api.get("/account/profile")  # pages never accept tokens
    assert page.status_code == 302 and "/account/login" in page.headers["Location"]


def test_at_most_ten_live_tokens_per_account(app):
    user = make_user()
    for _ in range(api_tokens.MAX_TOKENS):
        new_token(user)
    with pytest.raises(InvalidInput):
        api_tokens.create_token(user, "elfde", "read", None)
    db.session.rollback()
    api_tokens.revoke_token(user, api_tokens.live_tokens(user)[0].id)
    assert api_tokens.create_token(user, "elfde", "read", 30)[1].startswith("pst_")


@pytest.fixture
def small_limits(app, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_API_READ", "3/minute")
    monkeypatch.setitem(app.config, "RATELIMIT_API_WRITE", "2/minute")


def test_reads_and_writes_are_limited_per_token_with_retry_after(app, small_limits):
    user = make_user()
    pilot = make_pilot(make_user("GM0363"))
    first, second = TokenClient(app, new_token(user)), TokenClient(app, new_token(user))
    assert [first.get("/api/v1/pilots").status_code for _ in range(3)] == [200, 200, 200]
    refused = first.get("/api/v1/pilots")
    assert refused.status_code == 429 and refused.mimetype == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    assert second.get("/api/v1/pilots").status_code == 200  # another token of the same person counts apart
    assert app.test_client().get("/api/v1/pilots").status_code == 200  # anonymous reads stay unlimited
    writes = [second.post(f"/api/v1/pilots/{pilot.slug}/follow").status_code for _ in range(2)]
    assert writes == [200, 200]
    assert second.delete(f"/api/v1/pilots/{pilot.slug}/follow").status_code == 429  # one limit for all writes


def test_a_token_limit_holds_across_two_app_instances_on_one_database(app, small_limits, tmp_path):
    token = new_token(make_user())
    other = create_app({**app.config, "DATA_DIR": str(tmp_path)})
    assert [TokenClient(app, token).get("/api/v1/me").status_code for _ in range(2)] == [200, 200]
    with other.app_context():
        assert TokenClient(other, token).get("/api/v1/me").status_code == 200
        assert TokenClient(other, token).get("/api/v1/me").status_code == 429
        db.session.remove()  # the token look-up's connection, before the pool closes
        db.engine.dispose()
    assert TokenClient(app, token).get("/api/v1/me").status_code == 429


def test_the_tokens_page_creates_shows_once_and_revokes(app, client, auth):
    user = make_user()
    auth.login(user)
    page = client.get("/account/tokens")
    assert page.status_code == 200 and "U heeft nog geen tokens." in page.get_data(as_text=True)
    assert "/account/tokens" in client.get("/account/profile").get_data(as_text=True)
    made = client.post("/account/tokens", data={"name": "Rapportage", "scope": "read", "expires": ""})
    html = made.get_data(as_text=True)
    token = re.search(r"pst_[\w-]{40,}", html).group(0)
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    assert "U ziet het maar één keer" in html
    listed = client.get("/account/tokens").get_data(as_text=True)
    assert token not in listed and token[:10] in listed and "Rapportage" in listed and "Alleen lezen" in listed
    assert TokenClient(app, token).get("/api/v1/me").status_code == 200

    row = the_row(token)
    confirm = client.get(f"/account/tokens/{row.id}/revoke")
    assert confirm.status_code == 200 and "Ja, token intrekken" in confirm.get_data(as_text=True)
    done = client.post(f"/account/tokens/{row.id}/revoke", follow_redirects=True)
    assert "is ingetrokken" in done.get_data(as_text=True) and "Rapportage" in done.get_data(as_text=True)
    assert TokenClient(app, token).get("/api/v1/me").status_code == 401
    assert len(events("api_token.revoked")) == 1
    assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 404  # once


def test_the_tokens_page_explains_mistakes_and_never_revokes_anothers_token(app, client, auth):
    someone_else = new_token(make_user())
    auth.login(make_user())
    empty = client.post("/account/tokens", data={"name": "", "scope": "write", "expires": "90"})
    assert empty.status_code == 422 and "Dit veld is verplicht." in empty.get_data(as_text=True)
    assert client.post("/account/tokens", data={"name": "x", "scope": "admin", "expires": "90"}).status_code == 422
    assert client.post(f"/account/tokens/{the_row(someone_else).id}/revoke").status_code == 404
    assert TokenClient(app, someone_else).get("/api/v1/me").status_code == 200


def test_token_events_read_as_sentences_in_the_audit_log(app, client, auth):
    owner = make_user(name="Ans Koppeling")
    token = new_token(owner, "read")
    TokenClient(app, token).post("/api/v1/themes/data/follow")
    TokenClient(app, "pst_onbekend").get("/api/v1/me")
    api_tokens.revoke_token(owner, the_row(token).id)
    db.session.commit()
    auth.login(make_user("vng", role="vng_staff"))
    page = client.get("/portfolio/audit").get_data(as_text=True)
    assert "Ans Koppeling" in page and "maakte een API-token" in page and "trok een API-token in" in page
    assert "probeerde te schrijven met een API-token dat alleen mag lezen" in page
    assert "Een onbekend API-token werd geweigerd" in page


def test_refused_tokens_are_limited_per_address_before_they_fill_the_audit_log(app, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_API_REJECTED", "2/minute")
    guesses = [TokenClient(app, f"pst_gok{n}").get("/api/v1/pilots") for n in range(3)]
    assert [r.status_code for r in guesses] == [401, 401, 429]
    assert guesses[2].mimetype == "application/problem+json" and 1 <= int(guesses[2].headers["Retry-After"]) <= 61
    assert len(events("api_token.rejected")) == 2
