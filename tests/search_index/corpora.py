"""Test corpora for search_index: our demo pilots (always present) and the Innovatiebudget projects.

The demo pilots live in the repo (content/pilots). The Innovatiebudget texts live in ../shared/data and
are read at run time only, never copied into the repo (see ../shared/data/README.md); tests that need
them skip with a reason when the folder is missing, as on a clean CI checkout.
"""

from __future__ import annotations

import csv
import json
import os
from datetime import datetime
from functools import cache
from pathlib import Path

import frontmatter
import pytest
import yaml

from search_index.documents import PilotDocument

REPO = Path(__file__).resolve().parents[2]
PILOTS_DIR = REPO / "content" / "pilots"
ORGANISATIONS_DIR = REPO / "content" / "organisations"
# Evaluation data kept outside the repository (docs/DESIGN.md, "Evaluation data"): the folder named by
# PILOTSTARTER_EVAL_DATA, else ../shared/data next to the checkout, as on the project's own machines.
SHARED_DATA = Path(os.environ.get("PILOTSTARTER_EVAL_DATA") or REPO.parent / "shared" / "data")
INNOVATIEBUDGET = SHARED_DATA / "innovatiebudget_projecten_2019_2026.jsonl"

# Theme labels as pilotstarter_web.services.themes has them (copied: this package must not need Flask).
THEME_LABELS = {
    "sociaal-domein": "Sociaal domein",
    "jeugd": "Jeugd",
    "zorg": "Zorg en Wmo",
    "wonen": "Wonen",
    "omgevingswet": "Omgevingswet",
    "dienstverlening": "Dienstverlening",
    "burgerparticipatie": "Burgerparticipatie",
    "data": "Data",
    "ai": "AI en algoritmes",
    "veiligheid": "Veiligheid",
    "duurzaamheid": "Duurzaamheid en energie",
    "mobiliteit": "Mobiliteit en parkeren",
    "werk-en-inkomen": "Werk en inkomen",
    "schulden": "Schulden en armoede",
    "onderwijs": "Onderwijs",
    "privacy": "Privacy",
    "informatiebeveiliging": "Informatiebeveiliging",
    "openbare-ruimte": "Openbare ruimte",
    "bedrijfsvoering": "Bedrijfsvoering",
    "burgerzaken": "Burgerzaken",
}


@cache
def organisations() -> dict[str, tuple[str, str | None]]:
    """code -> (name, province) for the Dutch municipalities and the other organisations."""
    out: dict[str, tuple[str, str | None]] = {}
    with (ORGANISATIONS_DIR / "nl_gemeenten_cbs_2023.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out[row["GemeentecodeGM"]] = (row["Gemeentenaam"], row["Provincienaam"])
    for entry in yaml.safe_load((ORGANISATIONS_DIR / "other.yaml").read_text("utf-8")):
        out[entry["code"]] = (entry["name"], entry.get("province"))
    return out


@cache
def demo_documents() -> tuple[PilotDocument, ...]:
    """The demo pilots in content/pilots as PilotDocuments (ids in file-name order, from 1)."""
    orgs = organisations()
    docs = []
    for n, path in enumerate(sorted(PILOTS_DIR.glob("*.md")), 1):
        post = frontmatter.load(path)
        meta = post.metadata
        codes = (meta["organisation"], *meta.get("partners", []))
        known = [orgs.get(code, (code, None)) for code in codes]
        created = meta.get("created")
        docs.append(
            PilotDocument(
                id=n,
                slug=path.stem,
                title=meta["title"],
                summary=meta.get("summary", ""),
                body=post.content,
                themes=tuple(meta.get("themes", [])),
                theme_labels=tuple(THEME_LABELS.get(t, t) for t in meta.get("themes", [])),
                tags=tuple(meta.get("tags", [])),
                organisations=codes,
                organisation_names=tuple(name for name, _ in known),
                provinces=tuple(dict.fromkeys(p for _, p in known if p)),
                status=meta.get("status", "idee"),
                updated_at=datetime(created.year, created.month, created.day) if created else datetime(2024, 1, 1),
            )
        )
    return tuple(docs)


def require_shared_data() -> Path:
    if not INNOVATIEBUDGET.exists():
        pytest.skip(
            f"evaluation data missing: {INNOVATIEBUDGET.name} (127 Innovatiebudget projects from "
            f"digitaleoverheid.nl) is not in {SHARED_DATA}; it is kept outside the repository. Set "
            "PILOTSTARTER_EVAL_DATA to the folder that holds it (docs/DESIGN.md, 'Evaluation data')"
        )
    return INNOVATIEBUDGET


@cache
def innovatiebudget_documents() -> tuple[PilotDocument, ...]:
    """The 127 Innovatiebudget projects: title, summary (kort) and description (beschrijving)."""
    docs = []
    lines = require_shared_data().read_text("utf-8").splitlines()
    for n, line in enumerate((line for line in lines if line.strip()), 1):
        row = json.loads(line)
        docs.append(
            PilotDocument(
                id=n, slug=row["id"], title=row["title"], summary=row.get("kort", ""), body=row.get("beschrijving", "")
            )
        )
    return tuple(docs)
