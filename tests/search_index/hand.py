"""A small corpus with facets we can count by hand, and helpers for searching it (tests of FulltextIndex)."""

from __future__ import annotations

from datetime import datetime

from search_index.documents import PilotDocument
from search_index.fulltext import SearchRequest


def doc(id, slug, title, summary="", body="", themes=(), orgs=(), provinces=(), status="idee", updated=(2024, 1, 1)):
    return PilotDocument(
        id=id, slug=slug, title=title, summary=summary, body=body, themes=themes, theme_labels=themes,
        organisations=orgs, organisation_names=(), provinces=provinces, status=status, updated_at=datetime(*updated),
    )  # fmt: skip


# A small corpus with facets we can count by hand. Compound parts (parkeren, vergunning, pleegzorg, data,
# jeugd, hulp, stad, deel) occur on their own at least twice, so the lexicon knows them.
HAND = [
    doc(
        1, "parkeervergunning-online", "Parkeervergunning online aanvragen",
        "Bewoners vragen hun parkeervergunning online aan, zonder papieren formulier.",
        "## Aanleiding\n\nParkeren in de binnenstad kost bewoners veel tijd. Een vergunning aanvragen kon alleen "
        "aan de balie.\n\n**Nu** is parkeren met een digitale vergunning eenvoudig.",
        ("mobiliteit", "dienstverlening"), ("GM0518", "GM0603"), ("Zuid-Holland",), "afgerond", (2024, 3, 1),
    ),
    doc(
        2, "pleegzorgdata-matching", "Pleegzorgdata voor betere matches",
        "Met pleegzorgdata zoeken consulenten sneller een passend pleeggezin voor de jeugd.",
        "Pleegzorg vraagt om zorgvuldige keuzes. Goede pleegzorg begint bij een passend gezin, en data over "
        "eerdere plaatsingen helpen daarbij. Data zijn nooit het hele verhaal.",
        ("jeugd", "data"), ("GM0599",), ("Zuid-Holland",), "lopend", (2025, 1, 10),
    ),
    doc(
        3, "jeugdhulp-wachtlijsten", "Jeugdhulp dichter bij huis in Fryslân",
        "Kortere wachtlijsten voor jeugdhulp in de regio.",
        "Ouders wachten te lang op hulp. Met hulp van de regio vinden verwijzers sneller een plek.",
        ("jeugd", "zorg"), ("GM0080", "GM0074"), ("Fryslân",), "lopend", (2023, 5, 5),
    ),
    doc(
        4, "vergunningcheck-dakkapel", "Vergunningcheck voor dakkapellen",
        "Inwoners zien in gewone taal of ze een vergunning nodig hebben voor een dakkapel.",
        "De check stelt een paar vragen. Wie een vergunning nodig heeft, gaat direct door naar het loket.",
        ("omgevingswet", "dienstverlening"), ("GM0344",), ("Utrecht",), "idee", (2025, 6, 1),
    ),
    doc(
        5, "veilige-weergave", "Veilige weergave van tekst",
        "Wij testen <script>alert('parkeren')</script> & \"quotes\" in een tekst over parkeren.",
        "Een <b>vet</b> woord en een [link](https://example.org/x) naar de jeugd.",
        ("informatiebeveiliging",), ("GM0344",), ("Utrecht",), "gestopt", (2022, 1, 1),
    ),
    doc(
        6, "meldingen-per-stadsdeel", "Meldingen per stadsdeel",
        "Elke stad verdeelt meldingen per stadsdeel: in iedere stad krijgt elk deel een eigen team.",
        "Het deel van de stad met de meeste meldingen krijgt voorrang.",
        ("openbare-ruimte", "data"), ("GM0363", "GM0479"), ("Noord-Holland",), "partners_gezocht", (2024, 9, 9),
    ),
    doc(
        7, "autoluwe-binnenstad", "Autoluwe binnenstad",
        "De binnenstad wil minder auto's; parkeren kan straks alleen nog aan de rand van de stad.",
        "Bezoekers zetten hun auto in een garage. De binnenstad blijft bereikbaar.",
        ("mobiliteit", "duurzaamheid"), ("GM0772",), ("Noord-Brabant",), "idee", (2025, 3, 3),
    ),
]  # fmt: skip
BY_UPDATED = [4, 7, 2, 6, 1, 3, 5]  # newest first, by hand


def ids(result) -> list[int]:
    return [hit.id for hit in result.hits]


def slugs(result) -> list[str]:
    return [hit.slug for hit in result.hits]


def search(index, query="", **kwargs):
    kwargs.setdefault("per_page", 100)
    return index.search(SearchRequest(query=query, **kwargs))
