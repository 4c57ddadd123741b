"""Small files of every accepted type, and hostile ones, built in memory for the document tests."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

CONTENT = Path(__file__).resolve().parent.parent / "content" / "documents"
PDF = (CONTENT / "evaluatie-chatbot-wmo.pdf").read_bytes()  # a real one-page PDF ("klantcontactcentrum")

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4f50000000049454e44ae426082")  # fmt: skip
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"  # fmt: skip
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"
SVG_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
)
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
PDF_WITH_JS = PDF.replace(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>")  # fmt: skip

ODF_NS = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
ODF_MIMES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}


def odf(family: str, text: str = "Lantaarnpalen meten de luchtkwaliteit") -> bytes:
    """A minimal OpenDocument package: the stored "mimetype" first, then content.xml."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), ODF_MIMES[family])  # stored, uncompressed, as ODF wants
        zf.writestr(
            "content.xml",
            f'<?xml version="1.0"?><office:document-content {ODF_NS}><office:body><office:text>'
            f"<text:h>Kop</text:h><text:p>{text}</text:p></office:text></office:body></office:document-content>",
            zipfile.ZIP_DEFLATED,
        )
        zf.writestr("META-INF/manifest.xml", "<manifest/>", zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def ooxml(family: str, text: str = "Lantaarnpalen meten de luchtkwaliteit", macro: bool = False) -> bytes:
    """A minimal Office Open XML package with its main part holding ``text``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        if family == "docx":
            zf.writestr("word/document.xml", f'<w:document xmlns:w="urn:w"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>')  # fmt: skip
        elif family == "xlsx":
            zf.writestr("xl/workbook.xml", "<workbook/>")
            zf.writestr("xl/sharedStrings.xml", f'<sst xmlns="urn:x"><si><t>{text}</t></si></sst>')
        else:
            zf.writestr("ppt/presentation.xml", "<presentation/>")
            zf.writestr("ppt/slides/slide1.xml", f'<p:sld xmlns:p="urn:p" xmlns:a="urn:a"><a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:sld>')  # fmt: skip
        if macro:
            zf.writestr("word/vbaProject.bin", b"\x00" * 16)
    return buf.getvalue()


def zip_bomb(family: str = "docx", unpacked_mb: int = 40) -> bytes:
    """A valid-looking package whose one part unpacks to ``unpacked_mb`` MB of zeros (a few kB packed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        if family == "odt":
            zf.writestr(zipfile.ZipInfo("mimetype"), ODF_MIMES["odt"])
            name = "content.xml"
        else:
            zf.writestr("[Content_Types].xml", "<Types/>")
            name = "word/document.xml"
        with zf.open(name, "w") as part:
            zeros = b"\x00" * (1024 * 1024)
            for _ in range(unpacked_mb):
                part.write(zeros)
    return buf.getvalue()


SAMPLES = {  # (name, bytes, sniffed content type)
    "pdf": ("rapport.pdf", PDF, "application/pdf"),
    "odt": ("notitie.odt", odf("odt"), ODF_MIMES["odt"]),
    "ods": ("tabel.ods", odf("ods"), ODF_MIMES["ods"]),
    "odp": ("dia's.odp", odf("odp"), ODF_MIMES["odp"]),
    "docx": ("notitie.docx", ooxml("docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("tabel.xlsx", ooxml("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ("dia.pptx", ooxml("pptx"), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "png": ("foto.png", PNG, "image/png"),
    "jpeg": ("foto.jpg", JPEG, "image/jpeg"),
    "gif": ("anim.gif", GIF, "image/gif"),
    "webp": ("foto.webp", WEBP, "image/webp"),
    "txt": ("lees-mij.txt", "Lantaarnpalen meten de luchtkwaliteit — één keer per uur.\n".encode(), "text/plain"),
    "md": ("notitie.md", b"# Kop\n\nLantaarnpalen meten de luchtkwaliteit.\n", "text/plain"),
    "csv": ("data.csv", b"meetpunt;opmerking\n1;Lantaarnpalen meten de luchtkwaliteit\n", "text/plain"),
}  # fmt: skip
