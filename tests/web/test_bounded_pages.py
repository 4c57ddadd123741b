"""The pentest's inputs in web terms: each page or API call answers quickly (a regression guard of a few
seconds, not a benchmark: before the bounds each took from 30 seconds to minutes of a worker)."""

from __future__ import annotations

import time

import pytest

from pilotstarter_web.extensions import db
from pilotstarter_web.services.pilots import MAX_BODY, MAX_TITLE, PilotText, edit_pilot
from tests.factories import make_pilot, make_user

ABSURD = "parkeervergunning" * 3_200  # 54,400 characters, one word (H1)
GUARD = 5.0


def _timed(call, *args, **kwargs):
    started = time.process_time()
    response = call(*args, **kwargs)
    assert time.process_time() - started < GUARD
    return response


@pytest.mark.timeout(120)
def test_a_pilot_with_an_absurd_word_does_not_slow_any_pilot_page(client):
    other = make_pilot(title="Digitale parkeervergunning", body="Bewoners vragen een parkeervergunning aan.")
    vandalised = make_pilot(title="Parkeren in de binnenstad", body=f"Inleiding.\n\n{ABSURD}\n")
    for pilot in (vandalised, other):
        response = _timed(client.get, f"/pilots/{pilot.slug}")
        assert response.status_code == 200
    assert ABSURD[:1000] in _timed(client.get, f"/pilots/{vandalised.slug}").get_data(as_text=True)


@pytest.mark.timeout(120)
def test_preview_of_twenty_thousand_brackets_answers_quickly(client):
    response = _timed(client.post, "/pilots/preview", json={"body": "[" * 20_000})
    assert response.status_code == 200 and "[" * 20_000 in response.get_json()["html"]


@pytest.mark.timeout(120)
def test_anonymous_similar_with_a_large_draft_is_bounded(client):
    make_pilot(title="Digitale parkeervergunning", body="Bewoners vragen een parkeervergunning aan.")
    body = ("Parkeren vergunning gemeente inwoners data " * 1_300)[:55_000]
    response = _timed(client.post, "/api/v1/similar", json={"title": "Parkeren", "summary": "Vergunning", "body": body})
    assert response.status_code == 200 and response.get_json()["items"]


@pytest.mark.parametrize(("field", "size"), [("title", MAX_TITLE + 1), ("summary", 501), ("body", MAX_BODY + 1)])
def test_a_draft_over_the_form_limits_is_a_422_problem(client, field, size):
    response = client.post("/api/v1/similar", json={field: "a" * size})
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    assert list(response.get_json()["errors"]) == [field]


@pytest.mark.parametrize(("field", "size"), [("title", MAX_TITLE + 1), ("summary", 501), ("body", MAX_BODY + 1)])
def test_the_duplicate_check_while_writing_has_the_same_limits(client, auth, field, size):
    """POST /pilots/new/similar accepted any split of 200,000 characters, e.g. a 199,000-character title."""
    auth.login(make_user())
    response = client.post("/pilots/new/similar", json={field: "a" * size})
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    assert list(response.get_json()["errors"]) == [field]


def test_a_request_over_max_content_length_is_413_in_dutch(client, app):
    too_big = "a" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    api = client.post("/api/v1/similar", data=too_big, content_type="application/json")
    assert api.status_code == 413 and api.content_type == "application/problem+json"
    assert api.get_json()["title"] == "Te groot"
    page = client.post("/pilots/preview", data={"body": too_big})
    assert page.status_code == 413 and "Wat u verstuurde is te groot." in page.get_data(as_text=True)


def test_max_content_length_fits_the_largest_pilot_in_four_byte_characters(client, app):
    emoji_body = "\U0001f600" * MAX_BODY  # the largest valid body, 4 bytes a character, 12 form-encoded
    response = client.post("/pilots/preview", data={"body": emoji_body})
    assert response.status_code == 200


@pytest.mark.timeout(120)
def test_diff_of_two_large_one_line_revisions_answers_quickly(client):
    author = make_user()
    words = " ".join(f"woord{i % 97} zin{i % 89}." for i in range(14_000))[:150_000]
    pilot = make_pilot(author=author, body=words)
    edit_pilot(author, pilot, PilotText(pilot.title, pilot.summary, "nieuw " + words[::-1], ["data"]), 1)
    db.session.commit()
    response = _timed(client.get, f"/pilots/{pilot.slug}/diff")
    assert response.status_code == 200 and "toegevoegd: " in response.get_data(as_text=True)
