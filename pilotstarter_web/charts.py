"""Accessible charts as inline SVG, rendered on the server: no chart library, no JavaScript, nothing fetched.

Every chart is ``role="img"`` named by its ``<title>`` and ``<desc>`` (a summary in words), scales with its
column (viewBox, width 100 % in static/css/statistics.css) with fonts that stay legible at 375 px, prints every
value or label it shows instead of relying on colour, and follows forced colours through CSS classes. Pages put
the same numbers in a table under each chart. Every label is escaped here: theme and organisation names are data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import format_number
from flask_babel import gettext as _
from markupsafe import Markup, escape

WIDTH = 400  # viewBox units; CSS caps the drawn width, so one unit is at most 1.2 px on a wide screen
FONT = 14  # at 375 px the chart is drawn at ~0.85 scale: about 12 px
CHAR = 7.6  # estimated width of a character at FONT, to make room for labels and values
MAX_LABEL = 48  # longer labels are cut with "…" in the chart (the full text is in its tooltip and the table)
ROW = 46  # horizontal bars: label line, bar, gap
BAR = 18
PLOT_HEIGHT = 180  # timeline: height of the plotting area
MAX_X_LABELS = 4
SUMMARY_ITEMS = 5  # the description names this many categories, then "and N more"


@dataclass
class Bar:
    label: str
    value: float
    text: str = ""  # the value as printed; the number in the page's locale when empty

    @property
    def shown(self) -> str:
        return self.text or format_number(self.value)


def _cut(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at least ``value``, so an axis ends on a round number."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1) if value >= 1 else 1
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _svg(chart_id: str, title: str, desc: str, height: float, body: list[str]) -> Markup:
    head = (
        f'<svg class="chart" id="{escape(chart_id)}" role="img" viewBox="0 0 {WIDTH} {height:g}" '
        f'aria-labelledby="{escape(chart_id)}-titel {escape(chart_id)}-beschrijving" font-size="{FONT}" '
        'xmlns="http://www.w3.org/2000/svg" focusable="false" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{escape(chart_id)}-titel">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-beschrijving">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 -- every label and value above went through escape()


def summary(bars: Sequence[Bar]) -> str:
    """The categories in words for a chart's description: "Data: 5, Jeugd: 3 en 4 andere"."""
    named = ", ".join(f"{b.label}: {b.shown}" for b in bars[:SUMMARY_ITEMS])
    rest = len(bars) - SUMMARY_ITEMS
    return _("%(items)s en %(n)s andere", items=named, n=format_number(rest)) if rest > 0 else named


def horizontal_bars(chart_id: str, title: str, desc: str, bars: Sequence[Bar]) -> Markup:
    """One bar per category, its label above it and its value after it: long labels fit on a phone."""
    longest_value = max((len(b.shown) for b in bars), default=1)
    room = min(longest_value * CHAR + 8, WIDTH / 2)
    top = max((b.value for b in bars), default=0) or 1
    body = []
    for i, bar in enumerate(bars):
        y = i * ROW
        width = max(bar.value, 0) / top * (WIDTH - room)
        body.append(
            f'<g class="chart__row"><title>{escape(bar.label)}: {escape(bar.shown)}</title>'
            f'<text class="chart__text" x="0" y="{y + FONT:g}" fill="#111827">{escape(_cut(bar.label))}</text>'
            f'<rect class="chart__bar" x="0" y="{y + FONT + 5:g}" width="{width:.1f}" height="{BAR}" fill="#1d4f91"/>'
            f'<text class="chart__text chart__value" x="{width + 6:.1f}" y="{y + FONT + 5 + BAR - 4:g}" '
            f'fill="#111827">{escape(bar.shown)}</text></g>'
        )
    return _svg(chart_id, title, desc, max(len(bars), 1) * ROW, body)


