"""The clusters page: which organisations work on the same thing, and one click to introduce them."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..services.matchmaking import pilot_clusters as service
from ..services.organisations import provinces
from ..transactions import commits
from . import bp


@bp.get("/portfolio/clusters", endpoint="clusters")
@login_required
def index():
    strictness = request.args.get("strictness", "normaal")
    strictness = strictness if strictness in service.STRICTNESS else "normaal"
    province = request.args.get("province", "")[:100]
    found = service.pilot_clusters(current_user, strictness, province)
    return render_template(
        "matchmaking/clusters.html", clusters=found, strictness=strictness, province=province, provinces=provinces(),
        labels=service.STRICTNESS_LABELS,
    )  # fmt: skip


@bp.post("/portfolio/clusters/introduce")
@login_required
@commits
def introduce():
    done = service.introduce(current_user, request.form.getlist("pilot"))
    if done.sent:
        flash(ngettext("%(num)d melding verstuurd.", "%(num)d meldingen verstuurd.", done.sent), "ok")
    if done.unreached:  # say why nobody (or not everybody) heard of it
        flash(
            _(
                "Geen melding voor %(orgs)s: daar heeft nog niemand een geverifieerd account op Pilotstarter.",
                orgs=", ".join(done.unreached),
            ),
            "info" if done.sent else "warning",
        )
    return redirect(
        url_for("matchmaking.clusters", **{k: v for k, v in request.args.items() if k in ("strictness", "province")})
    )
