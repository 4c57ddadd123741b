"""The mail outbox against a real SMTP server (aiosmtpd): queued with the event, delivered with both parts and
the unsubscribe headers, retried with back-off while the server is down, never sent twice."""

# ruff: noqa: F811  (the SMTP fixtures are imported from tests/mail_server.py and named as arguments)
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import DigestEntry, Notification, OutboxMail, utcnow
from pilotstarter_web.services import mail_outbox, mail_preferences
from pilotstarter_web.services.accounts import verify_account
from pilotstarter_web.services.errors import PermissionDenied
from pilotstarter_web.services.notifications import notify
from tests.factories import make_pilot, make_user
from tests.mail_server import smtp_listening, smtp_port, smtp_server  # noqa: F401


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def joined(recipients, title: str | None = None) -> None:
    """Another organisation joins a pilot: the kind that is mailed at once by default."""
    pilot = make_pilot(title=title)
    actor = make_user("GM0599")
    notify(recipients, "pilot.joined", actor=actor, pilot=pilot, organisation=actor.organisation)
    db.session.commit()


def outbox() -> list[OutboxMail]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)))


def test_a_notification_and_its_mail_commit_together_or_not_at_all():
    user, pilot, actor = make_user(), make_pilot(), make_user("GM0599")
    notify([user], "pilot.joined", actor=actor, pilot=pilot, organisation=actor.organisation)
    db.session.rollback()
    assert count(Notification) == 0 and count(OutboxMail) == 0
    notify([user], "pilot.joined", actor=actor, pilot=pilot, organisation=actor.organisation)
    db.session.commit()
    [mail] = outbox()
    assert mail.status == "queued" and mail.to_address == user.email and mail.notification.user_id == user.id


def test_the_worker_delivers_text_and_html_with_the_unsubscribe_headers(smtp_server):
    user = make_user(name="Anna <Jansen>")
    joined([user], title="Slimme <b>lampen</b> & meer")
    report = mail_outbox.drain()
    assert report.sent == 1
    [msg] = smtp_server.messages
    [mail] = outbox()
    assert msg["To"] == user.email and "doet nu mee met de pilot Slimme <b>lampen</b> & meer" in msg["Subject"]
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    link = f"http://localhost/notifications/{mail.notification_id}"
    assert "Beste Anna <Jansen>," in text and link in text and f'href="{link}"' in html
    assert "Slimme &lt;b&gt;lampen&lt;/b&gt; &amp; meer" in html and "<b>lampen" not in html  # escaped
    assert "Anna &lt;Jansen&gt;" in html and "<img" not in html
    unsubscribe = msg["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://localhost/account/mail/unsubscribe/") and unsubscribe.endswith(">")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe[1:-1] in text and "http://localhost/account/mail" in text
    assert mail.status == "sent" and mail.sent_at is not None and mail.attempts == 0


def test_a_server_that_is_down_delays_the_mail_until_it_is_up_without_loss_or_duplicate(smtp_port):
    user = make_user()
    joined([user])
    now = utcnow()
    assert mail_outbox.send_due(now).retrying == 1
    [mail] = outbox()
    assert mail.status == "queued" and mail.attempts == 1 and "ConnectionRefusedError" in mail.last_error
    assert mail.next_attempt_at == now + timedelta(seconds=60)
    assert mail_outbox.send_due(now + timedelta(seconds=30)).attempted == 0  # backing off
    assert mail_outbox.send_due(now + timedelta(seconds=61)).retrying == 1  # still down: wait twice as long
    assert outbox()[0].next_attempt_at == now + timedelta(seconds=61 + 120)
    with smtp_listening(smtp_port) as inbox:
        assert mail_outbox.send_due(now + timedelta(seconds=200)).sent == 1
        assert mail_outbox.send_due(now + timedelta(hours=5)).attempted == 0
    assert [m["To"] for m in inbox.messages] == [user.email]
    assert outbox()[0].status == "sent"


def test_back_off_doubles_up_to_its_cap(app):
    waits = [mail_outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4, 20)]
    assert waits == [60, 120, 240, 480, app.config["MAIL_RETRY_MAX_SECONDS"]]


def test_a_mail_that_keeps_failing_is_kept_as_failed_until_an_admin_retries_it(app, smtp_port, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 2)
    user = make_user()
    joined([user])
    now = utcnow()
    mail_outbox.send_due(now)
    assert mail_outbox.send_due(now + timedelta(hours=1)).failed == 1
    assert mail_outbox.send_due(now + timedelta(days=3)).attempted == 0
    [mail] = mail_outbox.failed_mails()
    assert mail.attempts == 2 and mail.to_address == user.email
    assert mail_outbox.counts()["failed"] == 1
    with pytest.raises(PermissionDenied):
        mail_outbox.retry(make_user())
    assert mail_outbox.retry(make_user("vng", role="admin")) == 1
    db.session.commit()
    with smtp_listening(smtp_port) as inbox:
        assert mail_outbox.drain().sent == 1
    assert len(inbox.messages) == 1 and mail_outbox.counts()["failed"] == 0


