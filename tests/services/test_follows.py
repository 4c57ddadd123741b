"""Following themes, organisations and saved searches without HTTP: who hears of a new pilot, once."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import NewPilotMatch, Notification, SavedSearch, SavedSearchAnchor, User
from pilotstarter_web.services import follows, saved_search_matching, saved_searches
from pilotstarter_web.services.errors import InvalidInput, NotFound, PermissionDenied
from pilotstarter_web.services.participation import join_pilot
from tests.factories import make_pilot, make_user, org

YOUTH = (
    "## Aanleiding\n\nJongeren vinden de weg naar de jeugdzorg niet. Een wijkcoach spreekt hen aan op school.\n\n"
    "## Aanpak\n\nGesprekken met ouders en een vast aanspreekpunt in de wijk.\n"
)
PARKING = "## Aanleiding\n\nBewoners vragen hun parkeervergunning digitaal aan.\n"


def notes(user: User) -> list[tuple[str, int | None]]:
    rows = db.session.scalars(select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))
    return [(n.kind, n.pilot_id) for n in rows]


def save(user: User, query: str = "", **filters) -> SavedSearch:
    search, _created = saved_searches.save_search(user, query, filters)
    db.session.commit()
    return search


def publish(author: User, title: str, body: str = YOUTH, themes: tuple[str, ...] = ("jeugd",), **kw):
    pilot = make_pilot(author, title=title, body=body, themes=list(themes), **kw)
    saved_search_matching.drain()
    return pilot


# -- themes and organisations ------------------------------------------------------------------------------
def test_theme_followers_hear_of_a_new_pilot_in_the_theme_once_and_not_the_author():
    follower, other, author = make_user("GM0599"), make_user("GM0363"), make_user("GM0344")
    for user in (follower, author):
        assert follows.follow_theme(user, "jeugd") is True
    assert follows.follow_theme(follower, "jeugd") is False  # twice is harmless
    follows.follow_theme(other, "wonen")
    db.session.commit()
    pilot = publish(author, "Jongerenwerk in de wijk", themes=("jeugd", "onderwijs"))
    assert notes(follower) == [("theme.new_pilot", pilot.id)]
    assert notes(other) == [] and notes(author) == []
    text = db.session.scalar(select(Notification).where(Notification.user_id == follower.id))
    assert text.data["theme"] == "Jeugd"


def test_organisation_followers_hear_of_pilots_it_starts_or_is_partner_in_and_of_joins():
    follower_rdam, follower_adam = make_user("GM0014"), make_user("GM0014")
    follows.follow_organisation(follower_rdam, org("GM0599"))
    follows.follow_organisation(follower_adam, org("GM0363"))
    db.session.commit()
    started = publish(make_user("GM0599"), "Rotterdam start", themes=("data",))
    with_adam = publish(make_user("GM0344"), "Utrecht met Amsterdam", themes=("data",))
    assert notes(follower_rdam) == [("organisation.new_pilot", started.id)]
    assert notes(follower_adam) == []
    join_pilot(make_user("GM0363"), with_adam)  # a partner by its own doing (a listed partner is asked first)
    db.session.commit()
    assert notes(follower_adam) == [("organisation.joined", with_adam.id)]
    joiner = make_user("GM0599")
    join_pilot(joiner, with_adam)
    db.session.commit()
    assert notes(follower_rdam)[-1] == ("organisation.joined", with_adam.id)
    join_pilot(make_user("GM0599"), with_adam, interest_only=True)  # not news: no second notice
    db.session.commit()
    assert len(notes(follower_rdam)) == 2


def test_a_pilot_follower_hears_a_join_once_though_following_the_organisation_too():
    pilot = publish(make_user("GM0344"), "Een pilot", themes=("data",))
    follower = make_user("GM0014")
    follows.follow(follower, pilot)
    follows.follow_organisation(follower, org("GM0599"))
    db.session.commit()
    join_pilot(make_user("GM0599"), pilot)
    db.session.commit()
    assert notes(follower) == [("pilot.joined", pilot.id)]


def test_one_notification_per_new_pilot_whatever_one_follows():
    fan = make_user("GM0014")
    follows.follow_theme(fan, "jeugd")
    follows.follow_theme(fan, "onderwijs")
    follows.follow_organisation(fan, org("GM0344"))
    follows.follow_organisation(fan, org("GM0363"))
    save(fan, "jeugdzorg")
    save(fan, "", theme=["jeugd"])
    db.session.commit()
    pilot = publish(make_user("GM0344"), "Jeugdzorg dichtbij", themes=("jeugd", "onderwijs"), partners=["GM0363"])
    assert notes(fan) == [("theme.new_pilot", pilot.id)]


def test_following_needs_a_verified_account_and_a_known_theme():
    with pytest.raises(PermissionDenied):
        follows.follow_theme(make_user(verified=False), "jeugd")
    with pytest.raises(PermissionDenied):
        follows.follow_organisation(make_user(verified=False), org("GM0599"))
    with pytest.raises(NotFound):
        follows.follow_theme(make_user(), "bestaat-niet")


def test_following_lists_everything_and_unfollow_removes_it():
    user = make_user("GM0014")
    pilot = make_pilot(make_user("GM0344"), title="Gevolgd")
    follows.follow(user, pilot)
    follows.follow_theme(user, "wonen")
    follows.follow_theme(user, "jeugd")
    follows.follow_organisation(user, org("GM0599"))
    search = save(user, "parkeren")
    found = follows.following(user)
    assert [p.id for p in found.pilots] == [pilot.id]
    assert found.themes == ["jeugd", "wonen"]  # in the order of the theme list
    assert [o.code for o in found.organisations] == ["GM0599"]
    assert [s.id for s in found.searches] == [search.id]
    assert follows.unfollow_theme(user, "wonen") and follows.unfollow_organisation(user, org("GM0599"))
    assert not follows.unfollow_theme(user, "wonen")
    saved_searches.delete_search(user, search.id)
    db.session.commit()
    found = follows.following(user)
    assert found.themes == ["jeugd"] and found.organisations == [] and found.searches == []
    assert db.session.scalars(select(SavedSearchAnchor)).all() == []


# -- saved searches: matching --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "filters", "expected"),
    [
        ("jeugdzorg", {}, True),  # as written
        ("jongere", {}, True),  # Dutch stemming: jongeren ~ jongere
        ("zorg jeugd", {}, True),  # compound parts: "jeugdzorg" in the text holds both
        ("gesprek aanspreekpunten", {}, True),  # plural and singular both stemmed
        ("zorg", {}, True),  # a part of the compound "jeugdzorg" in the text
        ('"vast aanspreekpunt"', {}, True),  # a phrase
        ("jeugd NOT parkeren", {}, True),
        ("jeugd*", {}, True),
        ("thema:Jeugd", {}, True),
        ("", {"theme": ["jeugd"]}, True),
        ("wijk", {"province": ["Utrecht"]}, True),
        ("parkeervergunning", {}, False),  # the wrong topic
        ("jeugdzorg", {"theme": ["wonen"]}, False),  # the right words, the wrong theme
        ("jeugd NOT school", {}, False),
        ('"aanspreekpunt vast"', {}, False),
    ],
)
def test_saved_search_matches_as_the_search_page_does(query, filters, expected):
    owner = make_user("GM0014")
    save(owner, query, **filters)
    pilot = publish(make_user("GM0344"), "Wijkcoach voor jongeren")
    assert notes(owner) == ([("search.new_match", pilot.id)] if expected else [])


def test_search_page_finds_what_a_saved_search_matches(app):
    """The same words on the search page find the pilot the saved search was told of."""
    from pilotstarter_web.services.fulltext_search import search_service
    from search_index.search_types import SearchRequest

    owner = make_user("GM0014")
    save(owner, "jongere gesprek aanspreekpunten")
    pilot = publish(make_user("GM0344"), "Wijkcoach voor jongeren")
    result, _from_index = search_service().search(SearchRequest(query="jongere gesprek aanspreekpunten"))
    assert [h.id for h in result.hits] == [pilot.id] and not result.broadened
    assert notes(owner) == [("search.new_match", pilot.id)]


def test_saved_search_notification_names_the_search_and_never_the_publisher():
    author = make_user("GM0344")
    owner = make_user("GM0014")
    save(author, "jeugdzorg")
    search = save(owner, "jeugdzorg")
    saved_searches.rename_search(owner, search.id, "Mijn jeugdzorg")
    db.session.commit()
    pilot = publish(author, "Wijkcoach voor jongeren")
    assert notes(author) == []
    note = db.session.scalar(select(Notification).where(Notification.user_id == owner.id))
    assert note.data["search"] == "Mijn jeugdzorg" and note.pilot_id == pilot.id
    assert db.session.scalar(select(NewPilotMatch.done_at)) is not None


def test_a_deleted_pilot_is_never_announced_to_saved_searches():
    from pilotstarter_web.services.pilots import delete_pilot

    owner, author = make_user("GM0014"), make_user("GM0344")
    save(owner, "jeugdzorg")
    pilot = make_pilot(author, title="Wijkcoach voor jongeren", body=YOUTH, themes=["jeugd"])
    delete_pilot(author, pilot)
    db.session.commit()
    saved_search_matching.drain()
    assert notes(owner) == []


def test_matching_is_done_in_bounded_steps_and_a_repeated_step_tells_no_one_twice(monkeypatch):
    owners = [make_user("GM0014") for _ in range(5)]
    for owner in owners:
        save(owner, "jeugdzorg")
    make_pilot(make_user("GM0344"), title="Wijkcoach", body=YOUTH, themes=["jeugd"])
    assert saved_search_matching.match_step(budget=2) is True
    db.session.commit()
    assert sum(len(notes(o)) for o in owners) == 2  # the first two searches
    row = db.session.scalar(select(NewPilotMatch))
    assert row.done_at is None and row.after_search_id > 0
    saved_search_matching.drain()
    assert [len(notes(o)) for o in owners] == [1] * 5
    assert saved_search_matching.drain() == 0  # nothing left, nothing repeated
    assert [len(notes(o)) for o in owners] == [1] * 5


def test_a_step_another_worker_claimed_first_writes_nothing():
    owner = make_user("GM0014")
    search = save(owner, "jeugdzorg")
    make_pilot(make_user("GM0344"), title="Wijkcoach", body=YOUTH, themes=["jeugd"])
    row = db.session.scalar(select(NewPilotMatch))
    read = row.after_search_id
    assert read < search.id  # ids come from a sequence that PostgreSQL does not rewind between tests
    assert saved_search_matching._claim(row.id, read, search.id, done=False)  # the other worker
    assert not saved_search_matching._claim(row.id, read, 10**6, done=True)  # this one read the old bookmark
    db.session.commit()
    assert saved_search_matching.drain() == 1  # goes on from the other worker's bookmark
    assert notes(owner) == []  # the one search was at or below the bookmark the other worker took


def test_cost_guard_only_candidate_searches_are_checked(monkeypatch):
    """10 000 saved searches on other topics: publishing costs one indexed lookup, no exact check each."""
    users = [make_user("GM0014") for _ in range(40)]
    words = ["parkeervergunning", "afvalinzameling", "bijstand", "energiearmoede", "omgevingsvergunning"]
    searches = [
        SavedSearch(user_id=users[i % 40].id, name=f"z{i}", query=f"{words[i % 5]} {i}", filters={})
        for i in range(10_000)
    ]
    db.session.add_all(searches)
    db.session.flush()
    db.session.add_all(SavedSearchAnchor(saved_search_id=s.id, key=f"content:x{s.id}") for s in searches)
    fan = make_user("GM0363")
    match = save(fan, "jeugdzorg")
    checked = []
    real = saved_search_matching.OneDocument.matches
    monkeypatch.setattr(
        saved_search_matching.OneDocument, "matches", lambda self, q: checked.append(q) or real(self, q)
    )
    started = time.process_time()
    pilot = publish(make_user("GM0344"), "Wijkcoach voor jongeren")
    assert time.process_time() - started < 5
    assert len(checked) == 1
    assert notes(fan) == [("search.new_match", pilot.id)]
    assert match.id


# -- saved searches: the rules ---------------------------------------------------------------------------
def test_saving_is_bounded_and_the_same_search_is_kept_once():
    user = make_user("GM0014")
    first, created = saved_searches.save_search(user, "  jeugd   zorg ", {"theme": ["jeugd", "jeugd"], "bogus": ["x"]})
    assert created and first.query == "jeugd zorg" and first.filters == {"theme": ["jeugd"]}
    again, created = saved_searches.save_search(user, "jeugd zorg", {"theme": ["jeugd"]})
    assert not created and again.id == first.id
    with pytest.raises(InvalidInput):
        saved_searches.save_search(user, "x" * (saved_searches.MAX_QUERY + 1), {})
    with pytest.raises(InvalidInput):
        saved_searches.save_search(user, "", {})
    with pytest.raises(InvalidInput):
        saved_searches.save_search(user, "jeugd", {}, name="n" * (saved_searches.MAX_NAME + 1))
    for i in range(saved_searches.MAX_PER_USER - 1):
        saved_searches.save_search(user, f"woord{i}", {})
    with pytest.raises(InvalidInput, match="maximum"):
        saved_searches.save_search(user, "een te veel", {})
    with pytest.raises(PermissionDenied):
        saved_searches.save_search(make_user(verified=False), "jeugd", {})


def test_only_the_owner_renames_or_deletes_a_saved_search():
    owner, other = make_user("GM0014"), make_user("GM0344")
    search = save(owner, "jeugd")
    with pytest.raises(NotFound):
        saved_searches.rename_search(other, search.id, "van mij")
    with pytest.raises(NotFound):
        saved_searches.delete_search(other, search.id)
    with pytest.raises(InvalidInput):
        saved_searches.rename_search(owner, search.id, "   ")
    assert saved_searches.rename_search(owner, search.id, " Jeugd ").name == "Jeugd"


def test_the_command_drains_the_outbox(app, runner):
    owner = make_user("GM0014")
    save(owner, "jeugdzorg")
    pilot = make_pilot(make_user("GM0344"), title="Wijkcoach", body=YOUTH, themes=["jeugd"])
    result = runner.invoke(args=["match-saved-searches"])
    assert result.exit_code == 0 and "1 stappen" in result.output
    db.session.expire_all()
    assert notes(owner) == [("search.new_match", pilot.id)]


def test_a_follower_whose_own_pilot_is_alike_is_told_once():
    """Following the theme and owning a similar pilot: the follow notice, no second "lijkt op uw pilot"."""
    from pilotstarter_web.services import pilot_news

    rotterdam, colleague = make_user("GM0599"), make_user("GM0599")
    body = (
        "## Aanleiding\n\nBewoners melden gaten in de weg met een foto in de app. Een algoritme herkent de schade aan "
        "het wegdek en plant de reparatie door de wegbeheerder.\n"
    )
    make_pilot(colleague, title="Gaten in de weg melden met een foto", body=body, themes=["openbare-ruimte"])
    follows.follow_theme(rotterdam, "openbare-ruimte")
    db.session.commit()
    utrecht = make_user("GM0344")
    new = publish(utrecht, "Gaten in het wegdek melden met een foto", body=body, themes=("openbare-ruimte",))
    assert pilot_news.announce_similar_published(new, utrecht) == 1  # the colleague, not the follower again
    db.session.commit()
    assert notes(rotterdam) == [("theme.new_pilot", new.id)]
    assert [kind for kind, _id in notes(colleague)] == ["pilot.duplicate_published"]


def test_a_step_out_of_time_keeps_its_place(monkeypatch):
    owners = [make_user("GM0014") for _ in range(3)]
    for owner in owners:
        save(owner, "jeugdzorg")
    make_pilot(make_user("GM0344"), title="Wijkcoach", body=YOUTH, themes=["jeugd"])
    monkeypatch.setattr(saved_search_matching, "STEP_SECONDS", -1.0)  # always out of time: one check per step
    assert saved_search_matching.drain(max_steps=1) == 1
    assert [len(notes(o)) for o in owners] == [1, 0, 0]
    assert saved_search_matching.drain() == 2  # one search per step, none twice
    assert [len(notes(o)) for o in owners] == [1, 1, 1]
