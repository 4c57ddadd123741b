"""The words of an uploaded document, for search: read once at upload, bounded, never fatal.

PDF through ``pypdf`` (at most :data:`MAX_PAGES` pages and a CPU-time budget checked between pages); ODF,
DOCX, XLSX (shared strings: the cells' text) and PPTX as ZIP + XML through ``defusedxml`` (no entities, no
DTDs), each part read with a byte limit after the container passed attachment_files.check_container; plain
text as UTF-8. Images have no text (no OCR). Any failure gives "" and is logged: a hostile or broken file
is stored and served, it is only not searchable.
"""

from __future__ import annotations

import logging
import re
import time
import zipfile
from pathlib import Path

from defusedxml import ElementTree

from .attachment_files import ZIP_PART_BYTES, read_part

log = logging.getLogger("pilotstarter.attachments")

MAX_CHARS = 100_000  # per file
MAX_PAGES = 200  # of a PDF
CPU_BUDGET = 5.0  # seconds of process time for one PDF, checked between pages
MAX_PARTS = 200  # XML parts of one package (slides)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
# Per family: the XML parts that hold the text, and the element (local name) that is one paragraph.
_XML_TEXT = {
    "odt": (("content.xml",), {"p", "h"}),
    "ods": (("content.xml",), {"p", "h"}),
    "odp": (("content.xml",), {"p", "h"}),
    "docx": (("word/document.xml",), {"p"}),
    "xlsx": (("xl/sharedStrings.xml",), {"si"}),
    "pptx": ((), {"p"}),  # the slides, found by name
}
_SLIDE = re.compile(r"ppt/slides/slide(\d+)\.xml")


def extract_text(path: Path, family: str) -> str:
    """Plain text of the file at ``path`` (of a family sniffed by attachment_files.sniff), at most
    :data:`MAX_CHARS` characters; "" when there is none or it cannot be read."""
    try:
        if family == "pdf":
            text = _pdf_text(path)
        elif family in _XML_TEXT:
            text = _package_text(path, family)
        elif family == "text":
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read(MAX_CHARS)
        else:
            return ""
    except Exception:  # a hostile or broken file: stored, just not searchable
        log.warning("no text from a %s upload", family, exc_info=True)
        return ""
    return tidy(text)


def tidy(text: str) -> str:
    """Runs of blanks to one space, blank lines to one newline, bounded."""
    text = _SPACES.sub(" ", text.replace("\x00", " "))
    return _BLANK_LINES.sub("\n", text).strip()[:MAX_CHARS]


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader  # imported when a PDF comes in, not at every start

    started = time.process_time()
    reader = PdfReader(path, strict=False)
    if reader.is_encrypted:
        return ""
    parts: list[str] = []
    length = 0
    for number, page in enumerate(reader.pages):
        if number >= MAX_PAGES or length >= MAX_CHARS or time.process_time() - started > CPU_BUDGET:
            break
        chunk = page.extract_text() or ""
        parts.append(chunk)
        length += len(chunk)
    return "\n".join(parts)


def _package_text(path: Path, family: str) -> str:
    parts, paragraph_tags = _XML_TEXT[family]
    paragraphs: list[str] = []
    length = 0
    with zipfile.ZipFile(path) as zf:
        names = list(parts)
        if family == "pptx":
            slides = [(int(m.group(1)), m.group(0)) for n in zf.namelist() if (m := _SLIDE.fullmatch(n))]
            names = [name for _n, name in sorted(slides)[:MAX_PARTS]]
        for name in names:
            if name not in zf.NameToInfo or length >= MAX_CHARS:
                continue
            root = ElementTree.fromstring(read_part(zf, name, ZIP_PART_BYTES))
            for element in root.iter():
                if _local(element.tag) in paragraph_tags:
                    line = "".join(element.itertext()).strip()
                    if line:
                        paragraphs.append(line)
                        length += len(line) + 1
                        if length >= MAX_CHARS:
                            break
    return "\n".join(paragraphs)


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""
