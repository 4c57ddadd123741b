"""Organisations: municipalities (NL and BE), VNG, suppliers and others."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, false
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .timeutil import utcnow

ORGANISATION_KINDS = ("municipality", "supplier", "association", "other")
# Kinds that count as a government (two governments submit a challenge; governments adopt a scaled-up pilot).
# Only municipalities exist today; provinces, water boards and the state count as soon as organisations carry
# those kinds.
GOVERNMENT_KINDS = frozenset({"municipality", "province", "water_board", "state"})


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)  # GM0363, BE11001 (NIS), or a slug
    name: Mapped[str] = mapped_column(String(200), index=True)  # official name (CBS/Statbel)
    aliases: Mapped[str] = mapped_column(String(400), default="")  # other names, "|"-separated (Den Haag)
    kind: Mapped[str] = mapped_column(String(20), default="municipality")
    province: Mapped[str | None] = mapped_column(String(100), index=True)
    country: Mapped[str] = mapped_column(String(2), default="NL")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Named by a self-registering user: hidden from public pages, lists and pickers until VNG verifies one of
    # its members; stays hidden when that account is rejected ("=1+1" and "<script>" never show).
    pending: Mapped[bool] = mapped_column(default=False, server_default=false())

    @property
    def alias_list(self) -> list[str]:
        return [a for a in self.aliases.split("|") if a]

    @property
    def display_name(self) -> str:
        return display_name(self.name, self.aliases, self.country)

    def __repr__(self) -> str:
        return f"<Organisation {self.code} {self.name}>"


def display_name(name: str, aliases: str, country: str) -> str:
    """The CBS name with the everyday one: "'s-Gravenhage (Den Haag)"; Belgian names are already bilingual.

    A function of the columns too, so pages that list hundreds of organisations (the map) read plain rows.
    """
    first = next((a for a in aliases.split("|") if a), None)
    return f"{name} ({first})" if first and country == "NL" else name
