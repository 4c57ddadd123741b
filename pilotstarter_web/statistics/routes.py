"""GET /statistieken: the platform in numbers, every chart with the same numbers as a table."""

from __future__ import annotations

from flask import render_template
from flask_babel import format_percent

from ..services import statistics
from . import bp
from .figures import figures


@bp.get("/statistieken")
def index():
    stats = statistics.current()
    return render_template(
        "statistics/index.html", stats=stats, figures=figures(stats),
        share=format_percent(stats.share_percent / 100, "#,##0.#%"),
    )  # fmt: skip
