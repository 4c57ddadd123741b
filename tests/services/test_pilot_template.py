"""The new-pilot outline: its headings are the ones the scale-up checklist reads, and what the writer leaves
untouched is dropped at publishing, so a bare outline never passes the checklist by itself."""

from __future__ import annotations

from pilotstarter_web.services.pilot_template import drop_unfilled, sections, template_body
from pilotstarter_web.services.scaleup_checklist import checklist
from tests.factories import make_pilot, make_user


def test_an_untouched_outline_is_dropped_entirely():
    assert drop_unfilled(template_body()) == ""


def test_filled_sections_stay_and_empty_ones_and_the_guidance_go():
    body = (
        template_body()
        .replace("## Resultaten\n", "## Resultaten\n\nDertig procent minder stroom.\n")
        .replace("## Kosten en inspanning\n", "## Kosten en inspanning\n\nEenmalig € 40.000.\n")
    )
    kept = drop_unfilled(body)
    assert kept == "## Kosten en inspanning\n\nEenmalig € 40.000.\n\n## Resultaten\n\nDertig procent minder stroom.\n"


def test_the_writers_own_headings_and_text_are_never_dropped():
    body = "## Onze eigen kop\n\n## Aanpak\n\nSensoren.\n\n<!-- een eigen opmerking -->\n"
    assert drop_unfilled(body) == body


def test_a_filled_outline_meets_the_checklist_items_it_covers_and_a_bare_one_meets_none():
    filled = "\n".join(f"## {heading}\n\n{guidance}\n" for heading, guidance in sections())
    owner = make_user("GM0344")
    met = {item.key for item in checklist(make_pilot(owner, body=drop_unfilled(filled)), None) if item.met}
    assert {"results", "standards", "costs"} <= met  # DPIA, contracts and the licence are documents to upload
    bare = make_pilot(owner, body=drop_unfilled(template_body()) or "Nog niets.")
    assert not [item.key for item in checklist(bare, None) if item.met]
