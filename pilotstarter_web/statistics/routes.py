"""GET /statistieken: the platform in numbers, every chart with the same numbers as a table."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import format_percent

from ..services import statistics
from . import bp
from .figures import figures

MAP_PATH = "/kaart"  # the map of municipalities, built on its own branch


def _map_url() -> str | None:
    """The map page's address once the app has it: the link appears by itself when that feature is merged."""
    return MAP_PATH if any(rule.rule == MAP_PATH for rule in current_app.url_map.iter_rules()) else None


@bp.get("/statistieken")
def index():
    stats = statistics.current()
    return render_template(
        "statistics/index.html", stats=stats, figures=figures(stats), map_url=_map_url(),
        share=format_percent(stats.share_percent / 100, "#,##0.#%"),
    )  # fmt: skip
