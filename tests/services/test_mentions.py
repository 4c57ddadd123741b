"""@mentions: the syntax is unambiguous, resolved by id or code (never by label), bounded, and safe after
rendering whatever the label or the surrounding text holds."""

from __future__ import annotations

import time

from pilotstarter_web.extensions import db
from pilotstarter_web.services import comments, mentions
from tests.factories import make_user


def render(text: str) -> str:
    return comments.render_comment(text, mentions.resolve(text))


def test_a_person_and_an_organisation_become_links_by_id_and_code_with_current_names():
    jan = make_user("GM0344", name="Jan de Vries")
    html = render(f"Vraag aan @[wie dan ook](user:{jan.id}) en @[G](org:GM0344).")
    assert (
        f'<a href="/organisations/GM0344#lid-{jan.id}" rel="noopener noreferrer nofollow ugc">@Jan de Vries</a>' in html
    )
    assert '<a href="/organisations/GM0344" rel="noopener noreferrer nofollow ugc">@Utrecht</a>' in html
    assert "wie dan ook" not in html  # the label never decides who is meant


def test_two_people_with_the_same_name_stay_two():
    a, b = make_user("GM0344", name="Jan de Vries"), make_user("GM0363", name="Jan de Vries")
    resolved = mentions.resolve(f"@[Jan de Vries](user:{a.id})")
    assert list(resolved.users) == [a.id] and b.id not in resolved.users


def test_unknown_unverified_or_pending_targets_read_as_plain_text():
    waiting = make_user("GM0344", verified=False, name="Nog Niet")
    html = render(f"@[Nog Niet](user:{waiting.id}) @[Niemand](user:999999) @[X](org:BESTAATNIET) @[Y](user:abc)")
    assert "<a" not in html
    assert "@Nog Niet" in html and "@Niemand" in html and "@X" in html
    assert mentions.resolve(f"@[Nog Niet](user:{waiting.id})").recipients() == []


def test_hostile_names_and_labels_stay_text():
    evil = make_user("GM0344", name="<img src=x onerror=alert(1)> [klik](javascript:alert(1)) **vet**")
    db.session.commit()
    html = render(f'@[<script>alert(1)</script>](user:{evil.id}) @["><svg onload=alert(1)>](org:GM0344)')
    assert "<script" not in html and "<img" not in html and "<svg" not in html and 'href="javascript' not in html
    assert "&lt;img src=x onerror=alert(1)&gt; [klik](javascript:alert(1)) **vet**</a>" in html  # the name, as text
    assert "<strong>" not in html
    assert html.count("<a ") == 2


def test_the_number_of_mentions_is_bounded_and_the_pattern_is_linear():
    users = [make_user("GM0344") for _ in range(mentions.MAX_MENTIONS + 3)]
    text = " ".join(f"@[u](user:{u.id})" for u in users)
    resolved = mentions.resolve(text)
    assert len(resolved.users) == mentions.MAX_MENTIONS and len(resolved.recipients()) == mentions.MAX_MENTIONS
    assert render(text).count("<a ") == mentions.MAX_MENTIONS
    hostile = "@[" * 5_000 + "a" * 5_000 + "](user:" * 2_000
    start = time.perf_counter()
    assert mentions.parse(hostile) == []
    render(hostile)
    assert time.perf_counter() - start < 2.0


def test_suggestions_find_people_and_organisations_with_literal_wildcards():
    make_user("GM0344", name="Anna de Boer")
    make_user("GM0344", name="Annabel Verborgen", verified=False)
    found = mentions.suggest("anna")
    assert [(f["kind"], f["label"]) for f in found][:1] == [("user", "Anna de Boer")]
    assert all(f["label"] != "Annabel Verborgen" for f in found)
    assert found[0]["token"].startswith("@[Anna de Boer](user:")
    assert next(f for f in mentions.suggest("utrecht") if f["kind"] == "org")["token"] == "@[Utrecht](org:GM0344)"
    assert mentions.suggest("%") == [] and mentions.suggest("%%") == [] and mentions.suggest("a") == []
    assert len(mentions.suggest("e" * 5_000)) == 0


def test_a_name_with_brackets_still_makes_a_valid_token():
    assert mentions.token("user", 7, "Jan [de] Vries") == "@[Jan (de) Vries](user:7)"
    assert mentions.parse(mentions.token("user", 7, "Jan [de] Vries")) == [("user", "7")]
