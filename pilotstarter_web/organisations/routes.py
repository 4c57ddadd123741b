"""Organisation pages: the list with search and filters, and one organisation with its pilots."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from ..request_args import int_arg
from ..services.engagement import organisation_engagement
from ..services.organisations import get_organisation, list_organisations, organisation_members, provinces
from ..services.pilot_queries import owned_and_joined
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
        engagement=engagement,
    )  # fmt: skip
