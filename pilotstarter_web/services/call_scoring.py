"""The selection committee's scores, the ranking and the publication of a call's selection.

Privacy: a committee member sees their own scores, and the other members' scores on a submission only once
they have scored every criterion of it themselves (no anchoring on others). Staff see all scores once the call
is closed (they prepare the selection). Nobody else ever sees individual scores; the public sees the ranking
(weighted averages) and the reasons once the selection is published, and from then on nothing changes
except through a ``correct`` step with a reason.

Conflict of interest: a member whose organisation is on a submission (lead, co-submitter, invited or
confirmed) cannot score it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import CallScore, CallSubmission, ChallengeCall, User, utcnow
from . import audit
from .challenges import (
    InvalidTransition,
    can_manage,
    is_committee,
    public_submissions,
    require_manager,
    step,
    submission_audience,
    text_field,
)
from .errors import InvalidInput, PermissionDenied
from .permissions import require_writer

SCALE = (1, 5)  # scores are whole numbers 1 (weak) to 5 (excellent)
SCORED_STATES = ("ingediend",)


def conflict_of_interest(user: User | None, submission: CallSubmission) -> bool:
    """The user's organisation is on the submission (invited or confirmed)."""
    return getattr(user, "organisation_id", None) in {p.organisation_id for p in submission.partners}


def can_score(user: User | None, submission: CallSubmission) -> bool:
    """Committee members without a conflict score submitted challenges while the call is closed."""
    return (
        is_committee(user, submission.call)
        and not conflict_of_interest(user, submission)
        and submission.call.state == "gesloten"
        and submission.state in SCORED_STATES
    )


def require_score(user: User | None, submission: CallSubmission) -> User:
    """:raise PermissionDenied: for anyone who may not score this submission; :raise InvalidTransition: when
    the call is not in its scoring phase."""
    user = require_writer(user)
    if not is_committee(user, submission.call):
        raise PermissionDenied(_("Alleen leden van de selectiecommissie beoordelen challenges."))
    if conflict_of_interest(user, submission):
        raise PermissionDenied(_("Uw organisatie staat op deze inzending: u kunt hem niet beoordelen."))
    if submission.call.state != "gesloten" or submission.state not in SCORED_STATES:
        raise InvalidTransition(
            _("Beoordelen kan alleen als de oproep gesloten is en de selectie nog niet gepubliceerd.")
        )
    return user


def own_scores(user: User, submission: CallSubmission) -> dict[int, CallScore]:
    """Criterion id -> the user's score on this submission."""
    rows = db.session.scalars(
        select(CallScore).where(CallScore.submission_id == submission.id, CallScore.user_id == user.id)
    )
    return {row.criterion_id: row for row in rows}


def save_scores(user: User | None, submission: CallSubmission, values: dict[int, tuple[Any, str]]) -> list[CallScore]:
    """Store a score and a motivation for every criterion (all of them required), replacing earlier ones."""
    user = require_score(user, submission)
    errors: dict[str, list[str]] = {}
    clean: dict[int, tuple[int, str]] = {}
    for criterion in submission.call.criteria:
        raw, motivation = values.get(criterion.id, ("", ""))
        try:
            score = int(str(raw).strip())
        except (TypeError, ValueError):
            score = 0
        if not SCALE[0] <= score <= SCALE[1]:
            errors[f"score_{criterion.id}"] = [_("Kies een score van %(a)d tot en met %(b)d.", a=SCALE[0], b=SCALE[1])]
        text = (motivation or "").strip()
        if not text or len(text) > 5000:
            errors[f"motivation_{criterion.id}"] = [_("Motiveer de score (hoogstens 5000 tekens).")]
        clean[criterion.id] = (score, text)
    if errors:
        raise InvalidInput(_("Geef elk criterium een score met een motivering."), errors)
    existing = own_scores(user, submission)
    saved = []
    for criterion_id, (score, text) in clean.items():
        row = existing.get(criterion_id) or CallScore(
            submission_id=submission.id, criterion_id=criterion_id, user_id=user.id
        )
        row.score, row.motivation, row.updated_at = score, text, utcnow()
        db.session.add(row)
        saved.append(row)
    audit.record("call.scored", user, "call_submission", submission.id, call=submission.call.slug)
    db.session.flush()
    return saved


def has_scored(user: User | None, submission: CallSubmission) -> bool:
    """The user scored every criterion of this submission (then they may see the others' scores)."""
    return user is not None and len(own_scores(user, submission)) >= len(submission.call.criteria) > 0


