"""Write content/documents/evaluatie-chatbot-wmo.pdf: the demo evaluation, a one-page PDF made by hand (no PDF
library), so the demo documents are ours and reproducible. Run: .venv/bin/python scripts/demo_pdf.py"""

from __future__ import annotations

from pathlib import Path

LINES = [
    "Evaluatie chatbot Wmo-vragen",
    "Na zes maanden beantwoordt de chatbot 62 procent van de vragen zelf.",
    "Inwoners geven gemiddeld een 7,4. Het klantcontactcentrum krijgt minder telefoontjes over hulpmiddelen.",
]
TARGET = Path(__file__).resolve().parent.parent / "content" / "documents" / "evaluatie-chatbot-wmo.pdf"


def pdf(lines: list[str]) -> bytes:
    """A PDF 1.4 file: catalog, one page, Helvetica, one content stream; offsets computed for the xref table."""
    content = "BT /F1 12 Tf 50 780 Td 16 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        f"<< /Length {len(content.encode('latin-1'))} >>\nstream\n{content}\nendstream",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


if __name__ == "__main__":
    TARGET.write_bytes(pdf(LINES))
