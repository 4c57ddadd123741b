"""Notifications, follows and invitations without HTTP: who hears what, once, and who may do what."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent, Invitation, Participation
from pilotstarter_web.services import follows, invitations, notifications, pilot_news
from pilotstarter_web.services.errors import InvalidInput, NotFound, PermissionDenied
from pilotstarter_web.services.participation import join_pilot
from pilotstarter_web.services.pilots import PilotText, edit_pilot
from tests.factories import make_pilot, make_user, notification_kinds, org

POTHOLES = (
    "## Aanleiding\n\nBewoners melden gaten in de weg met een foto in de app. Een algoritme herkent de "
    "schade aan het wegdek en plant de reparatie door de wegbeheerder.\n\n## Aanpak\n\nDe app koppelt de "
    "melding aan het onderhoudssysteem voor wegen, zodat asfaltschade sneller wordt hersteld.\n"
)
YOUTH = (
    "## Aanleiding\n\nJongeren vinden de weg naar jeugdhulp niet. Een wijkcoach spreekt hen aan op school "
    "en in de sportclub.\n\n## Aanpak\n\nGesprekken met ouders en een vast aanspreekpunt.\n"
)


def edit(pilot, editor, body):
    rev = pilot.current_revision
    text = PilotText(rev.title, rev.summary, body, pilot.theme_keys, [], pilot.status)
    outcome = edit_pilot(editor, pilot, text, rev.number)
    db.session.commit()
    return outcome


# -- notify, audience, unread, paging, mark read -------------------------------------------------------------
def test_notify_skips_the_actor_and_duplicates_and_refuses_unknown_notification_kinds():
    actor, other = make_user("GM0599"), make_user("GM0344")
    pilot = make_pilot(actor)
    written = notifications.notify([actor, other, other], "pilot.edited", actor=actor, pilot=pilot)
    db.session.commit()
    assert written == 1
    assert notification_kinds(other) == ["pilot.edited"] and notification_kinds(actor) == []
    with pytest.raises(ValueError):
        notifications.notify([other], "pilot.unknown")


def test_audience_is_verified_members_of_participants_and_followers():
    owner = make_user("GM0599")
    partner = make_user("GM0344")
    unverified_partner = make_user("GM0344", verified=False)
    outsider, follower = make_user("GM0363"), make_user("GM0014")
    pilot = make_pilot(owner, partners=["GM0344"])
    follows.follow(follower, pilot)
    db.session.commit()
    audience = {u.id for u in notifications.pilot_audience(pilot)}
    assert audience == {owner.id, partner.id, follower.id}
    assert unverified_partner.id not in audience and outsider.id not in audience


def test_unread_count_paging_newest_first_and_mark_read_only_touches_own():
    me, someone = make_user("GM0599"), make_user("GM0344")
    pilot = make_pilot(make_user("GM0363"), title="Bericht")
    for _ in range(notifications.PER_PAGE + 2):
        notifications.notify([me, someone], "pilot.edited", pilot=pilot)
    db.session.commit()
    assert notifications.unread_count(me) == notifications.PER_PAGE + 2
    first, total = notifications.for_user(me, 1)
    second, _total = notifications.for_user(me, 2)
    assert total == notifications.PER_PAGE + 2 and len(first) == notifications.PER_PAGE and len(second) == 2
    assert [n.id for n in first] == sorted((n.id for n in first), reverse=True)

    theirs = notifications.for_user(someone)[0][0]
    assert notifications.mark_read(me, [first[0].id, theirs.id]) == 1  # someone's id is ignored
    db.session.commit()
    assert notifications.unread_count(me) == notifications.PER_PAGE + 1
    assert notifications.unread_count(someone) == notifications.PER_PAGE + 2
    assert notifications.for_user(me, 1, unread_only=True)[1] == notifications.PER_PAGE + 1
    notifications.mark_read(me)
    db.session.commit()
    assert notifications.unread_count(me) == 0 and notifications.unread_count(someone) == notifications.PER_PAGE + 2


def test_opening_a_notification_marks_it_read_but_never_someone_elses():
    me, someone = make_user("GM0599"), make_user("GM0344")
    notifications.notify([me, someone], "pilot.edited", pilot=make_pilot(make_user("GM0363")))
    db.session.commit()
    mine = notifications.for_user(me)[0][0]
    theirs = notifications.for_user(someone)[0][0]
    with pytest.raises(NotFound):
        notifications.open_notification(me, theirs.id)
    assert notifications.open_notification(me, mine.id).is_read
    db.session.commit()
    assert notifications.unread_count(me) == 0 and notifications.unread_count(someone) == 1


def test_message_reads_in_words_with_the_pilot_organisation_and_data():
    reader, author = make_user("GM0599"), make_user("GM0344")
    pilot = make_pilot(author, title="Gatenmelder")
    notifications.notify(
        [reader], "pilot.similar_published", actor=author, pilot=pilot, organisation=org("GM0344"),
        own_pilot="Wegdekschade melden",
    )  # fmt: skip
    db.session.commit()
    n = notifications.for_user(reader)[0][0]
    assert notifications.message(n) == "Utrecht start een pilot die lijkt op uw pilot Wegdekschade melden: Gatenmelder"


# -- follow -----------------------------------------------------------------------------------------------
def test_follow_unfollow_and_who_may():
    user, pilot = make_user("GM0599"), make_pilot(make_user("GM0344"))
    assert follows.follow(user, pilot) is True
    assert follows.follow(user, pilot) is False  # twice is harmless
    db.session.commit()
    assert follows.is_following(user, pilot)
    assert follows.unfollow(user, pilot) is True
    db.session.commit()
    assert not follows.is_following(user, pilot)
    with pytest.raises(PermissionDenied):
        follows.follow(make_user("GM0599", verified=False), pilot)


def test_followers_hear_about_edits_once_until_read_and_never_the_editor():
    owner, editor, follower = make_user("GM0599"), make_user("GM0344"), make_user("GM0363")
    pilot = make_pilot(owner)
    follows.follow(follower, pilot)
    follows.follow(editor, pilot)
    db.session.commit()
    edit(pilot, editor, "## Nieuw\n\nEerste wijziging.\n")
    assert (
        notification_kinds(follower) == ["pilot.edited"]
        and notification_kinds(owner) == ["pilot.edited"]
        and notification_kinds(editor) == []
    )
    n = notifications.for_user(follower)[0][0]
    assert notifications.message(n).startswith(editor.name + " heeft de pilot")
    edit(pilot, editor, "## Nieuw\n\nTweede wijziging.\n")
    assert notification_kinds(follower) == ["pilot.edited"]  # still one unread notice
    notifications.mark_read(follower)
    edit(pilot, editor, "## Nieuw\n\nDerde wijziging.\n")
    assert notification_kinds(follower) == ["pilot.edited", "pilot.edited"]


def test_a_partner_joining_is_news_for_the_audience_not_for_its_own_members():
    owner, follower = make_user("GM0599"), make_user("GM0363")
    joiner, colleague = make_user("GM0344"), make_user("GM0344")
    pilot = make_pilot(owner)
    follows.follow(follower, pilot)
    follows.follow(colleague, pilot)
    join_pilot(joiner, pilot, interest_only=True)  # interest alone is not news
    db.session.commit()
    assert notification_kinds(owner) == []
    join_pilot(joiner, pilot)
    db.session.commit()
    assert notification_kinds(owner) == ["pilot.joined"] and notification_kinds(follower) == ["pilot.joined"]
    assert notification_kinds(colleague) == [] and notification_kinds(joiner) == []
    assert (
        notifications.message(notifications.for_user(owner)[0][0]) == f"Utrecht doet nu mee met de pilot {pilot.title}"
    )


# -- invitations ------------------------------------------------------------------------------------------
def test_only_participants_invite_and_only_once_per_organisation():
    owner = make_user("GM0599")
    pilot = make_pilot(owner, partners=["GM0344"])
    invitee, unverified_invitee = make_user("GM0363"), make_user("GM0363", verified=False)
    outsider, interested = make_user("GM0014"), make_user("GM0034")
    join_pilot(interested, pilot, interest_only=True)
    db.session.commit()
    for user in (outsider, interested):
        assert not invitations.can_invite(user, pilot)
        with pytest.raises(PermissionDenied):
            invitations.invite(user, pilot, org("GM0363"))
    with pytest.raises(InvalidInput):
        invitations.invite(owner, pilot, org("GM0344"))  # already a partner

    invitation, created = invitations.invite(owner, pilot, org("GM0363"), "Doet u mee?")
    db.session.commit()
    assert created and invitation.message == "Doet u mee?"
    assert notification_kinds(invitee) == ["pilot.invited"] and notification_kinds(unverified_invitee) == []
    assert notifications.message(notifications.for_user(invitee)[0][0]) == (
        f"Rotterdam nodigt uw organisatie uit om mee te doen met de pilot {pilot.title}"
    )
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "pilot.invited")).one()
    assert audit.actor_id == owner.id and audit.data["organisation"] == "GM0363"

    partner = make_user("GM0344")
    again, created_again = invitations.invite(partner, pilot, org("GM0363"))  # a partner may invite too
    db.session.commit()
    assert not created_again and again.id == invitation.id
    assert notification_kinds(invitee) == ["pilot.invited"]  # not told twice
    assert db.session.scalar(select(db.func.count(Invitation.id))) == 1
    assert invitations.invited_organisation_ids(pilot) == {org("GM0363").id}


def test_accepting_joins_as_partner_and_declining_is_final():
    owner = make_user("GM0599")
    pilot, other = make_pilot(owner), make_pilot(owner)
    invitee, stranger = make_user("GM0363"), make_user("GM0344")
    invitations.invite(owner, pilot, org("GM0363"))
    invitations.invite(owner, other, org("GM0363"))
    db.session.commit()
    assert [i.pilot_id for i in invitations.open_invitations(invitee)] == [other.id, pilot.id]
    invitation = invitations.pending_for(invitee, pilot)
    assert invitation is not None and invitations.pending_for(stranger, pilot) is None
    with pytest.raises(PermissionDenied):
        invitations.accept(stranger, invitation)

    invitations.accept(invitee, invitation)
    db.session.commit()
    role = db.session.scalar(
        select(Participation.role).where(
            Participation.pilot_id == pilot.id, Participation.organisation_id == org("GM0363").id
        )
    )
    assert role == "partner" and invitation.accepted is True and invitation.answered_at is not None
    assert "pilot.joined" in notification_kinds(owner)
    assert invitations.pending_for(invitee, pilot) is None
    with pytest.raises(InvalidInput):
        invitations.accept(invitee, invitation)

    declined = invitations.pending_for(invitee, other)
    invitations.decline(invitee, declined)
    db.session.commit()
    assert declined.accepted is False and invitations.open_invitations(invitee) == []
    assert not invitations.invite(owner, other, org("GM0363"))[1]  # declined stays declined: no new invitation
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"invitation.accepted", "invitation.declined"} <= actions


# -- matches come to you ----------------------------------------------------------------------------------
def test_a_similar_new_pilot_is_announced_once_per_organisation_naming_its_most_similar_pilot():
    rotterdam, rotterdam_colleague = make_user("GM0599"), make_user("GM0599")
    amsterdam, utrecht, utrecht_colleague = make_user("GM0363"), make_user("GM0344"), make_user("GM0344")
    make_pilot(rotterdam, title="Gaten in de weg melden met een foto", body=POTHOLES)
    make_pilot(rotterdam, title="Wegdekschade herkennen met een algoritme", body=POTHOLES + "\nOok fietspaden.\n")
    make_pilot(amsterdam, title="Jeugdhulp dichtbij", body=YOUTH)
    new = make_pilot(utrecht, title="Gaten in het wegdek melden met een foto", body=POTHOLES)

    sent = pilot_news.announce_similar_published(new, utrecht)
    db.session.commit()
    assert sent == 2  # both Rotterdam members, once each
    for user in (rotterdam, rotterdam_colleague):
        (n,) = notifications.for_user(user)[0]
        # a near copy: announced in its duplicate tier, with its own words
        assert n.kind == "pilot.duplicate_published" and n.pilot_id == new.id and n.data["tier"] != "related"
        assert n.data["own_pilot"] == "Gaten in de weg melden met een foto"  # the closer of Rotterdam's two
        assert notifications.message(n).startswith("Utrecht start een pilot die mogelijk dezelfde is als uw pilot")
    assert (
        notification_kinds(amsterdam) == []
        and notification_kinds(utrecht_colleague) == []
        and notification_kinds(utrecht) == []
    )


def test_a_related_new_pilot_is_announced_as_alike_not_as_the_same():
    rotterdam, utrecht = make_user("GM0599"), make_user("GM0344")
    make_pilot(rotterdam, title="Gaten in de weg melden met een foto", body=POTHOLES)
    new = make_pilot(
        utrecht, title="Asfaltschade voorspellen met sensoren in vuilniswagens", body="Sensoren in vuilniswagens "
        "meten trillingen van het wegdek. Een algoritme voorspelt waar asfaltschade ontstaat, zodat de "
        "wegbeheerder de reparatie plant voordat bewoners gaten in de weg melden.",
    )  # fmt: skip
    pilot_news.announce_similar_published(new, utrecht)
    db.session.commit()
    found = notifications.for_user(rotterdam)[0]
    assert [n.kind for n in found] == ["pilot.similar_published"]
    assert found[0].data["tier"] == "related"
    assert notifications.message(found[0]).startswith("Utrecht start een pilot die lijkt op uw pilot Gaten in de weg")


def test_announcing_never_breaks_publishing(monkeypatch):
    user = make_user("GM0344")
    pilot = make_pilot(user, body=POTHOLES)

    class Broken:
        def similar(self, *args, **kwargs):
            raise RuntimeError("model file damaged")

    monkeypatch.setattr(pilot_news, "similarity_service", lambda: Broken())
    assert pilot_news.announce_similar_published(pilot, user) == 0
    db.session.commit()  # the session is still usable
    assert pilot.slug
