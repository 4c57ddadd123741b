"""The history page shows HISTORY_PER_PAGE revisions per page, newest first: its work (diff stats, rows)
stays the same however long a pilot's history grows."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import insert

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Revision
from pilotstarter_web.pilots.history_routes import HISTORY_PER_PAGE
from tests.factories import make_pilot

WORDS = " ".join(f"woord{i}" for i in range(300))


def long_history(revisions: int):
    """A pilot whose text changed a little `revisions` times (written directly: saving 2,000 edits is slow)."""
    pilot = make_pilot(body=WORDS)
    db.session.execute(
        insert(Revision),
        [
            {"pilot_id": pilot.id, "number": n, "title": pilot.title, "summary": pilot.summary,
             "body": f"{WORDS} extra{n} " * 4, "edit_summary": f"wijziging {n}"}
            for n in range(2, revisions + 1)
        ],
    )  # fmt: skip
    db.session.commit()
    return pilot


def shown(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'name="to" value="(\d+)"', html)]


@pytest.mark.timeout(120)
def test_a_pilot_with_two_thousand_revisions_has_a_fast_paged_history(client):
    """The first page costs about what a pilot with one page of history costs: a ratio measured in the same
    run, so a busy machine does not fail it (a page that read all 2,000 revisions took tens of times longer)."""
    pilot = long_history(2_000)
    short = long_history(HISTORY_PER_PAGE + 1)

    def fastest(slug: str) -> float:
        client.get(f"/pilots/{slug}/history")  # warm
        times = []
        for _ in range(3):
            started = time.perf_counter()
            client.get(f"/pilots/{slug}/history")
            times.append(time.perf_counter() - started)
        return min(times)

    ratio = fastest(pilot.slug) / fastest(short.slug)
    first = client.get(f"/pilots/{pilot.slug}/history")
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and ratio < 4, ratio
    assert shown(html) == list(range(2_000, 2_000 - HISTORY_PER_PAGE, -1))
    assert "+4 / −4 woorden" in html  # each row still has its size, the page's last row too
    assert 'rel="next"' in html

    last_page = -(-2_000 // HISTORY_PER_PAGE)
    last = client.get(f"/pilots/{pilot.slug}/history?page={last_page}").get_data(as_text=True)
    assert shown(last)[-1] == 1 and "eerste versie" in last and 'rel="next"' not in last
    assert client.get(f"/pilots/{pilot.slug}/history?page=999").status_code == 404
