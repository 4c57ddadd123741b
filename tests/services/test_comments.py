"""The discussion's rules without HTTP: who writes, threads one level deep, edit and delete your own,
"nuttig", bounds, notifications (each person once, never the author) and what search reads."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent, ChangeLog, Comment, Follow, Notification
from pilotstarter_web.services import comments
from pilotstarter_web.services.errors import InvalidInput, NotFound, PermissionDenied
from pilotstarter_web.services.pilot_documents import SEARCH_CHARS, SEARCH_COMMENTS, pilot_document
from pilotstarter_web.services.pilots import delete_pilot
from tests.factories import make_pilot, make_user, notification_kinds


@pytest.fixture
def world():
    """Utrecht's pilot with Amersfoort as partner, a follower, and two outsiders who write."""
    owner = make_user("GM0344", name="Olga Eigenaar")
    pilot = make_pilot(owner, title="Slimme lantaarnpalen", partners=["GM0307"])
    users = {
        "owner": owner,
        "partner": make_user("GM0307", name="Piet Partner"),
        "follower": make_user("GM0599", name="Fien Volger"),
        "anna": make_user("GM0363", name="Anna Amsterdam"),
        "bram": make_user("GM0200", name="Bram Apeldoorn"),
        "unverified": make_user("GM0344", verified=False),
    }
    db.session.add(Follow(user_id=users["follower"].id, pilot_id=pilot.id))
    db.session.commit()
    return {"pilot": pilot, **users}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_comment_is_rendered_sanitized_and_leaves_a_trail(world):
    pilot = world["pilot"]
    before = count(ChangeLog)
    c = comments.post_comment(world["anna"], pilot, "**Vraag**: hoe deden jullie de DPIA? <script>alert(1)</script>")
    db.session.commit()
    assert "<strong>Vraag</strong>" in c.html and "<script" not in c.html
    assert count(ChangeLog) == before + 1  # search reads the comments
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.object_id, event.actor_id) == ("comment.post", str(c.id), world["anna"].id)


def test_a_heading_in_a_comment_gets_no_id_that_could_clash_with_the_page(world):
    c = comments.post_comment(world["anna"], world["pilot"], "## Aanleiding\n\nTekst")
    assert "<h2>Aanleiding</h2>" in c.html and "id=" not in c.html


def test_only_verified_accounts_write_and_not_on_a_deleted_pilot(world):
    pilot = world["pilot"]
    with pytest.raises(PermissionDenied):
        comments.post_comment(world["unverified"], pilot, "Hallo")
    with pytest.raises(PermissionDenied):
        comments.post_comment(None, pilot, "Hallo")
    delete_pilot(world["owner"], pilot)
    with pytest.raises(PermissionDenied, match="verwijderde pilot"):
        comments.post_comment(world["anna"], pilot, "Hallo")


def test_the_size_bound_is_checked_before_any_work(world):
    with pytest.raises(InvalidInput, match="hoogstens 10000 tekens") as exc:
        comments.post_comment(world["anna"], world["pilot"], "x" * (comments.MAX_BODY + 1))
    assert "body" in exc.value.field_errors
    with pytest.raises(InvalidInput, match="Schrijf eerst"):
        comments.post_comment(world["anna"], world["pilot"], "   \n ")
    assert comments.post_comment(world["anna"], world["pilot"], "x" * comments.MAX_BODY).id


def test_a_reply_to_a_reply_joins_the_thread_of_its_top_comment(world):
    pilot = world["pilot"]
    top = comments.post_comment(world["anna"], pilot, "Vraag")
    reply = comments.post_comment(world["bram"], pilot, "Antwoord", top)
    deeper = comments.post_comment(world["owner"], pilot, "Nog een antwoord", reply)
    assert reply.parent_id == top.id and deeper.parent_id == top.id
    page = comments.discussion(pilot, world["anna"])
    assert [(t.id, [r.id for r in rs]) for t, rs in page.threads] == [(top.id, [reply.id, deeper.id])]
    assert page.total == 3


def test_a_reply_must_stay_on_its_own_pilot(world):
    other = make_pilot(world["owner"], title="Andere pilot")
    elsewhere = comments.post_comment(world["anna"], other, "Elders")
    with pytest.raises(InvalidInput):
        comments.post_comment(world["bram"], world["pilot"], "Antwoord", elsewhere)


def test_notifications_reach_each_person_once_with_the_most_personal_message(world):
    pilot = world["pilot"]
    top = comments.post_comment(world["anna"], pilot, "Vraag aan de partner")
    db.session.commit()
    # A new comment: the pilot's audience (participants' members and followers), never the author.
    for who in ("owner", "partner", "follower"):
        assert notification_kinds(world[who]) == ["comment.new"]
    assert notification_kinds(world["anna"]) == [] and notification_kinds(world["bram"]) == []
    # Bram replies to Anna and mentions the owner: Anna hears "reply", the owner "mention", the rest "new".
    owner = world["owner"]
    comments.post_comment(world["bram"], pilot, f"Zie @[Olga](user:{owner.id}) en @[Olga](user:{owner.id})", top)
    db.session.commit()
    assert notification_kinds(world["anna"]) == ["comment.reply"]
    assert notification_kinds(owner) == ["comment.new", "comment.mention"]
    assert notification_kinds(world["partner"]) == ["comment.new", "comment.new"]
    assert notification_kinds(world["bram"]) == []
    note = db.session.scalars(select(Notification).where(Notification.kind == "comment.reply")).one()
    assert note.data["comment"] > top.id and note.pilot_id == pilot.id


