"""What a pilot is in the Whoosh index: the schema of every index generation and a document's field values."""

from __future__ import annotations

from collections.abc import Iterable

from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, Schema

from .documents import PilotDocument
from .whoosh_analyzer import DutchText, DutchTokenizer, ZonedText

SNIPPET_SOURCE_CHARS = 20_000  # stored body text for snippets; the whole body is indexed
# Title > summary > body: a title word is also in the title field (boosted when searching, queries.py); a
# summary word weighs this much more than a body word in the content field (see whoosh_analyzer.ZonedText).
SUMMARY_BOOST = 1.5


def make_schema(lexicon_name: str) -> Schema:
    """Lean on purpose: Whoosh's cost is per posting, so all text goes into one ``content`` field and only
    the title is indexed a second time (for its boost and autocomplete). The summary is weighted within
    ``content`` (``SUMMARY_BOOST``) rather than indexed again; summary and body are stored for snippets.
    Measured in bench/search_bench.py."""
    dutch = DutchTokenizer(lexicon_name)
    return Schema(
        id=ID(stored=True, unique=True),
        slug=STORED(),
        title=DutchText(dutch, stored=True),
        content=DutchText(
            dutch
        ),  # title, summary, body, theme labels, tags, organisation names and codes, comments, documents
        summary=STORED(),
        body=STORED(),
        comments=STORED(),  # the discussion's text, for snippets (its words are in ``content``)
        documents=STORED(),  # the documents' text, for snippets (its words are in ``content``)
        theme=KEYWORD(stored=True, commas=True, lowercase=False),
        status=ID(stored=True),
        province=KEYWORD(stored=True, commas=True, lowercase=False),
        organisation=KEYWORD(stored=True, commas=True, lowercase=False),
        scale_up=ID(stored=True),
        type=ID(stored=True),  # the entry type (pilot, best_practice, challenge): a facet
        updated=COLUMN(NumericColumn("q")),  # sort key only: a column, not 16 index terms per pilot
        updated_at=STORED(),
    )


def _join(values: Iterable[str]) -> str:
    return ",".join(v.replace(",", " ") for v in values if v)


def document_fields(doc: PilotDocument) -> dict:
    body = doc.plain_body
    meta = " ".join([*doc.theme_labels, *doc.theme_labels_en, *doc.tags, *doc.organisation_names, *doc.organisations])
    return {
        "id": str(doc.id),
        "slug": doc.slug,
        "title": doc.title,
        "content": ZonedText(
            (
                (doc.title, 1.0),
                (doc.summary, SUMMARY_BOOST),
                (body, 1.0),
                (meta, 1.0),
                (doc.comments, 1.0),
                (doc.documents, 1.0),
            )
        ),
        "summary": doc.summary,
        "body": body[:SNIPPET_SOURCE_CHARS],
        "comments": doc.comments[:SNIPPET_SOURCE_CHARS],
        "documents": doc.documents[:SNIPPET_SOURCE_CHARS],
        "theme": _join(doc.themes),
        "status": doc.status,
        "province": _join(doc.provinces),
        "organisation": _join(doc.organisations),
        "scale_up": doc.scale_up,
        "type": doc.entry_type,
        "updated": int(doc.updated_at.timestamp()),
        "updated_at": int(doc.updated_at.timestamp()),
    }
