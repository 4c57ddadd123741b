"""Write search_index/data/place_names_nl.txt: the words of Dutch and Belgian municipality and province names.

Matchmaking does not show them as the reason two pilots match ("hengelo" says where, not what). The engine
reads the file and never content/; tests/search_index/matchmaking/test_reasons.py fails when the file is out
of date with content/organisations/. Run from the repository root: ``.venv/bin/python scripts/place_names.py``.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCES = {
    REPO / "content" / "organisations" / "nl_gemeenten_cbs_2023.csv": ("Gemeentenaam", "Provincienaam"),
    REPO / "content" / "organisations" / "be_gemeenten_statbel_2025.csv": ("name_nl", "province_nl"),
}
TARGET = REPO / "search_index" / "data" / "place_names_nl.txt"
GENERIC = {"provincie", "gemeente", "stad"}  # words of names that are also ordinary words


def place_words() -> list[str]:
    words: set[str] = set()
    for path, columns in SOURCES.items():
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                for column in columns:
                    words.update(w for w in re.findall(r"[^\W\d_]+", (row[column] or "").lower()) if len(w) >= 3)
    return sorted(words - GENERIC)


def main() -> int:
    TARGET.write_text("\n".join(place_words()) + "\n", "utf-8")
    print(f"wrote {len(place_words())} words to {TARGET.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
