"""The portfolio meetings' calendar feed for VNG staff: make or revoke one's secret link, and the feed itself."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..confirmation import render_confirmation
from ..services import meeting_calendar
from ..services.errors import NotFound
from ..services.permissions import is_curator
from ..transactions import commits
from . import bp


@bp.app_template_global("calendar_link_status")
def calendar_link_status() -> dict:
    """For the meetings page's panel (activity/_calendar_link.html): whether the viewer may have a link, and since when."""
    return {"allowed": is_curator(current_user), "link": meeting_calendar.calendar_link(current_user)}


@bp.post("/portfolio/agenda-link")
@login_required
@commits
def new_calendar_link():
    """Make a new secret link (the old one stops working) and show it, once: only its hash is kept."""
    token = meeting_calendar.new_calendar_link(current_user, request.remote_addr)
    url = url_for("activity.meetings_calendar", token=token, _external=True)
    return render_template("activity/calendar_link.html", url=url)


@bp.get("/portfolio/agenda-link/intrekken", endpoint="confirm_revoke_calendar_link")
@login_required
def confirm_revoke_calendar_link():
    """Asks before the secret link stops working in every calendar app that uses it."""
    return render_confirmation(
        title=_("Agenda-link intrekken"),
        question=_("Weet u zeker dat u uw agenda-link wilt intrekken?"),
        consequence=_(
            "Agenda-apps die de link gebruiken krijgen daarna geen overleggen meer. U kunt altijd een nieuwe link maken."
        ),
        action=url_for("activity.revoke_calendar_link"),
        confirm_label=_("Ja, link intrekken"),
        cancel_url=url_for("portfolio.meetings"),
    )


@bp.post("/portfolio/agenda-link/intrekken")
@login_required
@commits
def revoke_calendar_link():
    """Revoke the link: calendar apps that use it get nothing from now on."""
    if meeting_calendar.revoke_calendar_link(current_user, request.remote_addr):
        flash(_("De agenda-link is ingetrokken. Agenda-apps die hem gebruiken krijgen geen overleggen meer."), "ok")
    return redirect(url_for("portfolio.meetings"))


@bp.get("/agenda/<token>/portfolio-overleg.ics")
def meetings_calendar(token: str):
    """The iCalendar feed. :raise 404: for a wrong or revoked token, or a person no longer VNG staff."""
    try:
        meeting_calendar.user_for_token(token)
    except NotFound:
        abort(404)
    body = meeting_calendar.meetings_calendar(
        meeting_calendar.feed_meetings(), request.host.split(":")[0],
        lambda meeting_id: url_for("portfolio.meeting", meeting_id=meeting_id, _external=True),
    )  # fmt: skip
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = 'inline; filename="portfolio-overleg.ics"'
    response.cache_control.private = True  # the address is a secret: no shared cache may keep it
    response.cache_control.no_store = True
    return response
