"""Rate limits on anonymous writes: counted in the database, so they hold across app instances and processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select

from pilotstarter_web import create_app
from pilotstarter_web.extensions import db
from pilotstarter_web.models import ThrottleCounter

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def limits(app, monkeypatch):
    """Small limits, so a test reaches them in a few requests."""
    for name in ("RATELIMIT_SIMILAR", "RATELIMIT_PREVIEW", "RATELIMIT_REGISTER", "RATELIMIT_RESET_REQUEST"):
        monkeypatch.setitem(app.config, name, "3/minute")


def preview(client):
    return client.post("/pilots/preview", json={"body": "# Kop"})


def test_the_anonymous_similarity_api_answers_429_problem_json_with_retry_after(client, limits):
    for _ in range(3):
        assert client.post("/api/v1/similar", json={"title": "Slimme lantaarnpalen"}).status_code == 200
    refused = client.post("/api/v1/similar", json={"title": "Slimme lantaarnpalen"})
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert refused.json["status"] == 429 and refused.json["title"] == "Te veel verzoeken"
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    assert client.get("/api/v1/pilots").status_code == 200  # reading is not limited


@pytest.mark.parametrize(
    "path,data",
    [("/account/register", {"email": "x@example.nl"}), ("/account/reset", {"email": "x@example.nl"})],
)
def test_anonymous_forms_answer_429_with_the_dutch_page(client, limits, path, data):
    for _ in range(3):
        assert client.post(path, data=data).status_code in (200, 302)
    refused = client.post(path, data=data)
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 61
    page = refused.get_data(as_text=True)
    assert "Te veel verzoeken" in page and "Wacht even en probeer het dan opnieuw." in page
    assert client.get(path).status_code == 200  # the form itself can still be read


def test_the_limit_holds_across_two_app_instances_on_one_database(app, client, limits, tmp_path):
    other = create_app({**app.config, "DATA_DIR": str(tmp_path)})
    other_client = other.test_client()
    assert [preview(client).status_code for _ in range(2)] == [200, 200]
    with other.app_context():
        assert preview(other_client).status_code == 200
        assert preview(other_client).status_code == 429
        db.engine.dispose()
    assert preview(client).status_code == 429
    # Not just one limiter object shared in this process: the count lives in the shared database.
    assert (
        db.session.scalar(select(ThrottleCounter.count).where(ThrottleCounter.kind == "rate")) == 5
    )  # refused hits count too


def test_the_limit_holds_across_processes(app, client, limits):
    """Another process (a second gunicorn worker or host) sees the same counters."""
    assert [preview(client).status_code for _ in range(2)] == [200, 200]
    db.session.commit()
    script = textwrap.dedent(
        f"""
        from pilotstarter_web import create_app
        app = create_app({{"TESTING": True, "SECRET_KEY": {app.config["SECRET_KEY"]!r},
                           "SQLALCHEMY_DATABASE_URI": {app.config["SQLALCHEMY_DATABASE_URI"]!r},
                           "DATA_DIR": {app.config["DATA_DIR"]!r}, "WTF_CSRF_ENABLED": False,
                           "RATELIMIT_PREVIEW": "3/minute"}})
        client = app.test_client()
        print(*[client.post("/pilots/preview", json={{"body": "x"}}).status_code for _ in range(2)])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split() == ["200", "429"]
    assert preview(client).status_code == 429
