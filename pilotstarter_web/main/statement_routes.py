"""The pages every Dutch government site is expected to have: accessibility and privacy statements, contact,
colophon; and the favicon at the address browsers ask for without being told."""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template, send_from_directory

from . import bp

# The date the statements were last checked against the site; shown on both, change it with their text.
STATEMENTS_CHECKED = date(2026, 12, 6)


def _statement(template: str):
    return render_template(
        f"main/statements/{template}.html",
        contact_email=current_app.config["CONTACT_EMAIL"],
        checked=STATEMENTS_CHECKED,
    )


@bp.get("/toegankelijkheid")
def accessibility():
    """Toegankelijkheidsverklaring, in the structure of the Dutch model statement (status, scope, known
    issues, contact)."""
    return _statement("accessibility")


@bp.get("/privacy")
def privacy():
    """Privacyverklaring: what is stored, how long, and the visitor's rights under the AVG."""
    return _statement("privacy")


@bp.get("/contact")
def contact():
    return _statement("contact")


@bp.get("/colofon")
def colophon():
    """Who makes the site, and the open-source work and data it stands on (with their licences)."""
    return _statement("colophon")


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says: answer it rather than log a 404 per visit."""
    return send_from_directory(
        current_app.static_folder + "/icons", "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400
    )
