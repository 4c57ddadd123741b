"""Groups of mutually similar pilots across organisations ("6 gemeenten werken aan een chatbot voor de Wmo").

Built on the similarity model, without Flask. Two pilots are linked when each is among the other's
``k`` nearest neighbours and their cosine reaches ``min_score`` (a *mutual* nearest-neighbour graph: one
broad pilot that resembles many others cannot chain unrelated topics into one giant group). Cosines depend
on the corpus and the model's settings, so the default threshold is relative: a link must be at least as
close as the nearest neighbour of ``quantile`` of all pilots (0.6: closer than 60% of the pilots are to
theirs). On the demo pilots that keeps the real groups (overlijden/uitvaart, parkeren, pleegzorg) and
stops the chaining that a fixed low threshold lets through. A link must also be at least ``SIDE_LINK`` (3/4)
of the best cosine of either pilot: a pilot joins a group through a link as close as the group's own, not
through a weaker side link ("digitale aangifte toeristenbelasting" beside the overlijdensaangifte group,
which shares only "digitale aangifte"). Groups are
the connected parts of that graph; only those spanning at least ``min_orgs`` organisations are kept,
because the point is to bring different organisations together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .model import SimilarityModel

NEIGHBOURS = 5
QUANTILE = 0.6
SIDE_LINK = 0.75  # a link is at least this share of the closer pilot's best cosine


@dataclass
class Cluster:
    pilots: list[int]  # best connected first
    organisations: list[str]  # distinct codes, in the order of the pilots
    cohesion: float  # mean cosine of the links inside the group
    terms: list[str] = field(default_factory=list)  # the words the links share most, the group's topic


def clusters(
    model: SimilarityModel,
    orgs_of: Mapping[int, Sequence[str]],
    min_score: float | None = None,
    min_orgs: int = 2,
    k: int = NEIGHBOURS,
    quantile: float = QUANTILE,
) -> list[Cluster]:
    """The groups of the model's pilots, most organisations first, then the closest-knit.

    ``orgs_of`` gives each pilot's organisation codes, owner first: a pilot counts for its owner.
    ``min_score`` overrides the relative threshold set by ``quantile`` (see the module docstring).
    """
    ids = model.ids
    nearest = {i: model.similar(i, limit=k) for i in ids}
    if min_score is None:
        # each pilot's nearest cosine, listed or not (the scale of this corpus, not only of its listed pairs)
        firsts = [best[0][1] for best in (model.ranked_parts(i, 1) for i in ids) if best]
        min_score = float(np.quantile(firsts, quantile)) if firsts else 1.0
    neighbours = {i: {m.id: m for m in found if m.score >= min_score} for i, found in nearest.items()}
    parent = {i: i for i in ids}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    best = {i: max((m.score for m in found), default=0.0) for i, found in nearest.items()}
    links: list[tuple[int, int, float, list[str]]] = []
    for i, found in neighbours.items():
        for j, match in found.items():
            if i < j and i in neighbours.get(j, {}) and match.score >= SIDE_LINK * max(best[i], best[j]):
                links.append((i, j, match.score, match.reasons))
                parent[root(i)] = root(j)

    members: dict[int, list[int]] = {}
    for i in ids:
        members.setdefault(root(i), []).append(i)
    by_group: dict[int, list[tuple[int, int, float, list[str]]]] = {}
    for link in links:
        by_group.setdefault(root(link[0]), []).append(link)

    found_groups = []
    for group, pilots in members.items():
        if len(pilots) < 2:
            continue
        owners = list(dict.fromkeys(orgs_of[p][0] for p in pilots if orgs_of.get(p)))
        if len(owners) < min_orgs:
            continue
        group_links = by_group.get(group, [])
        degree: Counter[int] = Counter()
        words: Counter[str] = Counter()
        for i, j, score, reasons in group_links:
            degree[i] += score
            degree[j] += score
            for rank, word in enumerate(reasons):
                words[word] += score / (rank + 1)
        ordered = sorted(pilots, key=lambda p: (-degree[p], p))
        owners = list(dict.fromkeys(orgs_of[p][0] for p in ordered if orgs_of.get(p)))
        cohesion = sum(link[2] for link in group_links) / len(group_links)
        found_groups.append(Cluster(ordered, owners, round(cohesion, 4), [w for w, _ in words.most_common(6)]))
    found_groups.sort(key=lambda c: (-len(c.organisations), -c.cohesion, c.pilots[0]))
    return found_groups
