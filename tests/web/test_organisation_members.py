"""Organisation pages show verified members only; names newcomers type are checked and stay hidden until
VNG verifies one of the organisation's members."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Organisation
from pilotstarter_web.services.accounts import user_by_email
from tests.factories import make_user
from tests.web.account_helpers import register


def test_the_public_page_lists_only_verified_active_members(client):
    make_user("GM0344", name="Geverifieerd Lid")
    make_user("GM0344", name="Wacht Nog", verified=False)
    rejected = make_user("GM0344", name="Afgewezen Spammer", verified=False)
    rejected.active = False
    db.session.commit()
    page = client.get("/organisations/GM0344").get_data(as_text=True)
    assert "Geverifieerd Lid" in page
    assert "Wacht Nog" not in page and "Afgewezen Spammer" not in page and "niet geverifieerd" not in page


@pytest.mark.parametrize(
    "name", ["=1+1", "+31 6 1234", "-Datalab", "@Datalab", "<script>alert(1)</script>", "12345", "x"]
)
def test_registration_refuses_organisation_names_that_are_no_names(client, name):
    before = db.session.scalar(select(func.count(Organisation.id)))
    response = register(client, organisation="", new_organisation=name)
    assert response.status_code == 200
    assert user_by_email("nieuw@example.nl") is None
    assert db.session.scalar(select(func.count(Organisation.id))) == before


def test_a_named_organisation_is_hidden_until_a_member_is_verified_and_stays_hidden_after_rejection(client, auth):
    register(client, organisation="", new_organisation="Datalab Zuid")
    register(client, organisation="", new_organisation="Spamclub Noord", email="spam@example.nl")
    datalab = user_by_email("nieuw@example.nl").organisation
    spam = user_by_email("spam@example.nl").organisation
    for org in (datalab, spam):
        assert client.get(f"/organisations/{org.code}").status_code == 404
        assert client.get(f"/api/v1/organisations/{org.code}").status_code == 404
        assert org.name not in client.get("/organisations?q=" + org.name.split()[0]).get_data(as_text=True)
        assert org.name not in client.get("/account/register").get_data(as_text=True)

    auth.login(make_user("vng", role="vng_staff"))
    client.post(f"/admin/accounts/{user_by_email('nieuw@example.nl').id}/verify")
    client.post(f"/admin/accounts/{user_by_email('spam@example.nl').id}/reject")
    assert client.get(f"/organisations/{datalab.code}").status_code == 200
    assert client.get(f"/organisations/{spam.code}").status_code == 404
    assert "Spamclub" not in client.get("/api/v1/organisations?q=Spamclub").get_data(as_text=True)
