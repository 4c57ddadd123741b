import pytest
from sqlalchemy import func, select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import ChangeLog, Participation, Revision
from pilotstarter_web.services.errors import InvalidInput, NotFound, PermissionDenied
from pilotstarter_web.services.participation import join_pilot, leave_pilot
from pilotstarter_web.services.pilot_queries import PilotFilters, backlinks, get_pilot, list_pilots, revisions
from pilotstarter_web.services.pilots import (
    EditConflict,
    PilotText,
    create_pilot,
    delete_pilot,
    edit_pilot,
    restore_pilot,
    revert_pilot,
)  # fmt: skip
from tests.factories import make_pilot, make_user, org

BODY = "## Aanleiding\n\nWe willen X.\n\n## Aanpak\n\nStap 1.\n\n## Resultaat\n\nNog niet.\n"


def text(pilot, **changes):
    rev = pilot.current_revision
    values = dict(title=rev.title, summary=rev.summary, body=rev.body, themes=pilot.theme_keys, status=pilot.status)
    values.update(changes)
    return PilotText(**values)


def changelog_count(pilot):
    return db.session.scalar(select(func.count(ChangeLog.id)).where(ChangeLog.pilot_id == pilot.id))


def test_create_pilot_makes_first_revision_initiator_and_changelog():
    user = make_user("GM0599")
    pilot = make_pilot(user, title="Digitale parkeervergunning", partners=["GM0344", "datalab-noord"])
    assert pilot.slug == "digitale-parkeervergunning"
    assert pilot.current_revision.number == 1
    assert pilot.current_revision.author_id == user.id
    roles = {p.organisation.code: p.role for p in pilot.participations}
    assert roles == {"GM0599": "initiator", "GM0344": "partner", "datalab-noord": "supplier"}
    assert changelog_count(pilot) == 1


def test_slugs_stay_unique_and_stable():
    a = make_pilot(title="Chatbot Wmo")
    b = make_pilot(title="Chatbot Wmo")
    assert (a.slug, b.slug) == ("chatbot-wmo", "chatbot-wmo-2")
    edit_pilot(a.current_revision.author, a, text(a, title="Chatbot voor de Wmo"), 1)
    db.session.commit()
    assert a.slug == "chatbot-wmo"


def test_unverified_users_cannot_write():
    with pytest.raises(PermissionDenied):
        create_pilot(make_user(verified=False), PilotText("Titel"))


def test_invalid_input_names_the_fields():
    with pytest.raises(InvalidInput) as exc:
        create_pilot(make_user(), PilotText("", themes=["onbekend"], status="klaar"))
    assert set(exc.value.field_errors) == {"title", "themes", "status"}


def test_every_save_is_a_new_immutable_revision_and_unchanged_text_makes_none():
    pilot = make_pilot(body=BODY)
    editor = make_user("GM0363")
    outcome = edit_pilot(editor, pilot, text(pilot, body=BODY + "\nMeer.\n", edit_summary="aangevuld"), 1)
    db.session.commit()
    assert outcome.revision.number == 2 and outcome.revision.edit_summary == "aangevuld"
    assert revisions(pilot)[1].body == BODY  # revision 1 unchanged
    again = edit_pilot(editor, pilot, text(pilot), 2)
    assert again.revision is None
    assert len(revisions(pilot)) == 2


def test_stale_edit_with_separate_changes_is_merged():
    pilot = make_pilot(body=BODY)
    a, b = make_user("GM0363"), make_user("GM0599")
    edit_pilot(a, pilot, text(pilot, body=BODY.replace("We willen X.", "We willen X en Y.")), 1)
    db.session.commit()
    outcome = edit_pilot(b, pilot, text(pilot, body=BODY.replace("Nog niet.", "Eerste cijfers.")), 1)
    db.session.commit()
    assert outcome.merged
    assert "We willen X en Y." in pilot.current_revision.body
    assert "Eerste cijfers." in pilot.current_revision.body
    assert pilot.current_revision.number == 3


def test_overlapping_edit_raises_conflict_with_own_text_kept():
    pilot = make_pilot(body=BODY)
    a, b = make_user("GM0363"), make_user("GM0599")
    edit_pilot(a, pilot, text(pilot, body=BODY.replace("Stap 1.", "Stap 1: enquête.")), 1)
    db.session.commit()
    with pytest.raises(EditConflict) as exc:
        edit_pilot(b, pilot, text(pilot, body=BODY.replace("Stap 1.", "Stap 1: interviews.")), 1)
    db.session.rollback()
    assert exc.value.mine_body == BODY.replace("Stap 1.", "Stap 1: interviews.")
    [part] = exc.value.body.conflicts
    assert (part.mine, part.theirs) == ("Stap 1: interviews.\n", "Stap 1: enquête.\n")
    assert exc.value.current.number == 2 and exc.value.text_conflicts == 1
    assert len(revisions(pilot)) == 2


