"""What an activity item says, in words: one sentence per kind, shared by the page and the feeds."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from ..services.activity import ActivityItem
from ..services.adoptions import STAGE_LABELS
from ..services.scaleup import ACTION_LABELS, STATE_LABELS
from ..services.themes import ROLE_LABELS


def headline(item: ActivityItem) -> str:
    """The item without its pilot's title ("3 bewerkingen door Anna"). Work done by the content import at
    the start of the platform reads as such, never as a file name or a user called "import"."""
    if item.kind == "pilot" and item.entry_type == "best_practice":
        if item.actor is None:
            return _("Best practice van %(org)s, toegevoegd bij de start van Pilotstarter", org=item.organisation)
        return _("Nieuwe best practice van %(org)s, geplaatst door %(who)s", org=item.organisation, who=item.actor)
    if item.kind == "pilot" and item.entry_type == "challenge":
        if item.actor is None:
            return _("Challenge van %(org)s, toegevoegd bij de start van Pilotstarter", org=item.organisation)
        return _("Nieuwe challenge van %(org)s, geplaatst door %(who)s", org=item.organisation, who=item.actor)
    if item.kind == "pilot":
        if item.actor is None:
            return _("Pilot van %(org)s, toegevoegd bij de start van Pilotstarter", org=item.organisation)
        return _("Nieuwe pilot van %(org)s, geplaatst door %(who)s", org=item.organisation, who=item.actor)
    if item.kind == "edit":
        if item.actor is None:
            return _("Bijgewerkt met de startinhoud van Pilotstarter")
        if item.count == 1:
            return _("Bewerkt door %(who)s", who=item.actor)
        return ngettext(
            "%(num)d bewerking door %(who)s", "%(num)d bewerkingen door %(who)s", item.count, who=item.actor
        )
    if item.kind == "join":
        return _("%(org)s doet mee als %(role)s", org=item.organisation, role=str(ROLE_LABELS[item.role]).lower())
    if item.kind == "scaleup":
        step = str(ACTION_LABELS.get(item.action, item.action))
        if item.action == "decide":
            step = f"{step}: {STATE_LABELS.get(item.state, item.state)}"
        if item.meeting:
            step = _("%(step)s (%(meeting)s)", step=step, meeting=item.meeting)
        return _("Opschaling: %(step)s", step=step)
    if item.kind == "comment":
        return _("Reactie van %(who)s", who=item.actor)
    if item.kind == "adoption":
        stage = str(STAGE_LABELS.get(item.state, item.state)).lower()
        if item.action == "declare":
            return _("%(org)s neemt dit over (%(stage)s)", org=item.organisation, stage=stage)
        return _("Overname door %(org)s: nu %(stage)s", org=item.organisation, stage=stage)
    return item.kind
