"""Duplicate rules without HTTP: the check before publishing, "geen dubbel", "dubbel van" and merging."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import AuditEvent, ChangeLog, DuplicateDismissal, Notification, Participation, Pilot
from pilotstarter_web.services.errors import InvalidInput, PermissionDenied
from pilotstarter_web.services.fulltext_search import search_service
from pilotstarter_web.services.matchmaking import duplicates as dup
from pilotstarter_web.services.matchmaking.similarity import similarity_service
from pilotstarter_web.services.pilot_queries import PilotFilters, get_pilot, list_pilots, revisions
from pilotstarter_web.services.pilots import PilotText, restore_pilot
from search_index.fulltext import SearchRequest
from tests.factories import make_pilot, make_user

FUNERAL = "Uitvaartondernemers doen de aangifte van overlijden digitaal via een portaal, zonder loketbezoek."
SUMMARY = "Aangifte van overlijden online."


def main_pilot(**extra) -> Pilot:
    return make_pilot(
        make_user("GM0200"), title="Digitale overlijdensaangifte door uitvaartondernemers", body=FUNERAL,
        summary=SUMMARY, **extra,
    )  # fmt: skip


def twin(owner: str = "GM0687", **extra) -> Pilot:
    return make_pilot(
        make_user(owner), title="Overlijdensaangifte digitaal door uitvaartondernemers", body=FUNERAL,
        summary=SUMMARY, **extra,
    )  # fmt: skip


def draft(title: str = "Uitvaartondernemers doen digitaal aangifte van overlijden") -> PilotText:
    return PilotText(title, SUMMARY, FUNERAL, ["dienstverlening"])


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# -- the check before publishing ---------------------------------------------------------------------


def test_check_step_stops_an_unreviewed_duplicate_and_saves_nothing():
    main = main_pilot()
    user = make_user("GM0344")
    with pytest.raises(dup.DuplicatesFound) as found:
        dup.publish_new_pilot(user, draft(), [], token="t1", reviewed=[])
    assert found.value.duplicate_slugs == [main.slug] and found.value.status == 409
    db.session.rollback()
    assert db.session.scalar(select(func.count(Pilot.id))) == 1


def test_check_step_passes_once_reviewed_and_a_repeated_token_is_not_checked_again():
    main = main_pilot()
    user = make_user("GM0344")
    pilot = dup.publish_new_pilot(user, draft(), [], token="t2", reviewed=[f" {main.slug} ,"])
    db.session.commit()
    assert pilot.owner_id == user.organisation_id
    # A double submit returns the first pilot, although the text now matches it exactly.
    assert dup.publish_new_pilot(user, draft(), [], token="t2", reviewed=[]) is pilot


def test_unrelated_text_and_too_little_text_are_not_warned():
    main_pilot()
    assert dup.writing_warning("Slimme lantaarnpalen", "Licht dimmen als er niemand is.", "Sensoren.") == []
    assert dup.writing_warning("Uitvaart", "", "") == []  # fewer than MIN_WORDS


def test_the_writing_warning_of_an_edit_never_lists_itself_and_respects_dismissals():
    main, other = main_pilot(), twin()
    slugs = [p.slug for p, _m in dup.similar_to_text(main.title, SUMMARY, FUNERAL, pilot=main)]
    assert main.slug not in slugs and other.slug in slugs
    dup.dismiss_duplicate(make_user("GM0344"), main, other)
    found = dict((p.slug, m) for p, m in dup.similar_to_text(main.title, SUMMARY, FUNERAL, pilot=main))
    assert found[other.slug].duplicate is False


# -- "geen dubbel" -----------------------------------------------------------------------------------


def test_dismissal_applies_to_both_directions_once():
    main, other = main_pilot(), twin()
    assert [m.duplicate for p, m in dup.similar_pilots(main) if p.id == other.id] == [True]
    member = make_user("GM0344")
    first = dup.dismiss_duplicate(member, other, main, "  Ander   doel ")  # from the higher id
    again = dup.dismiss_duplicate(member, main, other)  # and from the lower one: the same row
    db.session.commit()
    assert first is again and (first.pilot_low_id, first.pilot_high_id) == (main.id, other.id)
    assert first.reason == "Ander doel" and db.session.scalar(select(func.count(DuplicateDismissal.id))) == 1
    for a, b in ((main, other), (other, main)):
        match = [m for p, m in dup.similar_pilots(a) if p.id == b.id]
        assert match and match[0].duplicate is False  # still listed, as "verwant"
    assert "pilot.not_duplicate" in actions()


def test_only_staff_undo_a_dismissal():
    main, other = main_pilot(), twin()
    member = make_user("GM0344")
    dup.dismiss_duplicate(member, main, other)
    with pytest.raises(PermissionDenied):
        dup.undo_dismissal(member, main, other)
    dup.undo_dismissal(make_user("vng", role="vng_staff"), other, main)
    db.session.commit()
    assert dup.get_dismissal(main, other) is None
    assert [m.duplicate for p, m in dup.similar_pilots(main) if p.id == other.id] == [True]
    assert "pilot.not_duplicate_undone" in actions()


@pytest.mark.parametrize("who", ["anonymous", "unverified"])
def test_readers_cannot_dismiss(who):
    main, other = main_pilot(), twin()
    user = None if who == "anonymous" else make_user("GM0344", verified=False)
    with pytest.raises(PermissionDenied):
        dup.dismiss_duplicate(user, main, other)


# -- "dubbel van" and merge: the permissions matrix --------------------------------------------------


@pytest.mark.parametrize(
    "who, allowed",
    [("anonymous", False), ("unverified", False), ("member", False), ("staff", True), ("admin", True)],
)
def test_only_staff_and_admins_mark_and_merge(who, allowed):
    main, other = main_pilot(), twin()
    user = {
        "anonymous": lambda: None,
        "unverified": lambda: make_user("vng", role="vng_staff", verified=False),
        "member": lambda: make_user("GM0344"),
        "staff": lambda: make_user("vng", role="vng_staff"),
        "admin": lambda: make_user("GM0363", role="admin"),
    }[who]()
    assert dup.can_curate(user) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            dup.mark_duplicate(user, other, main)
        other.duplicate_of = main
        for attempt in (dup.merge_duplicate, dup.unmark_duplicate):
            with pytest.raises(PermissionDenied):
                attempt(user, other)
        assert other.merged_at is None
    else:
        dup.mark_duplicate(user, other, main)
        assert dup.duplicates_of(main) == ([other], [])
        assert dup.merge_duplicate(user, other) is main and other.is_merged


def test_mark_refuses_itself_chains_and_can_be_undone_before_a_merge():
    main, other = main_pilot(), twin()
    staff = make_user("vng", role="vng_staff")
    with pytest.raises(InvalidInput):
        dup.mark_duplicate(staff, main, main)
    dup.mark_duplicate(staff, other, main)
    third = make_pilot(make_user("GM0518"), title="Uitvaartloket", body=FUNERAL)
    with pytest.raises(InvalidInput):
        dup.mark_duplicate(staff, third, other)  # other is itself a duplicate: point at the main pilot
    with pytest.raises(InvalidInput):
        dup.mark_duplicate(staff, main, third)  # main has duplicates pointing at it
    dup.unmark_duplicate(staff, other)
    db.session.commit()
    assert other.duplicate_of_id is None
    done = actions()
    assert done.index("pilot.duplicate_marked") < done.index("pilot.duplicate_unmarked")
    # The pair is no "mogelijk dubbel" while linked: the banner says more.
    dup.mark_duplicate(staff, other, main)
    assert [m.duplicate for p, m in dup.similar_pilots(main) if p.id == other.id] == [False]
    # Both audiences hear about it (not the curator).
    kinds = db.session.scalars(select(Notification.kind).where(Notification.kind == "pilot.duplicate_marked"))
    assert len(list(kinds)) >= 2


def test_merge_moves_participants_without_duplicates_and_hides_the_duplicate():
    main = main_pilot(partners=["GM0344"])
    other = twin(partners=["GM0344", "GM0518"])  # Utrecht takes part in both
    interested = make_user("GM0599")
    from pilotstarter_web.services.participation import join_pilot

    join_pilot(interested, main, interest_only=True)
    join_pilot(interested, other)  # partner in the duplicate, only interested in the main pilot
    staff = make_user("vng", role="vng_staff")
    dup.mark_duplicate(staff, other, main)
    dup.merge_duplicate(staff, other)
    db.session.commit()

    roles = {p.organisation.code: p.role for p in main.participations}
    assert roles == {
        "GM0200": "initiator",
        "GM0344": "partner",
        "GM0687": "partner",
        "GM0518": "partner",
        "GM0599": "partner",
    }
    assert db.session.scalar(select(func.count(Participation.id)).where(Participation.pilot_id == main.id)) == 5
    ops = list(
        db.session.execute(select(ChangeLog.pilot_id, ChangeLog.operation).order_by(ChangeLog.id.desc()).limit(2))
    )
    assert set(ops) == {(other.id, "delete"), (main.id, "upsert")}
    assert "pilot.merged" in actions()
    merged_kinds = list(db.session.scalars(select(Notification.user_id).where(Notification.kind == "pilot.merged")))
    assert merged_kinds and staff.id not in merged_kinds

    # Gone from lists, search and similarity …
    items, _total = list_pilots(PilotFilters())
    assert [p.slug for p in items] == [main.slug]
    result, _fallback = search_service().search(SearchRequest(query="uitvaartondernemers"))
    assert [h.slug for h in result.hits] == [main.slug]
    assert other.slug not in [p.slug for p, _m in similarity_service().similar(main)]
    assert other.slug not in [p.slug for p, _m in dup.writing_warning(main.title, SUMMARY, FUNERAL)]
    # … but readable by anyone, forwarding to the main pilot, and never restored.
    assert get_pilot(other.slug, None) is other and len(revisions(other)) == 1
    assert dup.merged_target(other) is main
    with pytest.raises(InvalidInput):
        restore_pilot(make_user("GM0363", role="admin"), other)
    assert dup.merge_duplicate(staff, other) is main  # merging again changes nothing
    with pytest.raises(InvalidInput):
        dup.unmark_duplicate(staff, other)


def test_merge_needs_a_mark_first():
    other = twin()
    with pytest.raises(InvalidInput):
        dup.merge_duplicate(make_user("vng", role="vng_staff"), other)
