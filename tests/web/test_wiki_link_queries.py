"""A page of many [[wiki links]] costs a fixed number of queries: all targets are looked up at once
(services.pilot_queries.resolve_wiki_titles), not one or two queries per target for every visitor."""

from __future__ import annotations

import time
from contextlib import contextmanager

from sqlalchemy import event

from pilotstarter_web.extensions import db
from pilotstarter_web.markdown import MAX_WIKI_LINKS
from pilotstarter_web.services.pilot_queries import resolve_wiki_titles
from tests.factories import make_pilot


@contextmanager
def counted_queries():
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def page_queries(client, path: str) -> tuple[int, str, float]:
    client.get(path)  # warm: the session's first touch, search and similarity caches
    client.application.extensions.pop("pilotstarter_render_cache", None)  # measure a full render
    with counted_queries() as statements:
        started = time.process_time()
        response = client.get(path)
        elapsed = time.process_time() - started
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True), elapsed


def test_a_page_with_hundreds_of_wiki_links_costs_a_bounded_number_of_queries(client):
    existing = make_pilot(title="Slimme Lantaarnpalen")
    plain = make_pilot()
    few, _html, _t = page_queries(client, f"/pilots/{plain.slug}")
    links = "\n\n".join(f"Zie [[Onbekende pilot {i}]]." for i in range(MAX_WIKI_LINKS - 2))
    many = make_pilot(body=f"[[slimme lantaarnpalen]] en [[{existing.slug}]]\n\n{links}\n")
    count, html, elapsed = page_queries(client, f"/pilots/{many.slug}")
    assert count <= few + 1, count  # at most the one batch lookup more than a page without links
    assert html.count(f'href="/pilots/{existing.slug}"') >= 2  # by title (any case) and by slug
    assert html.count("wikilink--missing") == MAX_WIKI_LINKS - 2
    assert elapsed < 2.0, elapsed  # was ~1,000 queries; rendering 500 links takes well under a second

    count, _html, _t = page_queries(client, f"/pilots/{many.slug}/revisions/1")
    assert count < 20, count


def test_titles_resolve_in_one_query_by_title_first_then_by_slug(app):
    by_title = make_pilot(title="Digitale Balie")
    by_slug = make_pilot(title="Iets anders")
    deleted = make_pilot(title="Weg")
    deleted.deleted_at = deleted.created_at
    db.session.commit()
    title_slug, slug = by_title.slug, by_slug.slug
    with counted_queries() as statements:
        found = resolve_wiki_titles(["digitale balie", slug, "Weg", "Nergens"])
    assert found == {"digitale balie": title_slug, slug: slug}
    assert len([s for s in statements if s.startswith("SELECT")]) == 1
