"""Organisation pages: the list with search and filters, one organisation with its pilots, following one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..account.following_routes import back_from_unfollow
from ..request_args import int_arg
from ..services import follows
from ..services.engagement import organisation_engagement
from ..services.organisations import get_organisation, list_organisations, organisation_members, provinces
from ..services.pilot_queries import owned_and_joined
from ..transactions import commits
from . import bp

KINDS = ("municipality", "supplier", "association", "other")


@bp.get("")
def index():
    q = request.args.get("q", "")[:100].strip()
    kind = request.args.get("kind", "") if request.args.get("kind") in KINDS else ""
    province = request.args.get("province", "")[:100]
    page = int_arg("page")
    rows, total = list_organisations(q, kind, province, page)
    pages = max((total + 49) // 50, 1)
    return render_template(
        "organisations/index.html", rows=rows, total=total, q=q, kind=kind, province=province, page=page,
        pages=pages, provinces=provinces(),
    )  # fmt: skip


@bp.get("/<code>")
def view(code: str):
    """An organisation with its own pilots, the pilots it takes part in, its members, and organisations to
    work with (those whose pilots are most like its own; ?province= narrows them)."""
    org = get_organisation(code)
    owned, joined = owned_and_joined(org)
    engagement = organisation_engagement(org, current_user, request.args.get("province", "")[:100])
    return render_template(
        "organisations/view.html", org=org, owned=owned, joined=joined, members=organisation_members(org),
        engagement=engagement, following=follows.is_following_organisation(current_user, org),
    )  # fmt: skip


@bp.post("/<code>/volgen")
@login_required
@commits
def follow(code: str):
    """Follow an organisation: told when it starts or joins a pilot."""
    org = get_organisation(code)
    follows.follow_organisation(current_user, org)
    flash(_("U volgt %(org)s. U krijgt een melding als zij een pilot starten of meedoen.", org=org.display_name), "ok")
    return redirect(url_for("organisations.view", code=org.code))


@bp.post("/<code>/niet-meer-volgen")
@login_required
@commits
def unfollow(code: str):
    org = get_organisation(code)
    follows.unfollow_organisation(current_user, org)
    flash(_("U volgt %(org)s niet meer.", org=org.display_name), "ok")
    return back_from_unfollow(url_for("organisations.view", code=org.code))
