"""A challenge call at any stage, built through the services (used by the service and page tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from pilotstarter_web.extensions import db
from pilotstarter_web.models import CallSubmission, ChallengeCall, User
from pilotstarter_web.services import call_admin, call_scoring, call_submissions, challenges
from pilotstarter_web.services.call_admin import CallData
from pilotstarter_web.services.pilots import PilotText
from tests.factories import make_user, org

BODY = (
    "## Probleem\n\nInwoners wachten te lang op antwoord over hun aanvraag.\n\n## Gezocht\n\nEen oplossing die werkt.\n"
)


@dataclass
class CallWorld:
    staff: User
    lead: User  # Utrecht
    co: User  # Amersfoort
    other: User  # Rotterdam: a government not on the submission
    supplier: User  # Datalab Noord
    judges: list[User]  # Amsterdam and VNG
    conflicted: User  # on the committee, from Amersfoort
    call: ChallengeCall
    submissions: list[CallSubmission] = field(default_factory=list)


def make_world(criteria: list[tuple[str, int]] | None = None) -> CallWorld:
    """An open call (today until a month from now) with a committee of three; nothing submitted yet."""
    staff = make_user("vng", role="vng_staff", email="staf@vng.example")
    world = CallWorld(
        staff=staff, lead=make_user("GM0344", email="lead@utrecht.example"),
        co=make_user("GM0307", email="co@amersfoort.example"), other=make_user("GM0599", email="r@rotterdam.example"),
        supplier=make_user("datalab-noord", email="p@datalab.example"),
        judges=[make_user("GM0363", email="j1@amsterdam.example"), make_user("vng", email="j2@vng.example")],
        conflicted=make_user("GM0307", email="j3@amersfoort.example"),
        call=call_admin.create_call(
            staff, CallData(
                title="Innovatieoproep 2027", description="Dien **samen** een challenge in.", opens_on=date.today(),
                closes_on=date.today() + timedelta(days=30), min_cofunding=20, budget=500_000,
                criteria=criteria or [("Onderscheidend vermogen", 3), ("Missie", 1)],
            ),
        ),
    )  # fmt: skip
    for user in [*world.judges, world.conflicted]:
        call_admin.add_committee_member(staff, world.call, user.email)
    challenges.open_call(staff, world.call)
    db.session.commit()
    return world


def start(world: CallWorld, title: str = "Sneller antwoord op aanvragen", pledge: int = 10) -> CallSubmission:
    submission = call_submissions.start_submission(
        world.lead, world.call, pledge, text=PilotText(title, "Een challenge van Utrecht.", BODY)
    )
    db.session.commit()
    world.submissions.append(submission)
    return submission


def submitted(world: CallWorld, title: str = "Sneller antwoord op aanvragen") -> CallSubmission:
    """Utrecht leads, Amersfoort confirms with 10 %: 20 % together, the call's minimum."""
    submission = start(world, title)
    call_submissions.invite(world.lead, submission, org("GM0307"))
    call_submissions.confirm(world.co, submission, 10)
    call_submissions.submit(world.lead, submission)
    db.session.commit()
    return submission


def score_all(user: User, submission: CallSubmission, scores: list[int]) -> None:
    values = {c.id: (s, f"Motivering {s}") for c, s in zip(submission.call.criteria, scores, strict=True)}
    call_scoring.save_scores(user, submission, values)
    db.session.commit()
