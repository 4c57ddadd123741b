"""Documents on an entry ("Documenten" in the UI; named attachments here because services/pilot_documents.py
already means the search engine's view of a pilot): a document of a kind with its versions.

The file bytes live outside the web root under ``DATA_DIR/attachments/`` with random names; a row keeps the
name people gave it only as display text, and the type the content was sniffed as (never the browser's).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .pilots import Pilot
from .timeutil import utcnow
from .users import User


class Attachment(db.Model):
    """One document of an entry (a DPIA, an evaluation …); its content is its newest version."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # one of services.attachments.KINDS
    title: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: demo content
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]  # soft delete by the team or staff (audited); files are kept
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    pilot: Mapped[Pilot] = relationship()
    versions: Mapped[list[AttachmentVersion]] = relationship(
        back_populates="attachment", order_by="AttachmentVersion.number", cascade="all, delete-orphan"
    )

    @property
    def current(self) -> AttachmentVersion:
        return self.versions[-1]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class AttachmentVersion(db.Model):
    """One uploaded file of a document. Never changed after it is written."""

    __tablename__ = "attachment_versions"
    __table_args__ = (UniqueConstraint("attachment_id", "number", name="uq_attachment_versions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id"), index=True)
    number: Mapped[int]  # 1, 2, 3 … per document
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)  # ours: "ab/<32 hex>", never user input
    original_name: Mapped[str] = mapped_column(String(160))  # sanitised display text, also the download name
    content_type: Mapped[str] = mapped_column(String(100))  # as sniffed from the content
    size: Mapped[int] = mapped_column(Integer)  # bytes
    sha256: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(300), default="")  # what changed in this version
    text: Mapped[str] = mapped_column(Text, default="")  # extracted at upload (bounded), for search
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    attachment: Mapped[Attachment] = relationship(back_populates="versions")
    uploaded_by: Mapped[User | None] = relationship(lazy="joined")
