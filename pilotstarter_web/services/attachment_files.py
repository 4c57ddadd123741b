"""What an uploaded file is, decided by its content: the bytes are sniffed (``filetype`` for the magic numbers,
our own look inside ZIP containers), never the name or the browser's Content-Type; and where the bytes live.

A refusal is a :class:`~.errors.InvalidInput` with a Dutch message for the file field. Every check is bounded
before it reads: a ZIP's directory (entries, declared sizes, compression ratio) is judged before any entry is
opened, and entries are read with a byte limit, so a zip bomb costs nothing.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import filetype
from flask_babel import gettext as _

from .errors import InvalidInput

CHUNK = 64 * 1024
MAX_NAME = 120  # characters of the display name
SNIFF_BYTES = 8192  # what the magic-number and text checks read
ZIP_MAX_ENTRIES = 2_000
ZIP_MAX_UNPACKED = 100 * 1024 * 1024  # declared uncompressed total of all entries
ZIP_MAX_RATIO = 100  # uncompressed / compressed, for the whole container
ZIP_PART_BYTES = 20 * 1024 * 1024  # most we ever read of one entry (text extraction)


@dataclass(frozen=True)
class FileType:
    """A type we accept: its family (what extraction reads), content type, and the extensions that name it."""

    family: str
    content_type: str
    extensions: tuple[str, ...]


TYPES = {
    t.family: t
    for t in (
        FileType("pdf", "application/pdf", ("pdf",)),
        FileType("odt", "application/vnd.oasis.opendocument.text", ("odt",)),
        FileType("ods", "application/vnd.oasis.opendocument.spreadsheet", ("ods",)),
        FileType("odp", "application/vnd.oasis.opendocument.presentation", ("odp",)),
        FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
        FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
        FileType("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",)),
        FileType("png", "image/png", ("png",)),
        FileType("jpeg", "image/jpeg", ("jpg", "jpeg")),
        FileType("gif", "image/gif", ("gif",)),
        FileType("webp", "image/webp", ("webp",)),
        FileType("text", "text/plain", ("txt", "md", "markdown", "csv")),
    )
}
_IMAGE_MIMES = {"image/png": "png", "image/jpeg": "jpeg", "image/gif": "gif", "image/webp": "webp"}
# The part that makes an Office Open XML package what it is; ODF names its type in a first "mimetype" entry.
_OOXML_MAIN = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "ppt/presentation.xml": "pptx"}
_ODF_MIMES = {TYPES[f].content_type: f for f in ("odt", "ods", "odp")}
_MARKUP = re.compile(rb"<\s*(svg|html|!doctype|script|\?xml|body|iframe|object)", re.IGNORECASE)


def allowed_extensions() -> list[str]:
    return [ext for t in TYPES.values() for ext in t.extensions]


def display_name(raw: str | None) -> str:
    """The uploaded name as display text only: the last path part (``/`` or ``\\``), no control or format
    characters, NFC, at most :data:`MAX_NAME` characters with its extension kept. Never used as a path."""
    name = unicodedata.normalize("NFC", (raw or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".").strip()
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:10] if dot else ""
        name = (stem if dot else name)[: MAX_NAME - len(ext) - 1].rstrip() + (f".{ext}" if ext else "")
    return name


def extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def store(stream: BinaryIO, root: Path, max_bytes: int, too_large: str | None = None) -> tuple[str, int, str]:
    """Copy ``stream`` to a new random file under ``root``, reading at most ``max_bytes`` + 1 bytes
    (``too_large``: the message when it is larger, else one naming ``max_bytes``).

    :return: (stored name relative to ``root``, size, sha256).
    :raise InvalidInput: when the file is larger than ``max_bytes`` (nothing is kept) or empty.
    """
    token = secrets.token_hex(16)
    stored = f"{token[:2]}/{token}"
    path = root / stored
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    try:
        with open(path, "xb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise refusal(
                        too_large or _("Het bestand is te groot: hoogstens %(mb)s MB.", mb=megabytes(max_bytes))
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise refusal(_("Het bestand is leeg."))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return stored, size, digest.hexdigest()


def megabytes(n: int) -> str:
    """``n`` bytes in MB for a message: 20, 1.5, 0.1 (at least 0.1)."""
    return f"{max(n / (1024 * 1024), 0.1):.1f}".removesuffix(".0")


def refusal(message: str) -> InvalidInput:
    """The error of the file field (the form shows it there, the API as the problem's detail)."""
    return InvalidInput(message, {"file": [message]})


def sniff(path: Path, name: str) -> FileType:
    """The type of the file at ``path``, by its content; the extension of ``name`` (if any) must agree.

    :raise InvalidInput: SVG, HTML, scripts, unknown binaries, bad or bomb-like containers, a mismatch.
    """
    with open(path, "rb") as f:
        head = f.read(SNIFF_BYTES)
    if head.startswith(b"%PDF-"):
        found = TYPES["pdf"]
    elif head.startswith(b"PK\x03\x04"):
        found = TYPES[_container_family(path)]
    elif (kind := filetype.guess(head)) is not None and kind.mime in _IMAGE_MIMES:
        found = TYPES[_IMAGE_MIMES[kind.mime]]
    else:
        found = _text_type(path, head)
    ext = extension(name)
    if ext and ext not in found.extensions:
        if ext not in allowed_extensions():
            raise refusal(
                _("Bestanden met de extensie .%(ext)s zijn niet toegestaan. Toegestaan: %(allowed)s.",
                  ext=ext[:10], allowed=", ".join(allowed_extensions()))
            )  # fmt: skip
        raise refusal(
            _("De inhoud van het bestand past niet bij de naam: het heet .%(ext)s maar is %(kind)s.",
              ext=ext, kind=describe(found))
        )  # fmt: skip
    return found


def describe(found: FileType) -> str:
    return _("tekst") if found.family == "text" else found.extensions[0].upper()


def _text_type(path: Path, head: bytes) -> FileType:
    """Plain text, Markdown or CSV: valid UTF-8 without NUL bytes, and no markup a browser would run."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1024]
    if start.startswith(b"<") and _MARKUP.search(start):
        raise refusal(_("SVG-, HTML- en XML-bestanden zijn niet toegestaan (ze kunnen scripts bevatten)."))
    if filetype.guess(head) is not None:
        raise refusal(_("Dit soort bestand is niet toegestaan. Toegestaan: %(allowed)s.",
                        allowed=", ".join(allowed_extensions())))  # fmt: skip
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            if b"\x00" in chunk:
                raise refusal(_("Dit is geen tekstbestand (het bevat binaire gegevens)."))
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                raise refusal(
                    _("Een tekstbestand moet UTF-8 zijn. Sla het op als UTF-8 en probeer het opnieuw.")
                ) from None
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise refusal(_("Een tekstbestand moet UTF-8 zijn. Sla het op als UTF-8 en probeer het opnieuw.")) from None
    return TYPES["text"]


def _container_family(path: Path) -> str:
    """ODF or Office Open XML, judged from the ZIP directory before any entry is read.

    :raise InvalidInput: too many entries, too large unpacked, too compressed (a bomb), encrypted entries,
        macros, or a ZIP that is neither format.
    """
    not_office = _(
        "Dit ZIP-bestand is geen OpenDocument- of Office-document. Losse ZIP-bestanden zijn niet toegestaan."
    )
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            check_container(infos, os.path.getsize(path))
            names = {i.filename for i in infos}
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise refusal(_("Documenten met macro's zijn niet toegestaan."))
            if infos and infos[0].filename == "mimetype":
                mime = read_part(zf, "mimetype", 200).decode("ascii", "replace").strip()
                if mime in _ODF_MIMES and "content.xml" in names:
                    return _ODF_MIMES[mime]
            if "[Content_Types].xml" in names:
                for part, family in _OOXML_MAIN.items():
                    if part in names:
                        return family
    except zipfile.BadZipFile:
        raise refusal(_("Het bestand is beschadigd (geen geldig ZIP-archief).")) from None
    raise refusal(not_office)


def check_container(infos: list[zipfile.ZipInfo], packed: int) -> None:
    """Refuse a ZIP whose directory promises too much: entries, unpacked bytes, compression ratio."""
    bomb = _("Dit bestand pakt uit tot veel meer dan het lijkt (een ‘zip-bom’) en is geweigerd.")
    if len(infos) > ZIP_MAX_ENTRIES:
        raise refusal(bomb)
    unpacked = sum(i.file_size for i in infos)
    if unpacked > ZIP_MAX_UNPACKED or unpacked > max(packed, 1) * ZIP_MAX_RATIO:
        raise refusal(bomb)
    if any(i.flag_bits & 0x1 for i in infos):
        raise refusal(_("Versleutelde documenten zijn niet toegestaan."))


def read_part(zf: zipfile.ZipFile, name: str, limit: int = ZIP_PART_BYTES) -> bytes:
    """At most ``limit`` bytes of an entry, whatever its header claims."""
    with zf.open(name) as part:
        return part.read(limit)
