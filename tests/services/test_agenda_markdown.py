"""The Markdown agenda export carries user text as literal text, never as markup (L3)."""

from __future__ import annotations

import datetime as dt
import html
import re

import markdown
import pytest

from pilotstarter_web.extensions import db
from pilotstarter_web.services import portfolio, scaleup
from pilotstarter_web.services.markdown_escape import escape_markdown
from tests.factories import make_pilot, make_user

URL = "https://pilotstarter.example/pilots/"
HOSTILE = {
    "meeting": "<script>alert(1)</script> Overleg",
    "title": "[Klik](javascript:alert(1)) <img src=x onerror=alert(1)>",
    "name": "# Kop <b>naam</b>",
    "motivation": "1. **vet** &lt;b&gt;\n\n<iframe src=//evil.example></iframe>",
    "rationale": "> citaat ![img](http://evil.example/x.png) <https://evil.example> `code`",
    "actions": ['<a href="javascript:x">a</a>', "# kop", "2) lijst", "+ plus _nadruk_ \\* ster"],
}


@pytest.fixture
def agenda():
    staff = make_user("vng", role="vng_staff")
    owner = make_user("GM0344", name=HOSTILE["name"])
    pilot = make_pilot(owner, title=HOSTILE["title"], status="lopend")
    meeting = portfolio.create_meeting(staff, dt.date.today(), HOSTILE["meeting"])
    scaleup.nominate(owner, pilot, "Werkt")
    scaleup.flag(staff, pilot, HOSTILE["motivation"])
    scaleup.schedule(staff, pilot, meeting.id)
    scaleup.decide(staff, pilot, "opschalen", HOSTILE["rationale"], "\n".join(f"- {a}" for a in HOSTILE["actions"]))
    db.session.commit()
    return portfolio.agenda_markdown(meeting, lambda slug: URL + slug), pilot


def test_user_text_renders_as_text_only(agenda):
    md, pilot = agenda
    out = markdown.markdown(md)  # Python-Markdown passes raw HTML through: the worst case for us
    tags = {m.lower() for m in re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", out)}
    assert tags <= {"h1", "h2", "p", "ul", "li", "a"}, tags
    assert len(re.findall(r"<h1", out)) == 1 and len(re.findall(r"<h2", out)) == 1
    assert re.findall(r'<a [^>]*href="([^"]*)"', out) == [URL + pilot.slug]  # our one link, no user link
    text = html.unescape(re.sub(r"<[^>]+>", "", out))
    expected = [HOSTILE["meeting"], HOSTILE["title"], HOSTILE["name"], HOSTILE["rationale"], *HOSTILE["actions"]]
    for original in [*expected, HOSTILE["motivation"]]:
        assert " ".join(original.split()) in text, original  # shown literally (white space folded)


@pytest.mark.parametrize(
    "text",
    ["# kop", "- item", "+ item", "1. item", "12) item", "> quote", "<b>x</b>", "[a](b)", "![a](b)", "**a**",
     "`a`", "_a_", "a\\", "&amp;", "    code"],
)  # fmt: skip
def test_escaped_text_is_one_plain_paragraph(text):
    out = markdown.markdown(escape_markdown(text))
    assert out.startswith("<p>") and out.endswith("</p>") and out.count("<") == 2, out
    assert html.unescape(out[3:-4]) == " ".join(text.split())
