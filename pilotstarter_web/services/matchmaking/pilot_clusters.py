"""Clusters for VNG staff: groups of similar pilots across organisations, to bring them together.

The groups come from search_index/matchmaking/clusters.py over the worker's similarity model. Computing them asks every
pilot for its nearest neighbours, so the result is kept per model state (model file, last change applied,
strictness) and only computed again after a change.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from search_index.matchmaking.clusters import Cluster, clusters

from ...extensions import db
from ...models import Organisation, Pilot, User
from .. import audit, notifications, permissions
from ..errors import InvalidInput
from .similarity import similarity_service

# strictness -> quantile of the nearest-neighbour scores a link must reach (see search_index/matchmaking/clusters.py)
STRICTNESS = {"ruim": 0.5, "normaal": 0.6, "streng": 0.75}
STRICTNESS_LABELS = {"ruim": _l("Ruim"), "normaal": _l("Normaal"), "streng": _l("Streng")}

notifications.register(
    "cluster.introduced",
    _l("VNG brengt u in contact met %(others)s: zij werken aan hetzelfde als uw pilot %(pilot)s (%(topic)s)"),
)

_cache: dict[tuple[str, int, float], list[Cluster]] = {}
_cache_lock = threading.Lock()


@dataclass
class ClusterView:
    """A cluster with its pilots and organisations loaded, as the page and the API show it."""

    key: str  # stable while the group is unchanged: its pilots' slugs
    pilots: list[Pilot]
    organisations: list[Organisation]
    cohesion: float
    terms: list[str]


def require_curator(user: User | None) -> User:
    """VNG staff and admins see clusters and introduce organisations to each other."""
    return permissions.require_curator(user, _("Alleen VNG-medewerkers en beheerders zien de clusters."))


def pilot_clusters(user: User | None, strictness: str = "normaal", province: str = "") -> list[ClusterView]:
    """The groups, most organisations first; ``province`` keeps groups with an organisation there."""
    require_curator(user)
    quantile = STRICTNESS.get(strictness, STRICTNESS["normaal"])
    loaded = similarity_service().model()
    if loaded is None:
        return []
    key = (loaded.name, loaded.state.last_id, quantile)
    with _cache_lock:
        found = _cache.get(key)
        if found is None:
            found = clusters(loaded.model, loaded.orgs, quantile=quantile)
            _cache.clear()  # one model state at a time
            _cache[key] = found
    views = _load(found)
    if province:
        views = [v for v in views if any(o.province == province for o in v.organisations)]
    return views


def _load(found: list[Cluster]) -> list[ClusterView]:
    ids = {p for c in found for p in c.pilots}
    codes = {o for c in found for o in c.organisations}
    pilots = {p.id: p for p in db.session.scalars(select(Pilot).where(Pilot.id.in_(ids), Pilot.deleted_at.is_(None)))}
    orgs = {o.code: o for o in db.session.scalars(select(Organisation).where(Organisation.code.in_(codes)))}
    views = []
    for c in found:
        live = [pilots[p] for p in c.pilots if p in pilots]
        owners = [orgs[code] for code in c.organisations if code in orgs]
        if len(live) >= 2 and len({p.owner_id for p in live}) >= 2:
            views.append(ClusterView("+".join(sorted(p.slug for p in live)), live, owners, c.cohesion, c.terms))
    return views


@dataclass
class Introduction:
    sent: int  # notifications written
    unreached: list[str]  # organisations without a verified member: nobody there could be told


def introduce(user: User, slugs: list[str]) -> Introduction:
    """Tell the members of every organisation in a cluster about the others (one notification each, on
    their own pilot). The result names the organisations nobody could be told at, so the page can say why."""
    require_curator(user)
    pilots = list(db.session.scalars(select(Pilot).where(Pilot.slug.in_(slugs[:50]), Pilot.deleted_at.is_(None))))
    owners = {p.owner_id: p for p in sorted(pilots, key=lambda p: p.id)}
    if len(owners) < 2:
        raise InvalidInput(_("Kies minstens twee pilots van verschillende organisaties."))
    topic = ", ".join(dict.fromkeys(p.title for p in pilots))[:200]
    sent, unreached = 0, []
    for org_id, pilot in owners.items():
        others = ", ".join(p.owner.display_name for o, p in owners.items() if o != org_id)
        members = notifications.verified_members([org_id])
        if not [m for m in members if m.id != user.id]:
            unreached.append(pilot.owner.display_name)
        sent += notifications.notify(members, "cluster.introduced", actor=user, pilot=pilot, others=others, topic=topic)
    audit.record("cluster.introduced", user, "cluster", "+".join(sorted(p.slug for p in pilots))[:254],
                 organisations=len(owners), notifications=sent)  # fmt: skip
    return Introduction(sent, unreached)
