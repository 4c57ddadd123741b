"""Account management rules: who may change whom, never oneself, never the last admin; all audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent, UserSession
from pilotstarter_web.services import account_admin
from pilotstarter_web.services.account_admin import AccountFilters, block, change_role, list_accounts, unblock
from pilotstarter_web.services.errors import InvalidInput, PermissionDenied
from tests.factories import make_user


def actions() -> list[tuple[str, str]]:
    return [(e.action, e.object_id) for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_search_by_name_email_or_organisation_with_role_and_state_filters_and_paging(monkeypatch):
    staff = make_user("vng", role="vng_staff", name="Vera Staf")
    make_user("GM0344", name="Sanne Jansen", email="sanne@utrecht.nl")
    make_user("GM0599", name="Mo El Amrani", email="mo@rotterdam.nl", verified=False)
    blocked = make_user("GM0599", name="Bert Blok")
    blocked.active = False
    db.session.flush()

    def names(**filters) -> set[str]:
        return {u.name for u in list_accounts(staff, AccountFilters(**filters)).accounts}

    assert names(query="jansen") == {"Sanne Jansen"}
    assert names(query="ROTTERDAM.NL") == {"Mo El Amrani"}
    assert names(query="Rotterdam") == {"Mo El Amrani", "Bert Blok"}  # the organisation's name
    assert names(query="100%_") == set()  # wildcards are plain characters
    assert names(role="vng_staff") == {"Vera Staf"}
    assert names(state="wacht") == {"Mo El Amrani"}
    assert names(state="geblokkeerd") == {"Bert Blok"}
    monkeypatch.setattr(account_admin, "PER_PAGE", 2)
    first, last = list_accounts(staff, AccountFilters(), 1), list_accounts(staff, AccountFilters(), 99)
    assert (first.total, first.pages, len(first.accounts)) == (4, 2, 2)
    assert last.page == 2 and len(last.accounts) == 2
    with pytest.raises(PermissionDenied):
        list_accounts(make_user("GM0344"), AccountFilters())


def test_an_admin_changes_a_role_audited_but_never_their_own():
    admin, member = make_user("vng", role="admin"), make_user("GM0344")
    change_role(admin, member.id, "vng_staff", ip="10.0.0.1")
    assert member.role == "vng_staff"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.role_changed"))
    assert event.actor_id == admin.id and event.data == {"old": "member", "new": "vng_staff"} and event.ip == "10.0.0.1"
    with pytest.raises(InvalidInput, match="eigen account"):
        change_role(admin, admin.id, "member")
    with pytest.raises(InvalidInput, match="Onbekende rol"):
        change_role(admin, member.id, "superuser")
    assert admin.role == "admin"


def test_staff_manage_members_but_not_staff_or_roles():
    staff, other_staff, member = make_user("vng", role="vng_staff"), make_user("vng", role="vng_staff"), make_user()
    with pytest.raises(PermissionDenied):
        change_role(staff, member.id, "admin")
    with pytest.raises(PermissionDenied):
        block(staff, other_staff.id)
    block(staff, member.id)
    assert not member.active
    with pytest.raises(PermissionDenied):
        block(make_user("GM0344"), staff.id)  # a member manages nobody


def test_blocking_ends_every_session_and_unblocking_lets_them_back_audited(client, auth):
    admin, member = make_user("vng", role="admin"), make_user("GM0344")
    db.session.commit()
    auth.login(member)
    assert db.session.scalar(
        select(UserSession).where(UserSession.user_id == member.id, UserSession.ended_at.is_(None))
    )
    block(admin, member.id)
    db.session.commit()
    assert client.get("/account/profile").status_code == 302  # logged out at once
    assert not db.session.scalars(
        select(UserSession).where(UserSession.user_id == member.id, UserSession.ended_at.is_(None))
    ).all()
    unblock(admin, member.id)
    db.session.commit()
    assert member.active
    assert [a for a in actions() if a[0].startswith("account.") and a[0] != "account.created"][-2:] == [
        ("account.blocked", str(member.id)),
        ("account.unblocked", str(member.id)),
    ]


def test_the_last_active_admin_can_be_neither_blocked_nor_demoted():
    first, second = make_user("vng", role="admin"), make_user("vng", role="admin")
    block(first, second.id)  # fine: first remains
    unblock(first, second.id)
    change_role(second, first.id, "vng_staff")  # fine: second remains
    # second is now the only admin; another admin made by the CLI could still not remove them:
    assert account_admin._refuse_losing_the_last_admin(first) is None  # first is no admin any more
    with pytest.raises(InvalidInput, match="laatste actieve beheerder"):
        account_admin._refuse_losing_the_last_admin(second)
    third = make_user("vng", role="admin")
    third.active = False  # a blocked admin does not count
    db.session.flush()
    with pytest.raises(InvalidInput, match="laatste actieve beheerder"):
        account_admin._refuse_losing_the_last_admin(second)
