"""Partner organisations: the part of :class:`~.model.SimilarityModel` that ranks organisations by how like
a pilot their own pilots are. A mixin: it reads the model's settings and ranks with :mod:`.neighbours`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .duplicate_likelihood import DUPLICATES
from .match_types import PartnerMatch


class Partners:
    """Organisations not taking part in a pilot whose own pilots are most like it."""

    def partners(
        self,
        doc_id: int,
        orgs_of: Mapping[int, Sequence[str]],
        exclude_orgs: Iterable[str] = (),
        limit: int = 5,
    ) -> list[PartnerMatch]:
        """Organisations not taking part in pilot ``doc_id`` (its own ``orgs_of`` entry and ``exclude_orgs``
        are left out) whose own pilots are most like it. An organisation scores its best pilot's cosine,
        raised a little by its next best ones (noisy-or with weight ``partner_bonus``), so one that runs
        several such pilots ranks above one with a single equally close one. Matches below a minimum cosine do not
        count, and an organisation without an informative shared word to show is left out (as for similar
        pilots; the minimum is lower, as an organisation is shown for what its pilots share, not for one
        pilot's closeness: same-system partners written up in other words stay)."""
        q = self._vector_of(doc_id)
        if limit <= 0:
            return []
        skip = {*exclude_orgs, *orgs_of.get(doc_id, ())}
        with self._dense(q) as qd:
            found = self._scored(q, qd, self.settings.partner_pool, {doc_id}, pool=self.settings.partner_pool)
            per_org: dict[str, list[tuple[int, float]]] = {}
            for pilot, score in found:
                if score < DUPLICATES.partner_min_score:
                    break  # no partner from a match that is no evidence (lower than for pilots: see the README)
                for code in dict.fromkeys(orgs_of.get(pilot, ())):
                    if code not in skip:
                        per_org.setdefault(code, []).append((pilot, score))
            ranked = sorted(
                ((self._org_score(pilots), code, pilots) for code, pilots in per_org.items()),
                key=lambda t: (-t[0], t[1]),
            )
            out = []
            for score, code, pilots in ranked:
                best = pilots[: self.settings.partner_pilots]
                reasons: list[str] = []
                for pilot, _ in best:
                    reasons.extend(r for r in self._reasons(qd, pilot) if r not in reasons)
                if reasons:  # an organisation is suggested for words it shares, shown as the reason
                    out.append(PartnerMatch(code, round(min(score, 1.0), 4), reasons[:5], [p for p, _ in best]))
                if len(out) >= limit:
                    break
        return out

    def _org_score(self, pilots: list[tuple[int, float]]) -> float:
        best = pilots[: self.settings.partner_pilots]
        miss = 1.0
        for _pilot, score in best[1:]:
            miss *= 1.0 - self.settings.partner_bonus * max(score, 0.0)
        return 1.0 - (1.0 - best[0][1]) * miss
