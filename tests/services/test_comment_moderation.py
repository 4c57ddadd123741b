"""Moderation as a state machine: the table against the tested steps, who may do what, reports once per
person, and what each step leaves behind (resolved reports, audit event, change-log row, notification)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent, ChangeLog, CommentReport, Notification
from pilotstarter_web.services import comment_moderation as moderation
from pilotstarter_web.services import comments
from pilotstarter_web.services.comment_moderation import InvalidTransition
from pilotstarter_web.services.errors import InvalidInput, PermissionDenied
from pilotstarter_web.services.pilot_documents import pilot_document
from tests.factories import make_pilot, make_user


@pytest.fixture
def world():
    author = make_user("GM0363", name="Anna Amsterdam")
    pilot = make_pilot(make_user("GM0344"), title="Slimme lantaarnpalen")
    comment = comments.post_comment(author, pilot, "Dit is een onaardige reactie over lantaarnvernielers")
    db.session.commit()
    return {
        "pilot": pilot,
        "comment": comment,
        "author": author,
        "reader": make_user("GM0200"),
        "other_reader": make_user("GM0307"),
        "vng_staff": make_user("vng", role="vng_staff"),
        "admin": make_user("vng", role="admin"),
        "unverified": make_user("GM0200", verified=False),
    }


def to_state(world, state: str) -> None:
    if state in ("gemeld", "verborgen"):
        moderation.report(world["reader"], world["comment"], "Beledigend")
    if state == "verborgen":
        moderation.hide(world["vng_staff"], world["comment"], "Beledigend")
    db.session.commit()


def do(world, action: str, who: str) -> None:
    user, comment = world[who], world["comment"]
    {
        "report": lambda: moderation.report(user, comment, "Klopt niet"),
        "hide": lambda: moderation.hide(user, comment, "Persoonsgegevens"),
        "restore": lambda: moderation.restore(user, comment),
    }[action]()


ALLOWED = [  # (start, action, target, who)
    ("zichtbaar", "report", "gemeld", "other_reader"),
    ("gemeld", "report", "gemeld", "other_reader"),
    ("zichtbaar", "hide", "verborgen", "vng_staff"),
    ("gemeld", "hide", "verborgen", "admin"),
    ("gemeld", "restore", "zichtbaar", "vng_staff"),
    ("verborgen", "restore", "zichtbaar", "admin"),
]


def test_the_table_lists_exactly_the_tested_transitions():
    assert set(moderation.TRANSITIONS) == {(s, a) for s, a, _, _ in ALLOWED}
    assert all(moderation.TRANSITIONS[(s, a)] == t for s, a, t, _ in ALLOWED)


@pytest.mark.parametrize("start,action,target,who", ALLOWED)
def test_every_allowed_transition_moves_state_and_leaves_a_trail(world, start, action, target, who):
    to_state(world, start)
    comment = world["comment"]
    changes_before = db.session.scalar(select(func.count()).select_from(ChangeLog))
    do(world, action, who)
    db.session.commit()
    assert comment.moderation == target
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.object_id, event.actor_id) == (f"comment.{action}", str(comment.id), world[who].id)
    assert (event.data["from_state"], event.data["to_state"]) == (start, target)
    search_changed = (start == "verborgen") != (target == "verborgen")
    assert db.session.scalar(select(func.count()).select_from(ChangeLog)) == changes_before + search_changed
    if action in moderation.STAFF_ACTIONS:  # the moderator's action resolves every open report
        open_reports = select(func.count()).where(CommentReport.resolved_at.is_(None))
        assert db.session.scalar(open_reports) == 0


REFUSED = [
    (s, a)
    for s in ("zichtbaar", "gemeld", "verborgen")
    for a in ("report", "hide", "restore")
    if (s, a) not in moderation.TRANSITIONS
]


@pytest.mark.parametrize("start,action", REFUSED)
def test_steps_the_table_does_not_list_are_refused(world, start, action):
    to_state(world, start)
    with pytest.raises(InvalidTransition):
        do(world, action, "vng_staff" if action != "report" else "other_reader")
    assert world["comment"].moderation == start


@pytest.mark.parametrize("who", ["reader", "author", "unverified"])
def test_only_staff_hide_and_restore(world, who):
    with pytest.raises(PermissionDenied):
        moderation.hide(world[who], world["comment"], "Weg")
    to_state(world, "verborgen")
    with pytest.raises(PermissionDenied):
        moderation.restore(world[who], world["comment"])


def test_a_report_needs_a_reason_a_verified_account_and_comes_once_per_person(world):
    comment = world["comment"]
    with pytest.raises(InvalidInput, match="Schrijf waarom"):
        moderation.report(world["reader"], comment, "  ")
    with pytest.raises(PermissionDenied):
        moderation.report(world["unverified"], comment, "Spam")
    with pytest.raises(InvalidInput, match="eigen reactie"):
        moderation.report(world["author"], comment, "Spam")
    with pytest.raises(InvalidInput, match="hoogstens 500"):
        moderation.report(world["reader"], comment, "x" * 501)
    moderation.report(world["reader"], comment, "Spam")
    with pytest.raises(InvalidInput, match="al gemeld"):
        moderation.report(world["reader"], comment, "Nog eens")
    assert moderation.reported_by(world["reader"], [comment.id]) == {comment.id}
    assert moderation.reported_by(world["other_reader"], [comment.id]) == set()


def test_hiding_needs_a_reason_tells_the_author_and_takes_the_words_out_of_search(world):
    comment, pilot = world["comment"], world["pilot"]
    assert "lantaarnvernielers" in pilot_document(pilot).comments
    with pytest.raises(InvalidInput, match="Schrijf de reden"):
        moderation.hide(world["vng_staff"], comment, "")
    moderation.hide(world["vng_staff"], comment, "Beledigend voor bewoners")
    db.session.commit()
    assert comment.is_hidden and comment.hidden_reason == "Beledigend voor bewoners"
    assert "lantaarnvernielers" not in pilot_document(pilot).comments
    note = db.session.scalars(select(Notification).where(Notification.user_id == world["author"].id)).one()
    assert note.kind == "comment.hidden" and note.data["reason"] == "Beledigend voor bewoners"
    with pytest.raises(PermissionDenied, match="verborgen"):  # the author cannot edit around the moderation
        comments.edit_comment(world["author"], comment, "Nu wel aardig")
    moderation.restore(world["admin"], comment)
    db.session.commit()
    assert comment.moderation == "zichtbaar" and comment.hidden_reason == ""
    assert "lantaarnvernielers" in pilot_document(pilot).comments


def test_the_queue_holds_reported_comments_with_their_open_reports(world):
    to_state(world, "gemeld")
    moderation.report(world["other_reader"], world["comment"], "Klopt niet")
    db.session.commit()
    [(comment, reports)] = moderation.queue("gemeld")
    assert comment.id == world["comment"].id and [r.reason for r in reports] == ["Beledigend", "Klopt niet"]
    moderation.hide(world["vng_staff"], comment, "Beledigend")
    db.session.commit()
    assert moderation.queue("gemeld") == []
    [(hidden, resolved)] = moderation.queue("verborgen")
    assert hidden.id == comment.id and {r.resolution for r in resolved} == {"hide"}


def test_a_deleted_comment_is_neither_reported_nor_hidden(world):
    comment = world["comment"]
    comments.post_comment(world["reader"], world["pilot"], "Antwoord", comment)  # keeps a placeholder
    comments.delete_comment(world["author"], comment)
    with pytest.raises(InvalidInput, match="verwijderd"):
        moderation.report(world["reader"], comment, "Spam")
    with pytest.raises(InvalidInput, match="verwijderd"):
        moderation.hide(world["vng_staff"], comment, "Spam")
