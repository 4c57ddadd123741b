"""/admin/accounts: search and paging, role changes, blocking with a confirmation, unblocking."""

from __future__ import annotations

import re

from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent, User
from pilotstarter_web.services import account_admin
from tests.factories import make_user


def text(response) -> str:
    return response.get_data(as_text=True)


def test_search_and_paging_keep_the_filters(client, auth, monkeypatch):
    staff = make_user("vng", role="vng_staff", email="staf@vng.nl")
    for i in range(5):
        make_user("GM0344", name=f"Utrechter {i}", email=f"u{i}@utrecht.nl")
    make_user("GM0599", name="Rotterdammer", email="r@rotterdam.nl")
    db.session.commit()
    monkeypatch.setattr(account_admin, "PER_PAGE", 2)
    auth.login(staff)
    html = text(client.get("/admin/accounts?q=utrecht&state=actief"))
    assert "5 accounts gevonden" in html and "Rotterdammer" not in html
    assert 'value="utrecht"' in html
    assert re.search(r'href="/admin/accounts\?[^"]*page=2', html) and "q=utrecht" in html
    page3 = text(client.get("/admin/accounts?q=utrecht&state=actief&page=3"))
    assert page3.count("@utrecht.nl") == 1


def test_an_admin_changes_a_role_and_comes_back_to_the_same_list(client, auth):
    admin = make_user("vng", role="admin", email="admin@vng.nl")
    member = make_user("GM0344", name="Sanne Jansen", email="sanne@utrecht.nl")
    db.session.commit()
    auth.login(admin)
    html = text(client.get("/admin/accounts?q=sanne"))
    assert f'id="role-{member.id}"' in html and "Uw eigen account" not in html
    response = client.post(f"/admin/accounts/{member.id}/role", data={"role": "vng_staff", "back": "q=sanne"})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/accounts?q=sanne"
    assert "Sanne Jansen is nu VNG-medewerker." in text(client.get(response.headers["Location"]))
    assert db.session.get(User, member.id).role == "vng_staff"
    evil = client.post(f"/admin/accounts/{member.id}/role", data={"role": "member", "back": "x\r\nSet-Cookie: a=b"})
    assert evil.headers["Location"] == "/admin/accounts"


def test_an_admin_cannot_demote_or_block_themselves(client, auth):
    admin = make_user("vng", role="admin", email="admin@vng.nl")
    db.session.commit()
    auth.login(admin)
    assert "Uw eigen account" in text(client.get("/admin/accounts"))
    refused = client.post(f"/admin/accounts/{admin.id}/role", data={"role": "member"}, follow_redirects=True)
    assert "U kunt uw eigen account niet blokkeren of een andere rol geven." in text(refused)
    assert client.get(f"/admin/accounts/{admin.id}/block").status_code == 422
    assert client.post(f"/admin/accounts/{admin.id}/block").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, admin.id).role == "admin" and db.session.get(User, admin.id).active


def test_blocking_asks_first_then_logs_out_and_unblocking_lets_back_in(app, client, auth):
    staff = make_user("vng", role="vng_staff", email="staf@vng.nl")
    member = make_user("GM0344", name="Sanne Jansen", email="sanne@utrecht.nl")
    db.session.commit()
    auth.login(staff)
    assert f'href="/admin/accounts/{member.id}/block"' in text(client.get("/admin/accounts"))
    confirm = text(client.get(f"/admin/accounts/{member.id}/block"))
    assert "Weet u zeker dat u het account van Sanne Jansen (sanne@utrecht.nl) wilt blokkeren?" in confirm
    assert db.session.get(User, member.id).active
    done = client.post(f"/admin/accounts/{member.id}/block", follow_redirects=True)
    assert "Het account van Sanne Jansen is geblokkeerd" in text(done)
    assert "Deblokkeren Sanne Jansen" in text(done)

    other = app.test_client()
    assert (
        other.post(
            "/account/login", data={"email": "sanne@utrecht.nl", "password": "correct-horse-battery"}
        ).status_code
        != 302
    )

    client.post(f"/admin/accounts/{member.id}/unblock")
    assert (
        other.post(
            "/account/login", data={"email": "sanne@utrecht.nl", "password": "correct-horse-battery"}
        ).status_code
        == 302
    )
    audited = [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.object_id == str(member.id)))]
    assert "account.blocked" in audited and "account.unblocked" in audited


def test_staff_see_no_role_control_and_cannot_touch_an_admin(client, auth):
    staff = make_user("vng", role="vng_staff", email="staf@vng.nl")
    admin = make_user("vng", role="admin", name="Anna Admin")
    db.session.commit()
    auth.login(staff)
    html = text(client.get("/admin/accounts"))
    assert "Rol wijzigen" not in html and "Alleen een beheerder kan dit account wijzigen" in html
    assert client.get(f"/admin/accounts/{admin.id}/block").status_code == 403
    assert client.post(f"/admin/accounts/{admin.id}/block").status_code == 403
    assert client.post(f"/admin/accounts/{admin.id}/role", data={"role": "member"}).status_code == 403


def test_members_cannot_manage_accounts(client, auth):
    member = make_user("GM0344")
    other = make_user("GM0599")
    db.session.commit()
    auth.login(member)
    assert client.get("/admin/accounts").status_code == 403
    assert client.post(f"/admin/accounts/{other.id}/block").status_code == 403
    assert client.post(f"/admin/accounts/{other.id}/unblock").status_code == 403
