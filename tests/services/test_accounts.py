from datetime import timedelta

import pytest
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import UserSession, utcnow
from pilotstarter_web.services import accounts, sessions
from pilotstarter_web.services.errors import InvalidInput, NotFound, PermissionDenied, Throttled
from tests.factories import PASSWORD, make_user, org


def test_passwords_are_hashed_with_argon2id():
    user = make_user()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_registration_rules():
    make_user(email="a@example.nl")
    with pytest.raises(InvalidInput) as exc:
        accounts.create_account("A@Example.nl ", "Ander", PASSWORD, org())
    assert "email" in exc.value.field_errors
    with pytest.raises(InvalidInput) as exc:
        accounts.create_account("b@example.nl", "B", "kort", org())
    assert "password" in exc.value.field_errors
    user = accounts.create_account("c@example.nl", "C", PASSWORD, org())
    assert not user.verified and user.role == "member"


def test_authenticate_and_throttle_after_repeated_failures():
    user = make_user(email="d@example.nl")
    assert accounts.authenticate("D@example.nl", PASSWORD).id == user.id
    for _ in range(5):
        with pytest.raises(InvalidInput):
            accounts.authenticate("d@example.nl", "wrong-password")
        db.session.commit()
    with pytest.raises(Throttled):
        accounts.authenticate("d@example.nl", PASSWORD)


def test_unknown_email_and_blocked_accounts_fail_the_same_way():
    with pytest.raises(InvalidInput) as unknown:
        accounts.authenticate("nobody@example.nl", PASSWORD)
    blocked = make_user(verified=False)
    accounts.reject_account(make_user(role="vng_staff", organisation="vng"), blocked.id)
    with pytest.raises(InvalidInput) as rejected:
        accounts.authenticate(blocked.email, PASSWORD)
    assert unknown.value.message == rejected.value.message


@pytest.mark.parametrize("role,allowed", [("member", False), ("vng_staff", True), ("admin", True)])
def test_only_staff_verify_accounts(role, allowed):
    pending = make_user(verified=False)
    actor = make_user("vng", role=role)
    if allowed:
        assert accounts.verify_account(actor, pending.id).verified
    else:
        with pytest.raises(PermissionDenied):
            accounts.verify_account(actor, pending.id)
    with pytest.raises((NotFound, PermissionDenied)):
        accounts.verify_account(actor, 999999)


def test_unverified_staff_cannot_verify():
    with pytest.raises(PermissionDenied):
        accounts.verify_account(make_user("vng", role="admin", verified=False), make_user(verified=False).id)


def test_reset_token_works_once_and_ends_other_sessions():
    user = make_user()
    token = accounts.make_reset_token(user)
    assert accounts.user_for_reset_token(token).id == user.id
    here, _ = sessions.start(user, remember=False, ip=None, user_agent="")
    elsewhere, _ = sessions.start(user, remember=True, ip=None, user_agent="")
    accounts.set_password(user, "a-new-long-password", keep=here)
    db.session.commit()
    assert (here.end_reason, elsewhere.end_reason) == (None, "password_changed")
    assert sessions.active_sessions(user) == [here]
    with pytest.raises(InvalidInput):
        accounts.user_for_reset_token(token)
    with pytest.raises(InvalidInput):
        accounts.user_for_reset_token(token + "x")


def test_sessions_ended_or_unused_long_ago_are_forgotten_at_the_next_login(app):
    user = make_user()
    old, _ = sessions.start(user, remember=False, ip=None, user_agent="")
    recent, _ = sessions.start(user, remember=False, ip=None, user_agent="")
    long_ago = utcnow() - app.config["REMEMBER_COOKIE_DURATION"] - sessions.RETENTION - timedelta(days=1)
    old.last_seen_at = long_ago
    sessions.end(recent, "logout")
    db.session.commit()
    old_id, recent_id = old.id, recent.id
    sessions.start(user, remember=False, ip=None, user_agent="")
    db.session.commit()
    ids = set(db.session.scalars(select(UserSession.id)))
    assert old_id not in ids and recent_id in ids and len(ids) == 2