def test_mentioning_an_organisation_notifies_its_verified_members(world):
    denhaag = make_user("GM0518", name="Dirk Den Haag")
    make_user("GM0518", verified=False)
    comments.post_comment(world["anna"], world["pilot"], "Vraag voor @[Den Haag](org:GM0518)")
    db.session.commit()
    assert notification_kinds(denhaag) == ["comment.mention"]
    assert db.session.scalar(select(func.count()).where(Notification.kind == "comment.mention")) == 1


def test_mentioning_yourself_notifies_nobody(world):
    anna = world["anna"]
    comments.post_comment(anna, world["pilot"], f"Ik @[Anna](user:{anna.id})")
    assert notification_kinds(anna) == []


def test_edit_your_own_marks_it_edited_and_notifies_only_new_mentions(world):
    pilot, anna, bram = world["pilot"], world["anna"], world["bram"]
    c = comments.post_comment(anna, pilot, f"Hoi @[Bram](user:{bram.id})")
    db.session.commit()
    with pytest.raises(PermissionDenied):
        comments.edit_comment(bram, c, "Overgenomen")
    comments.edit_comment(anna, c, f"Hoi @[Bram](user:{bram.id}) en @[Olga](user:{world['owner'].id})")
    db.session.commit()
    assert c.edited_at is not None and "Olga Eigenaar" in c.html
    assert notification_kinds(bram) == ["comment.mention"]  # not twice for one comment
    assert notification_kinds(world["owner"]) == ["comment.new", "comment.mention"]


def test_delete_without_replies_removes_it_with_replies_leaves_a_placeholder(world):
    pilot, anna, bram = world["pilot"], world["anna"], world["bram"]
    lonely = comments.post_comment(anna, pilot, "Weg ermee")
    top = comments.post_comment(anna, pilot, "Vraag")
    reply = comments.post_comment(bram, pilot, "Antwoord", top)
    comments.toggle_useful(bram, lonely)
    with pytest.raises(PermissionDenied):
        comments.delete_comment(bram, top)
    comments.delete_comment(anna, lonely)
    comments.delete_comment(anna, top)
    db.session.commit()
    assert db.session.get(Comment, lonely.id) is None
    assert top.is_deleted and top.body == "" and top.html == ""
    page = comments.discussion(pilot, None)
    assert [(t.id, [r.id for r in rs]) for t, rs in page.threads] == [(top.id, [reply.id])] and page.total == 1
    with pytest.raises(NotFound):
        comments.edit_comment(anna, top, "Terug")
    # The last reply goes: the placeholder has nothing left to hold and goes too.
    comments.delete_comment(bram, reply)
    db.session.commit()
    assert comments.discussion(pilot, None).threads == []
    assert count(Comment) == 0


def test_useful_marks_toggle_once_per_person_and_not_your_own(world):
    pilot = world["pilot"]
    c = comments.post_comment(world["anna"], pilot, "Nuttige tip")
    assert comments.toggle_useful(world["bram"], c) is True
    assert comments.toggle_useful(world["owner"], c) is True
    db.session.commit()
    page = comments.discussion(pilot, world["bram"])
    assert page.useful[c.id] == 2 and page.marked == {c.id}
    assert comments.toggle_useful(world["bram"], c) is False
    db.session.commit()
    assert comments.discussion(pilot, world["bram"]).useful[c.id] == 1
    with pytest.raises(InvalidInput):
        comments.toggle_useful(world["anna"], c)


def test_threads_are_paged(world, monkeypatch):
    monkeypatch.setattr(comments, "THREADS_PER_PAGE", 2)
    made = [comments.post_comment(world["anna"], world["pilot"], f"Reactie {n}") for n in range(5)]
    page = comments.discussion(world["pilot"], None, page=3)
    assert (page.page, page.pages, [t.id for t, _ in page.threads]) == (3, 3, [made[4].id])
    assert comments.discussion(world["pilot"], None, page=99).page == 3


def test_search_reads_the_newest_visible_comments_within_bounds(world, monkeypatch):
    pilot = world["pilot"]
    comments.post_comment(world["anna"], pilot, "Eerste over **parkeerbeleid**")
    gone = comments.post_comment(world["anna"], pilot, "Geheime zin die verdwijnt")
    comments.post_comment(world["bram"], pilot, "Laatste over [de link](https://example.org) fietsen")
    comments.delete_comment(world["anna"], gone)
    db.session.commit()
    text = pilot_document(pilot).comments
    assert text.splitlines() == ["Laatste over de link fietsen", "Eerste over parkeerbeleid"]
    assert SEARCH_COMMENTS == 50 and SEARCH_CHARS == 50_000
    monkeypatch.setattr("pilotstarter_web.services.pilot_documents.SEARCH_COMMENTS", 1)
    assert pilot_document(pilot).comments == "Laatste over de link fietsen"
    monkeypatch.setattr("pilotstarter_web.services.pilot_documents.SEARCH_CHARS", 7)
    assert pilot_document(pilot).comments == "Laatste"


def test_a_page_shows_a_bounded_number_of_replies_per_thread(world, monkeypatch):
    monkeypatch.setattr(comments, "REPLIES_SHOWN", 2)
    top = comments.post_comment(world["anna"], world["pilot"], "Vraag")
    replies = [comments.post_comment(world["bram"], world["pilot"], f"Antwoord {n}", top) for n in range(3)]
    page = comments.discussion(world["pilot"], None)
    assert [r.id for r in page.threads[0][1]] == [replies[0].id, replies[1].id]
    assert page.more_replies == {top.id: 1} and page.total == 4
