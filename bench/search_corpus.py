"""The benchmarks' corpus and queries: pilots recombined from the real Dutch texts in ../shared/data (read at
run time, never copied into the repository) with a seeded random generator, and a fixed set of Dutch
queries. Shared by search_bench.py, search_http_bench.py and eval_matchmaking.py."""

# ruff: noqa: S311 -- a seeded random generator makes the corpus, not secrets

from __future__ import annotations

import csv
import dataclasses
import json
import os
import random
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from search_index.documents import PilotDocument  # noqa: E402
from search_index.fulltext import SearchRequest  # noqa: E402

# Evaluation data outside the repository (docs/DESIGN.md, "Evaluation data")
DATA = Path(os.environ.get("PILOTSTARTER_EVAL_DATA") or REPO / ".." / "shared" / "data").resolve()
RESULTS = REPO / "bench" / "results"
SEED = 20240601
NOW = datetime(2026, 8, 1, 12, 0, 0)

# The site's theme keys and Dutch labels (pilotstarter_web/services/themes.py, not imported: it needs Flask).
THEMES = {
    "sociaal-domein": "Sociaal domein", "jeugd": "Jeugd", "zorg": "Zorg en Wmo", "wonen": "Wonen",
    "omgevingswet": "Omgevingswet", "dienstverlening": "Dienstverlening",
    "burgerparticipatie": "Burgerparticipatie", "data": "Data", "ai": "AI en algoritmes",
    "veiligheid": "Veiligheid", "duurzaamheid": "Duurzaamheid en energie",
    "mobiliteit": "Mobiliteit en parkeren", "werk-en-inkomen": "Werk en inkomen",
    "schulden": "Schulden en armoede", "onderwijs": "Onderwijs", "privacy": "Privacy",
    "informatiebeveiliging": "Informatiebeveiliging", "openbare-ruimte": "Openbare ruimte",
    "bedrijfsvoering": "Bedrijfsvoering", "burgerzaken": "Burgerzaken",
}  # fmt: skip
STATUSES = (("idee", 25), ("partners_gezocht", 20), ("lopend", 35), ("afgerond", 15), ("gestopt", 5))
SCALE_UP = (("geen", 80), ("voorgedragen", 15), ("opgeschaald", 5))
# Words that pick a first theme from a source title/text (the rest are random).
THEME_HINTS = {
    "jeugd": "jeugd", "zorg": "zorg", "wmo": "zorg", "woning": "wonen", "huur": "wonen", "omgeving": "omgevingswet",
    "vergunning": "omgevingswet", "chatbot": "dienstverlening", "dienstverlening": "dienstverlening",
    "participatie": "burgerparticipatie", "data": "data", "algoritme": "ai", " ai": "ai", "model": "ai",
    "fraude": "veiligheid", "handhaving": "veiligheid", "camera": "veiligheid", "energie": "duurzaamheid",
    "klimaat": "duurzaamheid", "parkeer": "mobiliteit", "verkeer": "mobiliteit", "scanauto": "mobiliteit",
    "bijstand": "werk-en-inkomen", "uitkering": "werk-en-inkomen", "schuld": "schulden", "armoede": "schulden",
    "onderwijs": "onderwijs", "leerling": "onderwijs", "privacy": "privacy", "beveilig": "informatiebeveiliging",
    "openbare ruimte": "openbare-ruimte", "afval": "openbare-ruimte", "melding": "openbare-ruimte",
    "woz": "bedrijfsvoering", "belasting": "bedrijfsvoering", "paspoort": "burgerzaken", "brp": "burgerzaken",
}  # fmt: skip
TITLE_EXTRAS = (
    "pilot", "proeftuin", "fase 2", "regionaal", "2.0", "verkenning", "opschaling", "experiment", "samen",
    "living lab", "voor inwoners", "in de wijk", "doorontwikkeling", "prototype", "aanpak",
)  # fmt: skip
HEADINGS = ("Aanleiding", "Doel", "Aanpak", "Resultaten", "Geleerde lessen", "Vervolg", "Samenwerking")


# -- corpus -------------------------------------------------------------------------------------------------
@dataclasses.dataclass
class Source:
    title: str
    summary: str
    sentences: list[str]
    org: str | None
    labels: tuple[str, ...]


_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9‘'\"(])")


def load_sources() -> tuple[list[Source], list[tuple[str, str, str]]]:
    sources: list[Source] = []
    with (DATA / "innovatiebudget_projecten_2019_2026.jsonl").open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            text = r.get("beschrijving") or r.get("kort") or ""
            summary = (r.get("kort") or "").rstrip("…").rstrip() or text[:200]
            labels = tuple((r.get("derived") or {}).get("labels") or ())
            sources.append(Source(r["title"], summary, _SENT.split(text), None, labels))
    with (DATA / "algoritmeregister_dev.jsonl").open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            sents = _SENT.split(r.get("text") or "")
            summary = " ".join(sents[:2]) if len(sents) > 1 and len(sents[0]) < 120 else sents[0]
            sources.append(Source(r["title"], summary, sents, r.get("organisation"), ()))
    with (DATA / "nl_gemeenten_cbs_2023.csv").open(encoding="utf-8") as f:
        municipalities = [
            (row["GemeentecodeGM"], row["Gemeentenaam"], row["Provincienaam"]) for row in csv.DictReader(f)
        ]
    return sources, municipalities


def _theme_hint(src: Source) -> str | None:
    text = f" {src.title} {src.summary}".lower()
    for hint, theme in THEME_HINTS.items():
        if hint in text:
            return theme
    return None