def test_two_workers_at_once_send_every_mail_exactly_once(app, smtp_server):
    users = [make_user() for _ in range(12)]
    joined(users)
    assert count(OutboxMail) == 12
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        with app.app_context():
            try:
                start.wait()
                for _ in range(6):
                    mail_outbox.send_due(limit=2)
            except BaseException as exc:  # reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    mail_outbox.drain()
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(u.email for u in users)


def test_a_claim_takes_each_due_mail_once():
    joined([make_user(), make_user()])
    first_token, first = mail_outbox.claim()
    second_token, second = mail_outbox.claim()
    assert len(first) == 2 and second == [] and first_token != second_token


def test_a_mail_claimed_by_a_worker_that_died_is_sent_once_its_lease_runs_out(smtp_server):
    joined([make_user()])
    now = utcnow()
    _token, ids = mail_outbox.claim(now=now)  # ... and this worker is killed before sending
    assert len(ids) == 1
    assert mail_outbox.send_due(now + timedelta(minutes=5)).attempted == 0  # still claimed
    assert mail_outbox.send_due(now + mail_outbox.LEASE + timedelta(seconds=1)).sent == 1
    assert len(smtp_server.messages) == 1 and outbox()[0].status == "sent"


def test_preferences_decide_between_a_mail_now_a_digest_and_nothing():
    now_, daily, weekly, never = (make_user() for _ in range(4))
    unverified = make_user(verified=False)
    for user, frequency in ((daily, "daily"), (weekly, "weekly"), (never, "never")):
        mail_preferences.set_preferences(user, {"pilot.joined": frequency})
    db.session.commit()
    joined([now_, daily, weekly, never, unverified])
    assert [m.to_address for m in outbox()] == [now_.email]
    entries = db.session.execute(select(DigestEntry.user_id, DigestEntry.frequency).order_by(DigestEntry.id)).all()
    assert entries == [(daily.id, "daily"), (weekly.id, "weekly")]
    assert count(Notification) == 5  # in the app, everyone hears of it


def test_defaults_mail_what_asks_for_an_answer_at_once_and_the_rest_in_the_daily_digest():
    user = make_user()
    prefs = mail_preferences.for_user(user)
    assert prefs["pilot.invited"] == prefs["pilot.joined"] == prefs["scaleup.decided.opschalen"] == "immediately"
    assert prefs["account.verified"] == prefs["pilot.similar_published"] == "immediately"
    assert prefs["pilot.edited"] == prefs["cluster.introduced"] == "daily"


def test_verifying_an_account_notifies_and_mails_its_owner(smtp_server):
    staff = make_user("vng", role="vng_staff")
    newcomer = make_user(verified=False, email="nieuw@example.nl")
    verify_account(staff, newcomer.id)
    db.session.commit()
    [notification] = db.session.scalars(select(Notification).where(Notification.user_id == newcomer.id))
    assert notification.kind == "account.verified"
    mail_outbox.drain()
    [msg] = smtp_server.messages
    assert msg["To"] == "nieuw@example.nl" and "Uw account is geverifieerd" in msg["Subject"]


def test_an_english_recipient_gets_english_mail_and_a_dutch_one_dutch(smtp_server):
    english, dutch = make_user(email="en@example.nl", name="Ann"), make_user(email="nl@example.nl", name="Piet")
    english.locale = "en"
    db.session.commit()
    joined([english, dutch], title="Slimme lampen")
    mail_outbox.drain()
    by_to = {m["To"]: m for m in smtp_server.messages}
    en_text = by_to["en@example.nl"].get_body(("plain",)).get_content()
    nl_text = by_to["nl@example.nl"].get_body(("plain",)).get_content()
    assert "now takes part in the pilot Slimme lampen" in by_to["en@example.nl"]["Subject"]
    assert "Dear Ann," in en_text and 'Unsubscribe from "An organisation joins your pilot"' in en_text
    assert "doet nu mee met de pilot Slimme lampen" in by_to["nl@example.nl"]["Subject"]
    assert "Beste Piet," in nl_text and 'Afmelden voor "Een organisatie doet mee met uw pilot"' in nl_text
    assert 'lang="en"' in by_to["en@example.nl"].get_body(("html",)).get_content()


def test_account_mails_are_plain_text_and_lose_their_text_once_sent(smtp_server):
    from pilotstarter_web.services.accounts import queue_reset_mail

    user = make_user(name="Piet")
    queue_reset_mail(user)
    db.session.commit()
    mail_outbox.drain()
    [msg] = smtp_server.messages
    assert msg.get_content_type() == "text/plain" and "/account/reset/" in msg.get_content()
    assert msg["List-Unsubscribe"] is None  # about the account itself: no opting out
    [mail] = outbox()
    assert mail.status == "sent" and mail.body == "" and mail.subject == ""