def _x_label_indexes(count: int) -> list[int]:
    if count <= MAX_X_LABELS:
        return list(range(count))
    step = (count - 1) / (MAX_X_LABELS - 1)
    return sorted({round(i * step) for i in range(MAX_X_LABELS)})


def timeline(chart_id: str, title: str, desc: str, new: Sequence[Bar], cumulative: Sequence[float]) -> Markup:
    """New per period as bars and the running total as a line, on one axis (the total is never below a
    period's new count); a legend says which is which in words and shapes, not colour alone."""
    top = nice_ceiling(max(cumulative, default=0))
    ticks = [0, top / 2, top] if top % 2 == 0 or top < 1 else [0, top]  # no "2,5 pilots" halfway up
    tick_texts = [format_number(t) for t in ticks]
    left = min(max(len(t) for t in tick_texts) * CHAR + 8, WIDTH / 3)
    legend_y, plot_top = FONT, 2 * FONT + 20  # room above the plot for the legend and the last total
    base = plot_top + PLOT_HEIGHT
    slot = (WIDTH - left - 4) / max(len(new), 1)

    def y_of(value: float) -> float:
        return base - value / top * PLOT_HEIGHT

    body = [
        f'<g class="chart__legend"><rect class="chart__swatch" x="0" y="{legend_y - 10}" width="12" '
        f'height="10" fill="#3b6fb6"/><text class="chart__text" x="16" y="{legend_y}" fill="#111827">'
        f'{escape(_("staaf: nieuw"))}</text><line class="chart__line" x1="{WIDTH / 2:g}" y1="{legend_y - 5}" '
        f'x2="{WIDTH / 2 + 16:g}" y2="{legend_y - 5}" stroke="#111827" stroke-width="2.5"/>'
        f'<text class="chart__text" x="{WIDTH / 2 + 20:g}" y="{legend_y}" fill="#111827">'
        f"{escape(_('lijn: totaal'))}</text></g>"
    ]
    for tick, text in zip(ticks, tick_texts, strict=True):
        y = y_of(tick)
        body.append(
            f'<line class="chart__grid" x1="{left:.1f}" y1="{y:.1f}" x2="{WIDTH}" y2="{y:.1f}" stroke="#6b7280" '
            f'stroke-width="0.5"/><text class="chart__text chart__axis" x="{left - 4:.1f}" y="{y + 4:.1f}" '
            f'text-anchor="end" fill="#111827">{escape(text)}</text>'
        )
    points = []
    for i, bar in enumerate(new):
        x = left + i * slot
        height = base - y_of(max(bar.value, 0))
        body.append(
            f'<rect class="chart__bar chart__bar--new" x="{x + slot * 0.15:.1f}" y="{base - height:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{height:.1f}" fill="#3b6fb6"><title>{escape(bar.label)}: '
            f"{escape(bar.shown)}</title></rect>"
        )
        points.append((x + slot / 2, y_of(cumulative[i])))
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(f'<polyline class="chart__line" points="{path}" fill="none" stroke="#111827" stroke-width="2.5"/>')
        x, y = points[-1]
        body.append(
            f'<circle class="chart__point" cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#111827"/>'
            f'<text class="chart__text chart__value" x="{x - 6:.1f}" y="{y - 8:.1f}" '
            f'text-anchor="end" fill="#111827">{escape(format_number(cumulative[-1]))}</text>'
        )
    for i in _x_label_indexes(len(new)):
        anchor = "start" if i == 0 and len(new) > 1 else "end" if i == len(new) - 1 and len(new) > 1 else "middle"
        x = left + i * slot + (0 if anchor == "start" else slot if anchor == "end" else slot / 2)
        body.append(
            f'<text class="chart__text chart__axis" x="{x:.1f}" y="{base + FONT + 6:.1f}" text-anchor="{anchor}" '
            f'fill="#111827">{escape(new[i].label)}</text>'
        )
    return _svg(chart_id, title, desc, base + FONT + 12, body)
