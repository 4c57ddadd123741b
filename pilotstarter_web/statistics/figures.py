"""The statistics page's figures: each one a heading, a chart, a summary in words and the same numbers as a table.

Kept apart from the routes so the page and its tests read one list; the numbers come from
services/statistics.py, the SVG from charts.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from markupsafe import Markup

from .. import charts
from ..services.statistics import Count, Duration, Statistics, Timeline


@dataclass
class Figure:
    id: str  # anchor and the chart's id prefix
    heading: str
    chart: Markup | None  # None: nothing to show yet (the empty text instead)
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""
    empty: str = ""


def _period_name(timeline: Timeline) -> str:
    return {"month": _("Maand"), "quarter": _("Kwartaal"), "year": _("Jaar")}[timeline.granularity]


def _timeline_figure(fid: str, heading: str, timeline: Timeline, what: str, empty: str) -> Figure:
    periods = timeline.periods
    columns = [_period_name(timeline), _("Nieuw"), _("Totaal")]
    note = _("De eerste periode telt ook alles van daarvoor mee.") if timeline.folded else ""
    if not periods:
        return Figure(fid, heading, None, columns, empty=empty)
    busiest = max(periods, key=lambda p: p.new)
    desc = _(
        "%(what)s van %(first)s tot en met %(last)s: staven voor het aantal nieuwe per periode, een lijn voor "
        "het totaal. Het totaal groeide tot %(total)s; de meeste nieuwe, %(most)s, kwamen in %(busiest)s.",
        what=what, first=periods[0].label, last=periods[-1].label, total=format_number(timeline.total),
        most=format_number(busiest.new), busiest=busiest.label,
    )  # fmt: skip
    chart = charts.timeline(
        fid, heading, desc, [charts.Bar(p.label, p.new) for p in periods], [p.cumulative for p in periods]
    )
    rows = [[p.label, format_number(p.new), format_number(p.cumulative)] for p in periods]
    return Figure(fid, heading, chart, columns, rows, note=note)


def _bars_figure(
    fid: str, heading: str, counts: list[Count], column: str, unit: str, empty: str, note: str = ""
) -> Figure:
    columns = [column, unit]
    if not counts or not any(c.value for c in counts):
        return Figure(fid, heading, None, columns, note=note, empty=empty)
    bars = [charts.Bar(c.label, c.value) for c in counts]
    desc = _("Staafdiagram, %(unit)s per %(column)s: %(summary)s.", unit=unit.lower(), column=column.lower(),
             summary=charts.summary(bars))  # fmt: skip
    rows = [[c.label, format_number(c.value)] for c in counts]
    return Figure(fid, heading, charts.horizontal_bars(fid, heading, desc, bars), columns, rows, note=note)


def _days(value: float) -> str:
    # gettext chooses the form by a whole number: a fraction of a day reads as plural ("1,5 dagen").
    return ngettext("%(n)s dag", "%(n)s dagen", 1 if value == 1 else 2, n=format_number(value))


def _median_and_range(d: Duration) -> str:
    """ "25,5 dagen (20–31)"; one decision has no range."""
    if d.min_days == d.max_days:
        return _days(d.median_days)
    return _("%(median)s (%(low)s–%(high)s)", median=_days(d.median_days), low=format_number(d.min_days),
             high=format_number(d.max_days))  # fmt: skip


def _durations_figure(durations: list[Duration]) -> Figure:
    fid, heading = "voordracht-tot-besluit", _("Van voordracht tot besluit")
    columns = [_("Besluit"), _("Besluiten"), _("Mediaan"), _("Kortste"), _("Langste")]
    note = _(
        "Dagen tussen de voordracht van een pilot en het besluit van het portfolio-overleg, per uitkomst. Pilots die "
        "VNG zonder voordracht doorstuurde tellen niet mee."
    )
    if not durations:
        return Figure(
            fid, heading, None, columns, note=note, empty=_("Het portfolio-overleg heeft nog niets besloten.")
        )
    bars = [charts.Bar(d.label, d.median_days, _median_and_range(d)) for d in durations]
    desc = _("Staafdiagram van de mediane duur per besluit: %(summary)s.", summary=charts.summary(bars))
    rows = [
        [d.label, format_number(d.count), _days(d.median_days), _days(d.min_days), _days(d.max_days)] for d in durations
    ]
    return Figure(fid, heading, charts.horizontal_bars(fid, heading, desc, bars), columns, rows, note=note)


def figures(stats: Statistics) -> list[Figure]:
    """Every figure of /statistieken, in the page's order."""
    pilots, municipalities = _("Pilots"), _("Gemeenten")
    no_pilots, no_municipalities = _("Er zijn nog geen pilots."), _("Er doen nog geen gemeenten mee aan een pilot.")
    provinces_note = _(
        "Pilots waaraan een gemeente uit de provincie meedoet. Een pilot telt mee in elke provincie waarvan een "
        "gemeente meedoet."
    )
    bands_note = _("Hoeveel gemeenten aan 1, 2, 3 tot en met 5, of 6 of meer pilots meedoen.")
    return [
        _timeline_figure("pilots-door-de-tijd", _("Pilots door de tijd"), stats.pilots_over_time, pilots, no_pilots),
        _timeline_figure(
            "gemeenten-door-de-tijd",
            _("Deelnemende gemeenten door de tijd"),
            stats.municipalities_over_time,
            _("Deelnemende gemeenten, geteld vanaf de eerste keer dat ze meededen,"),
            no_municipalities,
        ),
        _bars_figure(
            "per-soort",
            _("Pilots, best practices en challenges"),
            stats.types,
            _("Soort"),
            _("Aantal"),
            no_pilots,
            _("De andere cijfers op deze pagina tellen alle soorten samen als pilots."),
        ),
        _bars_figure(
            "per-thema",
            _("Pilots per thema"),
            stats.themes,
            _("Thema"),
            pilots,
            no_pilots,
            _("Een pilot kan meerdere thema's hebben."),
        ),
        _bars_figure("per-status", _("Pilots per status"), stats.statuses, _("Status"), pilots, no_pilots),
        _bars_figure(
            "per-provincie",
            _("Pilots per provincie"),
            stats.provinces,
            _("Provincie"),
            pilots,
            no_municipalities,
            provinces_note,
        ),
        _bars_figure(
            "per-fase", _("Pilots per fase van opschaling"), stats.scale_up_states, _("Fase"), pilots, no_pilots
        ),
        _bars_figure(
            "gemeenten-per-aantal-pilots",
            _("Gemeenten die aan meer dan één pilot meedoen"),
            stats.pilots_per_municipality,
            _("Aantal pilots"),
            municipalities,
            no_municipalities,
            bands_note,
        ),
        _durations_figure(stats.durations),
        _bars_figure(
            "hergebruik",
            _("Hergebruik: overnames per fase"),
            stats.adoptions,
            _("Fase"),
            _("Overnames"),
            _("Nog geen enkele organisatie heeft gemeld dat ze een opgeschaalde pilot of best practice overneemt."),
            _(
                "Organisaties die een opgeschaalde pilot of een best practice overnemen (‘wij nemen dit over’), per fase."
            ),
        ),
    ]
