"""The staff rule has one home: every "VNG staff or admin only" guard in the services asks
permissions.is_curator, so an unverified or blocked vng_staff is refused by all of them alike, and the query
that lists staff (who hears of nominations) returns exactly the users the check accepts."""

from __future__ import annotations

import contextlib

import pytest

from pilotstarter_web.extensions import db
from pilotstarter_web.services import permissions, portfolio, scaleup
from pilotstarter_web.services.accounts import verify_account
from pilotstarter_web.services.errors import InvalidInput, PermissionDenied
from pilotstarter_web.services.matchmaking import duplicates, pilot_clusters
from tests.factories import make_user

# Every service entry that is for curators only, called the way its page calls it.
GUARDS = {
    "accounts": lambda user: verify_account(user, make_user(verified=False).id),
    "clusters": lambda user: pilot_clusters.pilot_clusters(user),
    "clusters.introduce": lambda user: pilot_clusters.introduce(user, []),
    "duplicates": duplicates.require_curator,
    "portfolio": lambda user: portfolio.create_meeting(user, "2026-12-15", "Portfolio-overleg"),
    "scaleup": scaleup.require_curator,
}
CHECKS = {
    "accounts": permissions.can_manage_accounts,
    "duplicates": duplicates.can_curate,
    "scaleup": scaleup.can_curate,
}


def _blocked_staff():
    user = make_user("vng", role="vng_staff")
    user.active = False
    db.session.commit()
    return user


USERS = {
    "unverified staff": lambda: make_user("vng", role="vng_staff", verified=False),
    "unverified admin": lambda: make_user("GM0363", role="admin", verified=False),
    "blocked staff": _blocked_staff,
    "member": lambda: make_user("GM0344"),
    "anonymous": lambda: None,
}


@pytest.mark.parametrize("service", sorted(GUARDS))
@pytest.mark.parametrize("who", sorted(USERS))
def test_non_curators_are_refused_everywhere(service, who):
    user = USERS[who]()
    assert not permissions.is_curator(user)
    with pytest.raises(PermissionDenied):
        GUARDS[service](user)


@pytest.mark.parametrize("service", sorted(CHECKS))
def test_every_check_agrees_with_the_one_rule(service):
    for make in [*USERS.values(), lambda: make_user("vng", role="vng_staff"), lambda: make_user(role="admin")]:
        user = make()
        assert CHECKS[service](user) is permissions.is_curator(user)


@pytest.mark.parametrize("role", ["vng_staff", "admin"])
def test_verified_staff_pass_every_guard(role):
    user = make_user("vng", role=role)
    for guard in GUARDS.values():
        # past the staff check: no PermissionDenied (an empty cluster is refused for what it asks, not who asks)
        with contextlib.suppress(InvalidInput):
            guard(user)


def test_the_staff_query_lists_exactly_the_curators():
    users = [make() for make in USERS.values() if make is not USERS["anonymous"]]
    users += [make_user("vng", role="vng_staff"), make_user(role="admin")]
    assert {u.id for u in permissions.curators()} == {u.id for u in users if permissions.is_curator(u)}