def test_conflicting_title_edits_conflict():
    pilot = make_pilot(title="Oude titel")
    a, b = make_user("GM0363"), make_user("GM0599")
    edit_pilot(a, pilot, text(pilot, title="Titel A"), 1)
    db.session.commit()
    with pytest.raises(EditConflict) as exc:
        edit_pilot(b, pilot, text(pilot, title="Titel B"), 1)
    assert exc.value.fields == {"title": ("Titel B", "Titel A")} and exc.value.body is None


def test_double_submit_with_same_token_makes_one_revision():
    pilot = make_pilot(body=BODY)
    user = make_user()
    first = edit_pilot(user, pilot, text(pilot, body=BODY + "x\n"), 1, token="tok-1")
    db.session.commit()
    second = edit_pilot(user, pilot, text(pilot, body=BODY + "x\n"), 1, token="tok-1")
    assert second.revision.id == first.revision.id
    assert db.session.scalar(select(func.count(Revision.id)).where(Revision.pilot_id == pilot.id)) == 2
    p1 = create_pilot(user, PilotText("Dubbel"), token="new-1")
    db.session.commit()
    assert create_pilot(user, PilotText("Dubbel"), token="new-1").id == p1.id


def test_revert_adds_a_revision_with_the_old_text():
    pilot = make_pilot(body=BODY)
    user = make_user()
    edit_pilot(user, pilot, text(pilot, body="Vandalisme\n"), 1)
    db.session.commit()
    rev = revert_pilot(user, pilot, 1)
    db.session.commit()
    assert rev.number == 3 and rev.body == BODY and rev.reverted_to == 1
    with pytest.raises(InvalidInput):
        revert_pilot(user, pilot, 3)


def test_soft_delete_and_restore_by_owner_or_admin_only():
    owner = make_user("GM0599")
    pilot = make_pilot(owner)
    other = make_user("GM0363")
    with pytest.raises(PermissionDenied):
        delete_pilot(other, pilot)
    delete_pilot(make_user("GM0599"), pilot, "dubbel")  # a colleague of the owner organisation
    db.session.commit()
    assert pilot.is_deleted and changelog_count(pilot) == 2
    assert list_pilots(PilotFilters())[1] == 0
    with pytest.raises(NotFound):
        get_pilot(pilot.slug, other)
    assert get_pilot(pilot.slug, owner) is pilot
    with pytest.raises(PermissionDenied):
        edit_pilot(owner, pilot, text(pilot, body="x"), 1)
    restore_pilot(make_user("vng", role="admin"), pilot)
    db.session.commit()
    assert not pilot.is_deleted
    assert list_pilots(PilotFilters())[1] == 1


def test_join_interest_and_leave():
    pilot = make_pilot(make_user("GM0599"))
    member = make_user("GM0363")
    assert join_pilot(member, pilot, interest_only=True).role == "interested"
    assert join_pilot(member, pilot).role == "partner"
    assert join_pilot(member, pilot, interest_only=True).role == "partner"  # interest never downgrades
    supplier = make_user("datalab-noord")
    assert join_pilot(supplier, pilot).role == "supplier"
    db.session.commit()
    leave_pilot(member, pilot)
    db.session.commit()
    codes = {
        p.organisation.code for p in db.session.scalars(select(Participation).where(Participation.pilot_id == pilot.id))
    }
    assert codes == {"GM0599", "datalab-noord"}
    with pytest.raises(InvalidInput):
        leave_pilot(make_user("GM0599"), pilot)


def test_backlinks_follow_title_links():
    target = make_pilot(title="Digitale parkeervergunning")
    source = make_pilot(title="Parkeren in de binnenstad", body="Zie ook [[Digitale parkeervergunning]].")
    make_pilot(title="Los", body="Geen links.")
    assert backlinks(target) == [source]
    delete_pilot(source.current_revision.author, source)
    db.session.commit()
    assert backlinks(target) == []


def test_list_filters_and_sorting():
    ut = make_user("GM0344")
    a = make_pilot(ut, title="A", themes=["jeugd"], status="lopend")
    b = make_pilot(make_user("GM0599"), title="B", themes=["data"], status="idee", partners=["GM0363", "GM0014"])
    assert list_pilots(PilotFilters(theme="jeugd"))[0] == [a]
    assert list_pilots(PilotFilters(status="idee"))[0] == [b]
    assert list_pilots(PilotFilters(province="Zuid-Holland"))[0] == [b]
    assert list_pilots(PilotFilters(organisation="GM0363"))[0] == [b]
    assert list_pilots(PilotFilters(sort="partners"))[0] == [b, a]
    page2, total = list_pilots(PilotFilters(per_page=1, page=2))
    assert total == 2 and len(page2) == 1
    assert org("GM0344").name == "Utrecht"
