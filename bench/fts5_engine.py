"""SQLite FTS5 on the benchmark corpus, doing what our search does (page, snippets, counts, facets): the
in-run baseline of search_bench.py."""

# ruff: noqa: S608 -- SQL from our own fixed fragments; values are bound parameters

from __future__ import annotations

import gc
import re
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from measure import _summarise, cpu_s, peak_rss_mb, timed_rounds, update_visible  # noqa: E402
from search_corpus import QUERIES  # noqa: E402

from search_index.analysis import STOP_WORDS, words  # noqa: E402
from search_index.documents import PilotDocument, markdown_to_text  # noqa: E402
from search_index.fulltext import FACETS, SearchRequest  # noqa: E402

# -- SQLite FTS5 --------------------------------------------------------------------------------------------
FTS_WEIGHTS = (4.0, 2.0, 1.0, 1.5)  # title, summary, body, meta: the Whoosh field boosts (queries.FIELD_BOOSTS)
FTS_FIELDS = {"titel": "title", "title": "title", "samenvatting": "summary", "summary": "summary", "tekst": "body"}
FTS_SCHEMA = """
CREATE VIRTUAL TABLE docs USING fts5(
    title, summary, body, meta,
    slug UNINDEXED, theme UNINDEXED, status UNINDEXED, province UNINDEXED, organisation UNINDEXED,
    scale_up UNINDEXED, updated UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE facet (doc INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
                    PRIMARY KEY (doc, name, value)) WITHOUT ROWID;
CREATE TABLE pilot (id INTEGER PRIMARY KEY, updated INTEGER NOT NULL);
"""
FTS_INDEXES = """
CREATE INDEX facet_value ON facet (name, value, doc);
CREATE INDEX pilot_updated ON pilot (updated);
"""
_FTS_TOKEN = re.compile(r'"([^"]*)"|(\w+):(\S+)|(\S+)')


def fts_match(text: str, op: str = "AND") -> str | None:
    """Our query syntax (words, "phrases", prefix*, field:word) as an FTS5 MATCH expression, stop words out."""
    parts = []
    for phrase, field, value, word in _FTS_TOKEN.findall(text):
        if phrase:
            ws = words(phrase)
            if ws:
                parts.append('"' + " ".join(ws) + '"')
            continue
        column = None
        if field and field.lower() in FTS_FIELDS:
            column, word = FTS_FIELDS[field.lower()], value
        elif field:
            word = f"{field} {value}"
        star = word.endswith("*")
        for w in words(word):
            if w in STOP_WORDS or w in ("and", "or", "not"):
                continue
            term = f'"{w}"' + ("*" if star else "")
            parts.append(f"{column} : {term}" if column else term)
    return f" {op} ".join(parts) if parts else None


def _plain(doc: PilotDocument) -> dict:
    return {
        "title": doc.title, "summary": doc.summary, "body": markdown_to_text(doc.body),
        "meta": " ".join([*doc.theme_labels, *doc.tags, *doc.organisation_names, *doc.organisations]),
        "slug": doc.slug, "theme": ",".join(doc.themes), "status": doc.status, "province": ",".join(doc.provinces),
        "organisation": ",".join(doc.organisations), "scale_up": doc.scale_up,
        "updated": int(doc.updated_at.timestamp()),
    }  # fmt: skip


def _facet_rows(doc: PilotDocument) -> list[tuple[int, str, str]]:
    rows = [(doc.id, "theme", t) for t in doc.themes] + [(doc.id, "province", p) for p in doc.provinces]
    rows += [(doc.id, "organisation", o) for o in doc.organisations]
    rows += [(doc.id, "status", doc.status), (doc.id, "scale_up", doc.scale_up)]
    return list(dict.fromkeys(rows))


def _fts_upsert(con: sqlite3.Connection, doc: PilotDocument, insert_only: bool = False) -> None:
    if not insert_only:
        con.execute("DELETE FROM docs WHERE rowid = ?", (doc.id,))
        con.execute("DELETE FROM facet WHERE doc = ?", (doc.id,))
    fields = _plain(doc)
    con.execute(
        "INSERT INTO docs (rowid, title, summary, body, meta, slug, theme, status, province, organisation, scale_up,"
        " updated) VALUES (:rowid, :title, :summary, :body, :meta, :slug, :theme, :status, :province, :organisation,"
        " :scale_up, :updated)",
        {"rowid": doc.id, **fields},
    )
    con.executemany("INSERT INTO facet (doc, name, value) VALUES (?, ?, ?)", _facet_rows(doc))
    con.execute("INSERT OR REPLACE INTO pilot (id, updated) VALUES (?, ?)", (doc.id, fields["updated"]))