def make_corpus(n: int, seed: int = SEED) -> list[PilotDocument]:
    """``n`` pilots recombined from the real texts; deterministic for a seed (and a prefix of larger n)."""
    sources, municipalities = load_sources()
    by_code = {code: (name, prov) for code, name, prov in municipalities}
    hints = [_theme_hint(s) for s in sources]
    theme_keys = list(THEMES)
    statuses, status_w = zip(*STATUSES, strict=True)
    scales, scale_w = zip(*SCALE_UP, strict=True)
    # Bigger municipalities start more pilots: a simple skew by position in a shuffled list.
    rng = random.Random(seed)
    codes = [c for c, _, _ in municipalities]
    rng.shuffle(codes)
    code_w = [1.0 / (1 + i) ** 0.6 for i in range(len(codes))]
    tag_pool = [
        *sorted({lbl for s in sources for lbl in s.labels}),
        "common ground",
        "open source",
        "privacy by design",
    ]
    span = int(timedelta(days=3 * 365).total_seconds())
    docs: list[PilotDocument] = []
    for i in range(1, n + 1):
        a = rng.randrange(len(sources))
        src = sources[a]
        title = f"{src.title} {rng.choice(TITLE_EXTRAS)}" if rng.random() < 0.7 else src.title
        summary = sources[rng.randrange(len(sources))].summary
        parts = []
        for k, idx in enumerate([a, *(rng.randrange(len(sources)) for _ in range(rng.randint(1, 3)))]):
            sents = sources[idx].sentences
            start = rng.randrange(max(1, len(sents) - 2)) if k and len(sents) > 3 else 0
            chunk = " ".join(sents[start : start + rng.randint(2, 6)])
            if rng.random() < 0.5:
                parts.append(f"## {rng.choice(HEADINGS)}\n\n{chunk}")
            else:
                parts.append(chunk)
        if rng.random() < 0.2:
            parts.append(f"Meer informatie: [projectpagina](https://example.org/pilot/{i}).")
        body = "\n\n".join(parts)
        themes = list(dict.fromkeys([t for t in (hints[a],) if t] + rng.sample(theme_keys, rng.randint(1, 2))))[:3]
        owner = src.org if src.org in by_code and rng.random() < 0.8 else rng.choices(codes, code_w)[0]
        orgs = list(dict.fromkeys([owner, *rng.choices(codes, code_w, k=rng.choice((0, 0, 1, 1, 2, 3)))]))
        tags = tuple(rng.sample(tag_pool, rng.randint(0, 3)))
        updated = NOW - timedelta(seconds=rng.randrange(span))
        docs.append(
            PilotDocument(
                id=i,
                slug=f"pilot-{i}",
                title=title,
                summary=summary,
                body=body,
                themes=tuple(themes),
                theme_labels=tuple(THEMES[t] for t in themes),
                tags=tags,
                organisations=tuple(orgs),
                organisation_names=tuple(f"Gemeente {by_code[c][0]}" for c in orgs),
                provinces=tuple(dict.fromkeys(by_code[c][1] for c in orgs)),
                status=rng.choices(statuses, status_w)[0],
                scale_up=rng.choices(scales, scale_w)[0],
                updated_at=updated,
            )
        )
    return docs


# -- queries ------------------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class BenchQuery:
    kind: str
    text: str
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    sort: str = "relevance"

    def request(self) -> SearchRequest:
        return SearchRequest(self.text, filters=dict(self.filters), sort=self.sort, page=1, per_page=20)

    def label(self) -> str:
        extra = "".join(f" [{k}={'|'.join(v)}]" for k, v in self.filters)
        return (self.text or "(leeg)") + extra + (" [nieuwste]" if self.sort == "changed" else "")


QUERIES: tuple[BenchQuery, ...] = (
    BenchQuery("word", "algoritme"),
    BenchQuery("word", "privacy"),
    BenchQuery("word", "chatbot"),
    BenchQuery("word", "parkeren"),
    BenchQuery("word", "afval"),
    BenchQuery("word", "handhaving"),
    BenchQuery("word", "scanauto"),
    BenchQuery("word", "vergunning"),  # compound part: parkeervergunning
    BenchQuery("word", "gemeente"),  # very common
    BenchQuery("word", "toegankelijkheid"),
    BenchQuery("words", "openbare ruimte"),
    BenchQuery("words", "digitale dienstverlening"),
    BenchQuery("words", "woz taxatie"),
    BenchQuery("words", "data delen gemeenten"),
    BenchQuery("words", "meldingen openbare ruimte"),
    BenchQuery("words", "chatbot vragen inwoners"),
    BenchQuery("words", "risico bijstand uitkering"),
    BenchQuery("words", "open source"),
    BenchQuery("phrase", '"openbare ruimte"'),
    BenchQuery("phrase", '"common ground"'),
    BenchQuery("prefix", "parkeer*"),
    BenchQuery("prefix", "algoritm*"),
    BenchQuery("field", "titel:chatbot"),
    BenchQuery("filter", "algoritme", (("theme", ("ai",)),)),
    BenchQuery("filter", "data", (("status", ("lopend",)), ("theme", ("data",)))),
    BenchQuery("filter", "", (("theme", ("jeugd",)),)),  # browse a theme, newest first
    BenchQuery("filter", "inwoners", (("province", ("Utrecht", "Gelderland")),)),
    BenchQuery("sort", "afval", sort="changed"),
    BenchQuery("misspelt", "algoritmme"),
    BenchQuery("misspelt", "privasy beleid"),
)