def visible_scores(viewer: User | None, submission: CallSubmission) -> list[CallScore]:
    """The individual scores this viewer may read (see the module's docstring); the public gets none."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return []
    query = select(CallScore).where(CallScore.submission_id == submission.id).order_by(CallScore.user_id, CallScore.id)
    if can_manage(viewer) and submission.call.state in ("gesloten", "selectie_gepubliceerd"):
        return list(db.session.scalars(query))
    if is_committee(viewer, submission.call) and has_scored(viewer, submission):
        return list(db.session.scalars(query))
    return list(db.session.scalars(query.where(CallScore.user_id == viewer.id)))


@dataclass
class RankRow:
    """One line of the ranking."""

    submission: CallSubmission
    score: float | None  # weighted average on the scale, None while nobody scored
    per_criterion: dict[int, float] = field(default_factory=dict)  # criterion id -> mean score
    scorers: int = 0


def weighted_average(call: ChallengeCall, means: dict[int, float]) -> float | None:
    """Σ wᵢ·meanᵢ / Σ wᵢ over the criteria that have scores (weights normalised to sum to 1)."""
    weights = {c.id: c.weight for c in call.criteria if c.id in means and c.weight > 0}
    total = sum(weights.values())
    return sum(weights[cid] * means[cid] for cid in weights) / total if total else None


def ranking(call: ChallengeCall) -> list[RankRow]:
    """Every scored or scorable submission, best first (unscored last, then by submission order)."""
    rows = []
    for submission in public_submissions(call):
        scores = list(db.session.scalars(select(CallScore).where(CallScore.submission_id == submission.id)))
        by_criterion: dict[int, list[int]] = {}
        for s in scores:
            by_criterion.setdefault(s.criterion_id, []).append(s.score)
        means = {cid: sum(v) / len(v) for cid, v in by_criterion.items()}
        rows.append(RankRow(submission, weighted_average(call, means), means, len({s.user_id for s in scores})))
    return sorted(rows, key=lambda r: (r.score is None, -(r.score or 0), r.submission.id))


def require_ranking_view(user: User | None, call: ChallengeCall) -> None:
    """Before publication only staff see the ranking, and only once the call is closed."""
    require_manager(user)
    if call.state not in ("gesloten", "selectie_gepubliceerd"):
        raise InvalidTransition(_("De rangorde is er pas als de oproep gesloten is."))


def publish(user: User | None, call: ChallengeCall, decisions: dict[int, tuple[bool, str]]) -> None:
    """Staff publish the selection: every submitted challenge selected or not, each with a public reason.

    Selected ones open for proposals at once. The ranking (weighted averages) is stored with them, so what was
    published never changes afterwards, even if a score row were touched.
    """
    user = require_manager(user)
    if call.state != "gesloten":
        raise InvalidTransition(_("Publiceren kan alleen als de oproep gesloten is en nog niet gepubliceerd."))
    rows = ranking(call)
    errors = {}
    for row in rows:
        _selected, reason = decisions.get(row.submission.id, (False, ""))
        if not (reason or "").strip():
            errors[f"reason_{row.submission.id}"] = [_("Geef de reden voor deze challenge.")]
    if errors:
        raise InvalidInput(_("Geef voor elke challenge de reden van de keuze."), errors)
    for position, row in enumerate(rows, start=1):
        selected, reason = decisions[row.submission.id]
        submission = row.submission
        submission.decision_reason = text_field(reason, f"reason_{submission.id}", "")
        submission.rank, submission.score = position, round(row.score, 3) if row.score is not None else None
        outcome = _("geselecteerd") if selected else _("niet geselecteerd")
        step(
            user, call, "select" if selected else "reject", submission, reason=submission.decision_reason,
            notify_kind="call.selection_published", recipients=submission_audience(submission), outcome=outcome,
        )  # fmt: skip
        if selected:
            step(user, call, "open_proposals", submission)
    call.published_at = utcnow()
    step(user, call, "publish")


def correct(user: User | None, call: ChallengeCall, submission: CallSubmission, selected: bool, reason: str) -> None:
    """Change a published decision: only as its own, audited step with a reason (shown with the decision)."""
    user = require_manager(user)
    text = text_field(reason, "reason", _("Geef de reden van de correctie."))
    if submission.call_id != call.id or any(p.state == "aanvaard" for p in submission.proposals):
        raise InvalidTransition(_("Deze beslissing kan niet meer worden gecorrigeerd."))
    step(user, call, "correct", reason=text)
    step(user, call, "select" if selected else "reject", submission, reason=text)
    submission.decision_reason = text
    if selected:
        step(user, call, "open_proposals", submission)


def published_ranking(call: ChallengeCall) -> list[CallSubmission]:
    """What the public sees after publication: the ranked submissions with score, decision and reason."""
    if call.state != "selectie_gepubliceerd":
        return []
    return sorted((s for s in call.submissions if s.rank is not None), key=lambda s: s.rank)