class Fts5Index:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.con: sqlite3.Connection | None = None
        self._tables: dict[str, tuple[list[str], np.ndarray, np.ndarray]] | None = None
        self._max_id = 0

    def rebuild(self, docs: list[PilotDocument]) -> None:
        con = sqlite3.connect(self.path, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute("BEGIN")
        for statement in FTS_SCHEMA.split(";"):
            if statement.strip():
                con.execute(statement)
        con.execute(
            "INSERT INTO docs (docs, rank) VALUES ('rank', 'bm25({})')".format(", ".join(map(str, FTS_WEIGHTS)))
        )
        for doc in docs:
            _fts_upsert(con, doc, insert_only=True)
        for statement in FTS_INDEXES.split(";"):
            if statement.strip():
                con.execute(statement)
        con.execute("COMMIT")
        con.execute("INSERT INTO docs (docs) VALUES ('optimize')")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()

    def open(self) -> None:
        self.con = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.con.execute("PRAGMA synchronous=NORMAL")

    def size(self) -> int:
        return sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*"))

    @staticmethod
    def _filter_sql(filters: dict[str, tuple[str, ...]], column: str) -> tuple[str, list]:
        """``AND column IN (…)`` per facet. On the FTS5 table the column is ``+rowid``: a plain ``rowid IN``
        is handed to FTS5, which then no longer sorts by rank itself (15× slower)."""
        sql, args = [], []
        for name, values in sorted(filters.items()):
            values = [v for v in values if v]
            if name in FACETS and values:
                sql.append(
                    f" AND {column} IN (SELECT doc FROM facet WHERE name = ? AND value IN ({','.join('?' * len(values))}))"
                )
                args += [name, *values]
        return "".join(sql), args

    def _match(self, request: SearchRequest) -> tuple[str | None, int | None]:
        """The MATCH expression that finds something (AND, else OR) and its count, or (None, None) for browse."""
        match = fts_match(request.query)
        if match is None:
            return None, None
        fsql, fargs = self._filter_sql(request.filters, "+rowid")
        count_sql = f"SELECT count(*) FROM docs WHERE docs MATCH ?{fsql}"
        total = self.con.execute(count_sql, [match, *fargs]).fetchone()[0]
        if total == 0:
            broader = fts_match(request.query, "OR")
            if broader != match:
                match, total = broader, self.con.execute(count_sql, [broader, *fargs]).fetchone()[0]
        return match, total

    def _page(self, request: SearchRequest, match: str | None, snippets: bool) -> list[tuple]:
        cols = "d.rowid, d.slug, d.title, d.status, d.theme, d.organisation, d.updated"
        if match is None:  # browse: newest first through the pilot table's index
            fsql, fargs = self._filter_sql(request.filters, "p.id")
            sql = (
                f"SELECT {cols}, 0.0, d.summary FROM pilot p JOIN docs d ON d.rowid = p.id WHERE 1{fsql}"
                " ORDER BY p.updated DESC LIMIT ? OFFSET ?"
            )
            args = fargs
        else:
            fsql, fargs = self._filter_sql(request.filters, "+d.rowid")
            snip = ", snippet(docs, -1, '<mark>', '</mark>', '…', 32)" if snippets else ""
            order = "d.updated DESC" if request.sort == "changed" else "rank"
            sql = f"SELECT {cols}, rank{snip} FROM docs d WHERE docs MATCH ?{fsql} ORDER BY {order} LIMIT ? OFFSET ?"
            args = [match, *fargs]
        offset = (max(1, request.page) - 1) * request.per_page
        return self.con.execute(sql, [*args, request.per_page, offset]).fetchall()

    def facets(self, request: SearchRequest, match: str | None) -> dict[str, dict[str, int]]:
        if match is None:
            fsql, fargs = self._filter_sql(request.filters, "p.id")
            inner, args = f"SELECT p.id FROM pilot p WHERE 1{fsql}", fargs
        else:
            fsql, fargs = self._filter_sql(request.filters, "+rowid")
            inner, args = f"SELECT rowid FROM docs WHERE docs MATCH ?{fsql}", [match, *fargs]
        rows = self.con.execute(
            f"SELECT name, value, count(*) FROM facet WHERE doc IN ({inner}) GROUP BY name, value", args
        ).fetchall()
        out: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        for name, value, n in sorted(rows, key=lambda r: -r[2]):
            out[name][value] = n
        return out

    def _facet_tables(self) -> dict[str, tuple[list[str], np.ndarray, np.ndarray]]:
        """Each facet's (document, value) pairs as arrays, as search_index.facets.FacetCounter keeps them."""
        if self._tables is None:
            pairs: dict[str, tuple[dict[str, int], list[int], list[int]]] = {n: ({}, [], []) for n in FACETS}
            for doc, name, value in self.con.execute("SELECT doc, name, value FROM facet"):
                ids, docs, vids = pairs[name]
                docs.append(doc)
                vids.append(ids.setdefault(value, len(ids)))
            self._tables = {n: (list(ids), np.asarray(d), np.asarray(v)) for n, (ids, d, v) in pairs.items()}
            self._max_id = self.con.execute("SELECT max(id) FROM pilot").fetchone()[0] or 0
        return self._tables

    def facets_numpy(self, request: SearchRequest, match: str | None) -> dict[str, dict[str, int]]:
        """The same counts from the matched rowids with numpy (the way FacetCounter counts for Whoosh)."""
        tables = self._facet_tables()
        if match is None:
            fsql, fargs = self._filter_sql(request.filters, "p.id")
            cur = self.con.execute(f"SELECT p.id FROM pilot p WHERE 1{fsql}", fargs)
        else:
            fsql, fargs = self._filter_sql(request.filters, "+rowid")
            cur = self.con.execute(f"SELECT rowid FROM docs WHERE docs MATCH ?{fsql}", [match, *fargs])
        mask = np.zeros(self._max_id + 1, dtype=bool)
        mask[np.fromiter((r[0] for r in cur), dtype=np.int64)] = True
        out: dict[str, dict[str, int]] = {}
        for name, (values, docs, vids) in tables.items():
            counts = np.bincount(vids[mask[docs]], minlength=len(values))
            out[name] = {values[i]: int(counts[i]) for i in np.argsort(-counts, kind="stable") if counts[i] > 0}
        return out

    def search_full(self, request: SearchRequest, numpy_facets: bool = False) -> tuple[int, list, dict]:
        match, total = self._match(request)
        if match is None:
            fsql, fargs = self._filter_sql(request.filters, "id")
            total = self.con.execute(f"SELECT count(*) FROM pilot WHERE 1{fsql}", fargs).fetchone()[0]
        rows = self._page(request, match, snippets=True)
        return total, rows, (self.facets_numpy if numpy_facets else self.facets)(request, match)

    def search_only(self, request: SearchRequest) -> list:
        match = fts_match(request.query)
        rows = self._page(request, match, snippets=False)
        if not rows and match is not None:
            broader = fts_match(request.query, "OR")
            if broader != match:
                rows = self._page(request, broader, snippets=False)
        return rows

    def facets_only(self, request: SearchRequest) -> dict:
        match = fts_match(request.query)
        return self.facets(request, match)


def run_fts5(docs: list[PilotDocument], workdir: Path, n_queries: int) -> dict:
    fts = Fts5Index(workdir / "fts5.db")
    gc.collect()
    c0, t0 = cpu_s(), time.perf_counter()
    fts.rebuild(docs)
    build_s, build_cpu_s = time.perf_counter() - t0, cpu_s() - c0
    rss_build = peak_rss_mb()
    size = fts.size()
    fts.open()
    t0 = time.perf_counter()
    fts.search_full(SearchRequest("gemeente"))
    first_s = time.perf_counter() - t0
    for q in QUERIES:
        fts.search_full(q.request())
        assert fts.search_full(q.request(), numpy_facets=True)[2] == fts.search_full(q.request())[2]
        fts.search_only(q.request())
    totals = {q.label(): fts.search_full(q.request())[0] for q in QUERIES}
    samples, per_query = timed_rounds(
        QUERIES,
        n_queries,
        {
            "full": lambda q: fts.search_full(q.request()),
            "full, numpy facets": lambda q: fts.search_full(q.request(), numpy_facets=True),
            "search only": lambda q: fts.search_only(q.request()),
            "facets only": lambda q: fts.facets_only(q.request()),
        },
    )
    out = _summarise(samples, per_query)

    def write(doc: PilotDocument) -> None:
        fts.con.execute("BEGIN IMMEDIATE")
        _fts_upsert(fts.con, doc)
        fts.con.execute("COMMIT")

    def found(marker: str, pilot_id: int) -> bool:
        return any(r[0] == pilot_id for r in fts.search_full(SearchRequest(marker))[1])

    visible = update_visible(docs, write, found)
    out.update(
        engine="fts5", build_s=build_s, build_cpu_s=build_cpu_s, docs_per_s=len(docs) / build_s, size=size, first_query_s=first_s,
        update_visible_s=visible, totals=totals, suggestions={}, rss_build_mb=rss_build, rss_peak_mb=peak_rss_mb(),
        sqlite_version=sqlite3.sqlite_version,
    )  # fmt: skip
    fts.con.close()
    return out
