"""The search page over HTTP: p50/p95 of GET /search against the in-process engine in the same run.

    .venv/bin/python bench/search_http_bench.py [--size 10000] [--rounds 3]

Builds a database of SIZE pilots (the recombined real texts of bench/search_corpus.py), rebuilds the
index through the site's own service, serves the app with a threaded Werkzeug server on 127.0.0.1,
and times each query of the fixed set once per round over a kept-alive HTTP connection, cold (result
cache emptied before every request) and warm. Prints a Markdown table. Not a test.
"""

from __future__ import annotations

import argparse
import http.client
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search_corpus import QUERIES, make_corpus  # noqa: E402
from sqlalchemy import insert, select, update  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from pilotstarter_web import create_app  # noqa: E402
from pilotstarter_web.extensions import db  # noqa: E402
from pilotstarter_web.models import ChangeLog, Organisation, Pilot, PilotTheme, Revision  # noqa: E402
from pilotstarter_web.services.fulltext_search import search_service  # noqa: E402
from pilotstarter_web.services.organisations import load_reference_organisations  # noqa: E402


def load_database(size: int) -> None:
    """Bulk rows, as an import would leave them: pilot, first revision, themes, change-log row."""
    docs = make_corpus(size)
    org_ids = dict(db.session.execute(select(Organisation.code, Organisation.id)).all())
    fallback = org_ids["GM0344"]
    db.session.execute(
        insert(Pilot),
        [
            {"id": d.id, "slug": d.slug, "title": d.title[:200], "summary": d.summary[:500], "status": d.status,
             "owner_id": org_ids.get(d.organisations[0], fallback), "updated_at": d.updated_at, "created_at": d.updated_at}
            for d in docs
        ],
    )  # fmt: skip
    db.session.execute(
        insert(Revision),
        [{"id": d.id, "pilot_id": d.id, "number": 1, "title": d.title[:200], "summary": d.summary[:500], "body": d.body}
         for d in docs],
    )  # fmt: skip
    db.session.execute(update(Pilot).values(current_revision_id=Pilot.id))
    db.session.execute(insert(PilotTheme), [{"pilot_id": d.id, "theme": t} for d in docs for t in d.themes])
    db.session.execute(insert(ChangeLog), [{"pilot_id": d.id, "operation": "upsert"} for d in docs])
    db.session.commit()


def percentiles(samples: list[float]) -> str:
    arr = np.asarray(samples) * 1000
    return f"{np.percentile(arr, 50):.1f} / {np.percentile(arr, 95):.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="ps-http-bench-"))
    app = create_app({"DATA_DIR": str(data_dir), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{data_dir / 'bench.db'}",
                      "SECRET_KEY": "bench", "SEARCH_REBUILD_INLINE": True})  # fmt: skip
    with app.app_context():
        db.create_all()
        load_reference_organisations(ROOT / "content" / "organisations")
        t0 = time.perf_counter()
        load_database(args.size)
        t1 = time.perf_counter()
        search_service().rebuild()
        t2 = time.perf_counter()
    print(f"{args.size} pilots: database {t1 - t0:.1f} s, index rebuild via the service {t2 - t1:.1f} s")

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    conn = http.client.HTTPConnection("127.0.0.1", server.server_port)
    service = app.extensions["pilotstarter_search"]
    samples: dict[str, list[float]] = {"HTTP cold": [], "HTTP warm": [], "engine cold": []}

    def get(query) -> float:
        params = [("q", query.text), *((k, v) for k, vs in query.filters for v in vs)]
        if query.sort != "relevance":
            params.append(("sort", query.sort))
        start = time.perf_counter()
        conn.request("GET", "/search?" + urlencode(params))
        response = conn.getresponse()
        response.read()
        assert response.status == 200, response.status
        return time.perf_counter() - start

    with app.app_context():
        for q in QUERIES:  # warm up: open the searcher, load facet tables
            get(q)
        for _ in range(args.rounds):
            for q in QUERIES:
                service.index._cache.clear()
                start = time.perf_counter()
                service.index.search(q.request())
                samples["engine cold"].append(time.perf_counter() - start)
                service.index._cache.clear()
                samples["HTTP cold"].append(get(q))
                samples["HTTP warm"].append(get(q))
    server.shutdown()
    print(f"\n| {args.size} pilots, {len(QUERIES)} queries × {args.rounds} rounds | p50 / p95 (ms) |\n|---|---:|")
    for name, values in samples.items():
        print(f"| {name} | {percentiles(values)} |")


if __name__ == "__main__":
    main()
