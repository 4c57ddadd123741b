"""Write search_index/data/base_lexicon_nl.txt: stems of everyday municipal Dutch for compound splitting.

Made from the demo pilots in content/pilots (written for this project) and the theme labels, so a
small or new corpus still splits "parkeervergunning" into "parkeer" + "vergunning". The corpus's own
vocabulary is added to this at every rebuild. Run: .venv/bin/python scripts/build_base_lexicon.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search_index.analysis import build_lexicon  # noqa: E402


def main() -> None:
    texts = [path.read_text("utf-8") for path in sorted((ROOT / "content" / "pilots").glob("*.md"))]
    lexicon = build_lexicon(texts, min_count=2)
    out = ROOT / "search_index" / "data" / "base_lexicon_nl.txt"
    out.write_text("\n".join(sorted(lexicon)) + "\n", "utf-8")
    print(f"{len(lexicon)} stems -> {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
