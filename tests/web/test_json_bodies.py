"""Every JSON endpoint answers a malformed body with 400 (415 for the content type) problem+json (L2)."""

from __future__ import annotations

import pytest

from tests.factories import make_user

JSON = "application/json"
# (endpoint, the text or list field it reads, needs a logged-in writer)
ENDPOINTS = [
    ("/api/v1/similar", "title", False),
    ("/api/v1/notifications/read", "ids", True),
    ("/pilots/preview", "body", False),
    ("/pilots/new/similar", "body", True),
]


def malformed(field: str) -> list[tuple[str, bytes, str, int, str | None]]:
    """(name, body, content type, expected status, field the problem must name)."""
    wrong = (
        [b'"1"', b"1.5", b"[1, true]", b"[[1]]", b'[{"a": 1}]', b"null", b'{"id": 1}']  # ids: a list of integers
        if field == "ids"
        else [b"1", b"[]", b'["x"]', b"null", b'{"a": "b"}', b"true", b"12.5"]  # a string
    )
    f = field.encode()
    cases = [
        ("text/plain", b'{"%s": "x"}' % f, "text/plain", 415, None),
        ("form content type", b"%s=x" % f, "application/xml", 415, None),
        ("empty", b"", JSON, 400, None),
        ("truncated", b'{"%s": ' % f, JSON, 400, None),
        ("trailing garbage", b"{} x", JSON, 400, None),
        ("not an object: list", b"[1, 2]", JSON, 400, None),
        ("not an object: string", b'"x"', JSON, 400, None),
        ("not an object: null", b"null", JSON, 400, None),
        ("invalid utf-8", b'{"%s": "\xff\xfe"}' % f, JSON, 400, None),
        ("NaN", b'{"%s": NaN}' % f, JSON, 400, None),
        ("Infinity", b'{"%s": [-Infinity]}' % f, JSON, 400, None),
        ("huge integer", b'{"%s": [%s]}' % (f, b"9" * 5000), JSON, 400, None),
        ("deep nesting", b'{"%s": %s%s}' % (f, b"[" * 100_000, b"]" * 100_000), JSON, 400, None),
        ("overflowing float", b'{"%s": 1e400}' % f, JSON, 400, None),
        ("single quotes", b"{'%s': 'x'}" % f, JSON, 400, None),
    ]
    cases += [
        (f"wrong type {i}: {body.decode()}", b'{"%s": %s}' % (f, body), JSON, 400, field)
        for i, body in enumerate(wrong)
    ]
    return cases


CASES = [(url, needs_login, *case) for url, field, needs_login in ENDPOINTS for case in malformed(field)]


@pytest.mark.parametrize(
    ("url", "needs_login", "name", "body", "content_type", "status", "field"),
    CASES,
    ids=[f"{c[0]} {c[2]}" for c in CASES],
)
def test_a_malformed_json_body_is_a_problem_not_a_crash(
    client, auth, url, needs_login, name, body, content_type, status, field
):
    if needs_login:
        auth.login(make_user())
    response = client.post(url, data=body, content_type=content_type)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == status and problem["detail"]
    if field:
        assert problem["field"] == field and f"'{field}'" in problem["detail"]


def test_every_endpoint_has_at_least_fifteen_malformed_bodies():
    for url, field, _login in ENDPOINTS:
        assert len(malformed(field)) >= 15, url


def test_duplicate_keys_are_allowed_and_the_last_one_counts(client):
    response = client.post("/pilots/preview", data=b'{"body": 1, "body": "**vet**"}', content_type=JSON)
    assert response.status_code == 200 and "<strong>vet</strong>" in response.get_json()["html"]
