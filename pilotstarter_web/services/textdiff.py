"""Readable word-level diffs between two revisions, as escaped HTML with <ins> and <del>."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..models import Revision
from .themes import STATUS_LABELS, theme_label

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def diff_html(old: str, new: str) -> Markup:
    """Line diff first (fast on long pages), then word diff inside changed blocks."""
    old_lines = old.replace("\r\n", "\n").splitlines(keepends=True)
    new_lines = new.replace("\r\n", "\n").splitlines(keepends=True)
    out: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(old_lines[i1:i2]))))
        elif op == "delete":
            out.append(_wrap("del", "".join(old_lines[i1:i2])))
        elif op == "insert":
            out.append(_wrap("ins", "".join(new_lines[j1:j2])))
        else:
            out.append(_word_diff("".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])))
    return Markup("".join(out))  # noqa: S704 -- every piece above went through escape()


def diff_stats(old: str, new: str) -> tuple[int, int]:
    """Words added and removed, for history summaries."""
    a, b = old.split(), new.split()
    added = removed = 0
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            removed += i2 - i1
        if op in ("insert", "replace"):
            added += j2 - j1
    return added, removed


def _word_diff(old: str, new: str) -> str:
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    parts: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(str(escape("".join(a[i1:i2]))))
            continue
        if op in ("delete", "replace"):
            parts.append(_wrap("del", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(_wrap("ins", "".join(b[j1:j2])))
    return "".join(parts)


def _wrap(tag: str, text: str) -> str:
    if not text:
        return ""
    label = "verwijderd: " if tag == "del" else "toegevoegd: "  # read out by screen readers, hidden on screen
    return f'<{tag} class="diff-{tag}"><span class="visually-hidden">{label}</span>{escape(text)}</{tag}>'


def metadata_changes(old: Revision, new: Revision) -> list[str]:
    """Status, themes and tags changed between two revisions, one readable line per field (empty: none).

    Metadata is revisioned since migration 0008; without this line the history would show a metadata-only
    save as a revision that changed nothing.
    """
    lines: list[str] = []
    if old.status != new.status:
        lines.append(_("Status: %(old)s → %(new)s", old=STATUS_LABELS[old.status], new=STATUS_LABELS[new.status]))
    for label, before, after, name in (
        (_("Thema's"), old.theme_keys, new.theme_keys, theme_label),
        (_("Tags"), old.tag_values, new.tag_values, str),
    ):
        added = [f"+{name(v)}" for v in after if v not in before]
        removed = [f"−{name(v)}" for v in before if v not in after]
        if added or removed:
            lines.append(f"{label}: {', '.join(added + removed)}")
    return lines
