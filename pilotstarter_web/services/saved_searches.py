"""Saved searches ("Volg deze zoekopdracht"): the rules for keeping, naming and removing them.

A saved search holds the words and facet filters of a search page; when a new pilot matches it, its owner
is told (saved_search_matching.py). Bounded where it enters: the words, the name, the filters and the number
of searches per person, so no one's saved searches can make another person's publishing slow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_babel import gettext as _
from sqlalchemy import func, select

from search_index.fulltext import FACETS
from search_index.saved_queries import SavedQuery, anchors

from ..extensions import db
from ..models import SavedSearch, SavedSearchAnchor, User
from .errors import InvalidInput, NotFound
from .permissions import require_writer
from .text_input import clean_line, clean_name

MAX_PER_USER = 25
MAX_QUERY = 200  # characters; the search page itself reads at most 500
MAX_NAME = 100
MAX_VALUES = 10  # per facet, as on the search page (search/requests.py)
MAX_VALUE = 100


def clean_filters(filters: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Known facets only, each with at most MAX_VALUES distinct values of at most MAX_VALUE characters."""
    cleaned: dict[str, list[str]] = {}
    for name in FACETS:
        values = [clean_line(v)[:MAX_VALUE] for v in filters.get(name, ())]
        values = list(dict.fromkeys(v for v in values if v))[:MAX_VALUES]
        if values:
            cleaned[name] = values
    return cleaned


def saved_query(search: SavedSearch) -> SavedQuery:
    """The engine's view of a saved search."""
    return SavedQuery(search.query, {k: tuple(v) for k, v in (search.filters or {}).items()})


def count_for(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(SavedSearch).where(SavedSearch.user_id == user.id)) or 0


def find_same(user: User, query: str, filters: dict[str, list[str]]) -> SavedSearch | None:
    """The user's saved search with exactly these words and filters, if any (one of at most MAX_PER_USER)."""
    for search in db.session.scalars(select(SavedSearch).where(SavedSearch.user_id == user.id)):
        if search.query == query and (search.filters or {}) == filters:
            return search
    return None


def save_search(
    user: User, query: str, filters: Mapping[str, Sequence[str]], name: str = ""
) -> tuple[SavedSearch, bool]:
    """Keep a search; the same words and filters again return the one kept before (created False).

    :raise InvalidInput: without words or filters, with words longer than MAX_QUERY, or at MAX_PER_USER.
    """
    require_writer(user)
    query = clean_line(query)
    if len(query) > MAX_QUERY:
        raise InvalidInput(
            _("Een zoekopdracht om te volgen is hoogstens %(n)d tekens lang.", n=MAX_QUERY), {"q": [_("Te lang.")]}
        )
    cleaned = clean_filters(filters)
    if not query and not cleaned:
        raise InvalidInput(_("Zoek eerst op woorden of kies een filter; daarna kunt u de zoekopdracht volgen."))
    if (same := find_same(user, query, cleaned)) is not None:
        return same, False
    if count_for(user) >= MAX_PER_USER:
        raise InvalidInput(
            _(
                "U volgt al %(n)d zoekopdrachten, het maximum. Verwijder er eerst een op de pagina Wat ik volg.",
                n=MAX_PER_USER,
            )
        )
    search = SavedSearch(user_id=user.id, name=_name(name) or _default_name(query, cleaned), query=query)
    search.filters = cleaned
    search.anchors = [SavedSearchAnchor(key=k) for k in sorted(anchors(saved_query(search)))]
    db.session.add(search)
    db.session.flush()
    return search, True


def _name(name: str) -> str:
    name = clean_name(name, "name")
    if len(name) > MAX_NAME:
        raise InvalidInput(_("Een naam is hoogstens %(n)d tekens lang.", n=MAX_NAME), {"name": [_("Te lang.")]})
    return name


def _default_name(query: str, filters: dict[str, list[str]]) -> str:
    """The words typed, or the filter values: what the person searched for, in their own terms."""
    text = query or ", ".join(v for values in filters.values() for v in values)
    return text if len(text) <= MAX_NAME else text[: MAX_NAME - 1] + "…"


def get_own(user: User, search_id: int) -> SavedSearch:
    """:raise NotFound: for an unknown id and for someone else's saved search alike."""
    search = db.session.get(SavedSearch, search_id)
    if search is None or search.user_id != user.id:
        raise NotFound(_("Deze zoekopdracht bestaat niet."))
    return search


def rename_search(user: User, search_id: int, name: str) -> SavedSearch:
    """:raise InvalidInput: for an empty or too long name."""
    require_writer(user)
    search = get_own(user, search_id)
    if not (name := _name(name)):
        raise InvalidInput(_("Geef de zoekopdracht een naam."), {"name": [_("Vul een naam in.")]})
    search.name = name
    db.session.flush()
    return search


def delete_search(user: User, search_id: int) -> None:
    require_writer(user)
    db.session.delete(get_own(user, search_id))
    db.session.flush()


def search_args(search: SavedSearch) -> dict[str, object]:
    """The search page's query arguments for a saved search (its link on "Wat ik volg")."""
    return {"q": search.query, **(search.filters or {})}
