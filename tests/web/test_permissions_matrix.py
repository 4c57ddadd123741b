"""Every route for anonymous, unverified, member, other organisation, VNG staff and admin."""

import pytest

from pilotstarter_web.extensions import db
from tests.factories import make_pilot, make_user

PERSONAS = ["anonymous", "unverified", "owner_org", "other_org", "vng_staff", "admin"]


@pytest.fixture
def world(client, auth):
    owner = make_user("GM0599", email="owner@example.nl")
    pilot = make_pilot(owner, title="Matrix pilot", body="## Een\n\nTekst.\n")
    from pilotstarter_web.services.pilots import PilotText, edit_pilot

    edit_pilot(owner, pilot, PilotText("Matrix pilot", "", "## Een\n\nTekst twee.\n", ["data"]), 1)
    db.session.commit()
    pending = make_user("GM0014", verified=False, email="pending@example.nl")
    users = {
        "unverified": make_user("GM0344", verified=False),
        "owner_org": make_user("GM0599"),
        "other_org": make_user("GM0363"),
        "vng_staff": make_user("vng", role="vng_staff"),
        "admin": make_user("vng", role="admin"),
    }

    def login_as(persona):
        if persona != "anonymous":
            assert auth.login(users[persona]).status_code == 302

    return {"pilot": pilot, "pending": pending, "login_as": login_as}


READ_PAGES = [
    "/",
    "/pilots",
    "/pilots/matrix-pilot",
    "/pilots/matrix-pilot/history",
    "/pilots/matrix-pilot/diff?from=1&to=2",
    "/pilots/matrix-pilot/revisions/1",
    "/organisations",
    "/organisations/GM0599",
    "/markdown-hulp",
    "/api/v1/pilots",
    "/api/v1/pilots/matrix-pilot",
    "/api/v1/organisations",
    "/api/v1/organisations/GM0599",
    "/api/v1/openapi.json",
    "/statistieken",
    "/api/v1/statistics",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_reads_everything(client, world, persona):
    world["login_as"](persona)
    for url in READ_PAGES:
        assert client.get(url).status_code == 200, url


# (method, url, expected status per persona)
WRITE_ROUTES = [
    (
        "get",
        "/pilots/new",
        {"anonymous": 302, "unverified": 403, "owner_org": 200, "other_org": 200, "vng_staff": 200, "admin": 200},
    ),
    (
        "get",
        "/pilots/matrix-pilot/edit",
        {"anonymous": 302, "unverified": 403, "owner_org": 200, "other_org": 200, "vng_staff": 200, "admin": 200},
    ),
    (
        "post",
        "/pilots/matrix-pilot/join",
        {"anonymous": 302, "unverified": 403, "owner_org": 302, "other_org": 302, "vng_staff": 302, "admin": 302},
    ),
    (
        "post",
        "/pilots/matrix-pilot/revisions/1/revert",
        {"anonymous": 302, "unverified": 403, "owner_org": 302, "other_org": 302, "vng_staff": 302, "admin": 302},
    ),
    (
        "post",
        "/pilots/matrix-pilot/delete",
        {"anonymous": 302, "unverified": 403, "owner_org": 302, "other_org": 403, "vng_staff": 403, "admin": 302},
    ),
    (
        "get",
        "/admin/accounts",
        {"anonymous": 302, "unverified": 403, "owner_org": 403, "other_org": 403, "vng_staff": 200, "admin": 200},
    ),
    (
        "get",
        "/account/profile",
        {"anonymous": 302, "unverified": 200, "owner_org": 200, "other_org": 200, "vng_staff": 200, "admin": 200},
    ),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method,url,expected", WRITE_ROUTES, ids=[f"{m} {u}" for m, u, _ in WRITE_ROUTES])
def test_write_routes_enforce_roles(client, world, persona, method, url, expected):
    world["login_as"](persona)
    response = getattr(client, method)(url)
    assert response.status_code == expected[persona], response.data[:500]
    if expected[persona] == 302 and persona == "anonymous":
        assert "/account/login" in response.headers["Location"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_verifying_accounts_needs_staff(client, world, persona):
    world["login_as"](persona)
    response = client.post(f"/admin/accounts/{world['pending'].id}/verify")
    allowed = persona in ("vng_staff", "admin")
    assert response.status_code == (302 if allowed or persona == "anonymous" else 403)
    db.session.expire_all()
    assert world["pending"].verified is allowed
