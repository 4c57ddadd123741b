"""A small, fully known data set for the statistics tests (service, pages, API, browser).

Visible pilots (created): P1 Utrecht 2025-01-10 [data, zorg] lopend, partner Rotterdam (imported) and a supplier,
Groningen joined it on 2025-02-14 (its own doing, dated by the join, not by the pilot);
P2 Utrecht 2025-01-20 [data] idee; P3 Rotterdam 2025-03-05 [jeugd] afgerond, partner Utrecht (imported);
P5 Amsterdam 2025-04-01 [data] lopend, Groningen only interested, Antwerpen listed by Amsterdam without consent;
P6 Groningen 2025-04-20 [zorg] gestopt. Hidden: P4 Utrecht 2025-03-15 (deleted; Enschede partner) and P7 (merged).

Scale-up: P1 nominated, decided opschalen 10 days later; P3 decided niet_nu 20 days after its nomination,
nominated again and decided niet_nu 31 days later; P5 flagged without a nomination and decided opschalen;
P4 decided opschalen 5 days after its nomination, then deleted.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Participation, ScaleUpTransition
from pilotstarter_web.services import portfolio, scaleup
from pilotstarter_web.services.participation import join_pilot
from pilotstarter_web.services.pilots import delete_pilot
from tests.factories import make_pilot, make_user, org

NOMINATED = datetime(2025, 6, 1, 10, 0)


def _dated(pilot, when: datetime):
    pilot.created_at = pilot.updated_at = when
    return pilot


def _decide(staff, owner, pilot, meeting, decision: str, days: int | None) -> None:
    """Nominate (unless ``days`` is None: flagged without one), flag, schedule and decide; the nomination at
    NOMINATED and the decision ``days`` later."""
    if days is not None:
        scaleup.nominate(owner, pilot, "Werkt goed.")
    scaleup.flag(staff, pilot, "Opschaalbaar")
    scaleup.schedule(staff, pilot, meeting.id)
    scaleup.decide(staff, pilot, decision, "Besluit", questions="Welke kosten?")
    db.session.flush()
    review_id = scaleup.current_review(pilot).id
    steps = db.session.scalars(select(ScaleUpTransition).where(ScaleUpTransition.review_id == review_id)).all()
    for step in steps:
        step.created_at = NOMINATED + (timedelta(days=days) if step.action == "decide" and days else timedelta())


def build() -> dict:
    """The data set, committed; returns the pilots by name."""
    utrecht, rotterdam = make_user("GM0344"), make_user("GM0599")
    amsterdam, groningen = make_user("GM0363"), make_user("GM0014")
    staff = make_user("vng", role="vng_staff")
    p1 = make_pilot(utrecht, title="Slimme lantaarnpalen", themes=["data", "zorg"], status="lopend",
                    partners=["GM0599", "datalab-noord"])  # fmt: skip
    p2 = make_pilot(utrecht, title="Open data dashboard", themes=["data"], status="idee")
    p3 = make_pilot(rotterdam, title="Jongerenloket", themes=["jeugd"], status="afgerond", partners=["GM0344"])
    p4 = make_pilot(utrecht, title="Verwijderde pilot", themes=["jeugd"], partners=["GM0153"])
    p5 = make_pilot(amsterdam, title="Parkeren met een app", themes=["data"], status="lopend")
    p6 = make_pilot(groningen, title="Wmo-chatbot", themes=["zorg"], status="gestopt")
    p7 = make_pilot(groningen, title="Dubbele chatbot", themes=["zorg"], status="lopend")
    for pilot, when in ((p1, "2025-01-10"), (p2, "2025-01-20"), (p3, "2025-03-05"), (p4, "2025-03-15"),
                        (p5, "2025-04-01"), (p6, "2025-04-20"), (p7, "2025-04-21")):  # fmt: skip
        _dated(pilot, datetime.fromisoformat(when + "T09:00"))
    join_pilot(groningen, p1).created_at = datetime(2025, 2, 14, 12, 0)
    join_pilot(groningen, p5, interest_only=True)
    db.session.add(Participation(pilot=p5, organisation=org("BE11002"), role="partner", created_by_id=amsterdam.id))
    meeting = portfolio.create_meeting(staff, date(2025, 6, 20), "Portfolio-overleg juni")
    _decide(staff, utrecht, p1, meeting, "opschalen", 10)
    _decide(staff, rotterdam, p3, meeting, "niet_nu", 20)
    _decide(staff, rotterdam, p3, meeting, "niet_nu", 31)
    _decide(staff, amsterdam, p5, meeting, "opschalen", None)
    _decide(staff, utrecht, p4, meeting, "opschalen", 5)
    delete_pilot(utrecht, p4)
    p7.merged_at = p7.deleted_at = datetime(2025, 5, 1)
    p7.duplicate_of_id = p6.id
    db.session.commit()
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5, "p6": p6, "p7": p7}
